"""The audit trail (lienket.core.models.AuditEntry) in the admin: read-only. Nobody — not even a superuser —
adds, changes or deletes an entry here (the model and its queryset refuse it too). It is registered here, not in
lienket.core, because who may read it is a question of roles (lienket.users.permissions), and core imports no
other app. Imported by lienket/users/admin.py so that the admin's autodiscovery registers it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lienket.core.models import AuditEntry

from .permissions import can_read_audit


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
        return can_read_audit(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)
