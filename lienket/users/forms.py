"""HTML forms of the account pages. Thin: validation that matters lives in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from lienket.core.errors import ApplicationError

from . import services
from .models import User


class LockoutLoginMixin:
    """clean() goes through services.user_authenticate, so the lockout and the audit apply to every login
    form that uses it (the site's and the admin's)."""

    request: Any
    cleaned_data: dict[str, Any]
    user_cache: Any

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = services.user_authenticate(request=self.request, username=username, password=password)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None
            self.confirm_login_allowed(self.user_cache)  # type: ignore[attr-defined]
        return self.cleaned_data


class LoginForm(LockoutLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutLoginMixin, AdminAuthenticationForm):
    pass


class AuditedPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password + two new ones, validators) whose save goes through the audited service."""

    def save(self, commit: bool = True) -> Any:
        user: User = self.user  # type: ignore[assignment]
        return services.password_change(actor=user, user=user, new_password=self.cleaned_data["new_password1"])


class TokenCreateForm(forms.Form):
    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("", _("Never (revoke it yourself)")),
    ]

    name = forms.CharField(
        label=_("Token name"), max_length=100,
        help_text=_("What will use it, e.g. “Excel import script of the Department”."),
    )
    expires_days = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, required=False, initial="90")


class AuditFilterForm(forms.Form):
    object = forms.CharField(
        label=_("Object"), required=False, max_length=170,
        help_text=_("app.model or app.model:id, e.g. reporting.submission:12"),
    )
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
