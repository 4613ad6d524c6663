"""Account pages (log in/out, password, roles, API tokens) and the audit trail page. Thin adapters over
services and selectors; refusals are shown as form errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lienket.core.errors import ApplicationError, NotFound, PermissionDenied

from . import permissions, selectors, services
from .forms import AuditedPasswordChangeForm, AuditFilterForm, LoginForm, TokenCreateForm
from .models import User
from .permissions import user_roles

AUDIT_PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "users/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Without a `next`, people land on their work: the page settings.LIENKET_LANDING names for the first of
        their roles in that order (a province officer: "Việc của tôi"); anyone else on the home page."""
        return landing_url(self.request.user) or super().get_default_redirect_url()


def landing_url(user: Any) -> str | None:
    """The URL of the first page of settings.LIENKET_LANDING (role → URL name) that fits one of the user's roles.
    Apps that own a role's work name it there; users imports none of them."""
    roles = {str(r) for r in user_roles(user)}
    for role, url_name in getattr(settings, "LIENKET_LANDING", {}).items():
        if role in roles:
            try:
                return reverse(url_name)
            except NoReverseMatch:
                continue
    return None


class LogoutView(auth_views.LogoutView):
    """POST only (Django refuses GET), so a link or an image cannot log people out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "users/password_change.html"
    form_class = AuditedPasswordChangeForm
    success_url = reverse_lazy("users:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "users/password_change_done.html"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _tokens_context(request: HttpRequest, *, form: TokenCreateForm | None = None, new_token: str | None = None,
                    new_token_name: str = "") -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "tokens": list(selectors.token_list_for_user(user=user)),
        "token_form": form or TokenCreateForm(),
        "new_token": new_token,
        "new_token_name": new_token_name,
        "now": timezone.now(),
    }


def _render_tokens(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    if _is_htmx(request):
        return render(request, "users/_tokens.html", context, status=status)
    user: User = request.user  # type: ignore[assignment]
    context = {**context, "memberships": permissions.user_memberships(user), "roles": permissions.user_roles(user)}
    return render(request, "users/account.html", context, status=status)


@never_cache
@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _render_tokens(request, _tokens_context(request))


@never_cache
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show it once. Rendered (not redirected) so the raw token is never stored,
    not even in the session."""
    user: User = request.user  # type: ignore[assignment]
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        days = form.cleaned_data.get("expires_days")
        expires_at = timezone.now() + dt.timedelta(days=int(days)) if days else None
        try:
            token, raw = services.token_create(actor=user, user=user, name=form.cleaned_data["name"], expires_at=expires_at)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return _render_tokens(request, _tokens_context(request, new_token=raw, new_token_name=token.name))
    return _render_tokens(request, _tokens_context(request, form=form), status=200 if _is_htmx(request) else 422)


@never_cache
@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        token = selectors.token_get_for_user(token_id=token_id, user=user)
    except NotFound as exc:
        # someone else's token is a refusal like any other (404), not a redirect with a message
        raise Http404(exc.message) from exc
    try:
        services.token_revoke(actor=user, token=token)
    except ApplicationError as exc:
        if _is_htmx(request):
            form = TokenCreateForm()
            context = _tokens_context(request, form=form)
            context["error"] = exc.message
            return _render_tokens(request, context)
        messages.error(request, exc.message)
        return redirect("users:account")
    if _is_htmx(request):
        context = _tokens_context(request)
        context["status_message"] = _("The token “%(name)s” was revoked.") % {"name": token.name}
        return _render_tokens(request, context)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("users:account")


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """Who changed what, when, before → after. Administrators and the Ministry coordinator see every entry;
    others see the entries of their own actions."""
    form = AuditFilterForm(request.GET or None)
    status = 200
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        try:
            filters = selectors.audit_filters_parse(
                object_ref=data.get("object"), actor=data.get("actor"), action=data.get("action"),
                since=data.get("since"), until=data.get("until"),
            )
            entries = selectors.audit_entry_list(user=request.user, filters=filters)
        except ApplicationError as exc:
            field = exc.details.get("field") if isinstance(exc.details, dict) else None
            field = field if field in form.fields else None
            if not form.is_bound:
                form = AuditFilterForm(request.GET)
                form.is_valid()
            form.add_error(field, exc.message)
            status = 403 if isinstance(exc, PermissionDenied) else 422
        else:
            paginator = Paginator(entries, AUDIT_PAGE_SIZE)
            page = paginator.get_page(request.GET.get("page"))
    else:
        status = 422
        try:  # also report a bad object reference, not only the fields Django checked
            selectors.audit_filters_parse(object_ref=request.GET.get("object"))
        except ApplicationError as exc:
            form.add_error("object", exc.message)
    rows = [{"entry": e, "diff": selectors.audit_diff(e)} for e in page] if page is not None else []
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "sees_all": permissions.can_read_audit(request.user),
    }
    return render(request, "audit/list.html", context, status=status)
