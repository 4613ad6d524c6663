from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .tokens import token_authenticate


class BearerTokenMiddleware:
    """`Authorization: Bearer <token>` on /api/ sets request.user. A bad token is a 401, never a silent
    fall-back to anonymous. Token requests carry no cookies to protect, so CSRF does not apply to them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header and request.path.startswith("/api/"):
            scheme, _sep, credentials = header.partition(" ")
            if scheme.lower() != "bearer" or not credentials.strip():
                return JsonResponse(
                    {"code": "unauthorized", "message": _("Use the header 'Authorization: Bearer <token>'."), "details": None},
                    status=401,
                )
            user = token_authenticate(credentials)
            if user is None:
                return JsonResponse(
                    {"code": "unauthorized", "message": _("The API token is invalid, expired or revoked."), "details": None},
                    status=401,
                )
            if user.is_locked():
                # A lockout after repeated failed logins covers every way in, not only the login form.
                until = timezone.localtime(user.locked_until).strftime("%H:%M %d/%m/%Y") if user.locked_until else ""
                return JsonResponse(
                    {"code": "account_locked",
                     "message": _("This account is locked after repeated failed logins; its API tokens are refused "
                                  "until %(until)s.") % {"until": until},
                     "details": {"locked_until": user.locked_until.isoformat() if user.locked_until else None}},
                    status=403,
                )
            request.user = user
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
            request.auth_method = "token"  # type: ignore[attr-defined]
        return self.get_response(request)
