"""Admin of the configurable answer periods per type of proposal; every change is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from lienket.core.audit import audit_log, object_type_of, snapshot

from .codes import AuditAction
from .models import AnswerPeriod


@admin.register(AnswerPeriod)
class AnswerPeriodAdmin(admin.ModelAdmin):
    """The default answer period per type of proposal (models.DEFAULT_ANSWER_DAYS when a type has no row)."""

    list_display = ("kind", "days")

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        stored = AnswerPeriod.objects.filter(pk=obj.pk).first() if change else None
        before = snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        action = AuditAction.ANSWER_PERIOD_UPDATE if before is not None else AuditAction.ANSWER_PERIOD_CREATE
        audit_log(actor=request.user, action=action, obj=obj, before=before, after=snapshot(obj), reason="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before, object_type, object_id, object_repr = snapshot(obj), object_type_of(obj), obj.pk, str(obj)
        super().delete_model(request, obj)
        audit_log(actor=request.user, action=AuditAction.ANSWER_PERIOD_DELETE, object_type=object_type, object_id=object_id,
                  object_repr=object_repr, before=before, reason="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
