"""Upload official unit boundaries (GeoJSON) — validated and audited through `services.boundaries_upload`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lienket.core.errors import ApplicationError

from . import services
from .models import Boundaries


class BoundariesForm(forms.ModelForm):
    upload = forms.FileField(label=_("GeoJSON file"))

    class Meta:
        model = Boundaries
        fields = ("name", "valid_on", "source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, valid_on = data.get("upload"), data.get("valid_on")
        if upload is not None and valid_on is not None:
            try:
                self.parsed_content = upload.read()
                services.boundaries_parse(self.parsed_content, valid_on=valid_on)
            except ApplicationError as exc:
                self.add_error("upload", exc.message)
        return data


@admin.register(Boundaries)
class BoundariesAdmin(admin.ModelAdmin):
    form = BoundariesForm
    list_display = ("name", "valid_on", "source", "uploaded_at", "uploaded_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        created = services.boundaries_upload(actor=request.user, name=obj.name, valid_on=obj.valid_on, source=obj.source,
                                             content=form.parsed_content)
        obj.pk = created.pk
        obj.geojson = created.geojson
