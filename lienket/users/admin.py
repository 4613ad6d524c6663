"""Accounts in the admin. Role changes, unlocks and token revocations go through the audited services;
API tokens are read-only (their hash is never editable and they are created on the account page or with
`manage.py create_token`). The admin login uses the same lockout as the site's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lienket.core.audit import audit_log, snapshot
from lienket.core.errors import ApplicationError

from . import admin_audit, services  # noqa: F401 - admin_audit registers the audit trail's admin
from .codes import AuditAction
from .forms import AdminLoginForm
from .models import ApiToken, Membership, MinistryUnit, Organisation, User

admin.site.login_form = AdminLoginForm

USER_FIELDS = ["username", "full_name", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("role", "unit", "ministry_unit", "conference", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("unit", "conference")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "is_superuser", "locked_until", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    readonly_fields = ("failed_login_count", "locked_until", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Login"), {"fields": ("last_login", "date_joined", "failed_login_count", "locked_until")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "password1", "password2")}),)
    inlines = (MembershipInline,)
    actions = ("unlock_accounts",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(User.objects.get(pk=obj.pk), USER_FIELDS) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj, USER_FIELDS)
        if before != after or not change:
            audit_log(actor=request.user, action=AuditAction.USER_UPDATE if change else AuditAction.USER_CREATE, obj=obj,
                      before=before, after=after, reason="admin")

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            audit_log(actor=request.user, action=AuditAction.MEMBERSHIP_REMOVE, obj=deleted,
                      before=services.membership_describe(deleted), reason="admin")
            deleted.delete()
        for membership in instances:
            is_new = membership.pk is None
            before = None if is_new else services.membership_describe(Membership.objects.get(pk=membership.pk))
            membership.save()
            audit_log(actor=request.user, action=AuditAction.MEMBERSHIP_ADD if is_new else AuditAction.MEMBERSHIP_UPDATE, obj=membership,
                      before=before, after=services.membership_describe(membership), reason="admin")
        formset.save_m2m()

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_unlock(actor=request.user, user=user)  # type: ignore[arg-type]
        self.message_user(request, _("Accounts unlocked."), messages.SUCCESS)


@admin.register(MinistryUnit)
class MinistryUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_coordinator", "valid_from", "valid_to")
    list_filter = ("is_coordinator",)
    search_fields = ("name", "name_en", "slug")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "lookup", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), ("expires_at", admin.EmptyFieldListFilter))
    search_fields = ("user__username", "name", "lookup")
    fields = ("user", "name", "lookup", "token_hash", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                revoked += 1
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked) % {"count": revoked}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "unit", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["name", "short_name", "name_folded"]
    readonly_fields = ["name_folded"]
