"""The audit trail in the admin: read-only. Nobody — not even a superuser — adds, changes or deletes an
entry here (the model and its queryset refuse it too)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "object_repr", "ip")
    list_filter = ("action", "object_type", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "action", "object_type", "object_id", "object_repr", "reason", "request_id")
    date_hierarchy = "at"
    ordering = ("-at", "-id")
    list_per_page = 50
    show_full_result_count = False
    fields = (
        "at", "actor_label", "actor", "action", "object_type", "object_id", "object_repr",
        "before", "after", "reason", "ip", "request_id",
    )
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from lienket.users.permissions import can_read_audit

        return can_read_audit(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)
