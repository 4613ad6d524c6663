"""API plumbing shared by every domain router: authentication, the error body, common schemas."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ErrorOut(Schema):
    code: str
    message: str
    details: Any = None


class SessionOrTokenAuth(HttpBearer):
    """A Bearer token (resolved by BearerTokenMiddleware) or a logged-in session — with the CSRF check
    on writes for sessions, since a browser sends the cookie by itself."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        is_session = getattr(request, "auth_method", "session") != "token"
        if is_session and request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover - __call__ decides
        return None


authenticated = SessionOrTokenAuth()

ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
}
