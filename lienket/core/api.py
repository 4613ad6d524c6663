"""API plumbing shared by every domain router: authentication, the error body, common schemas."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Path, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, PageNumberPagination
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from .codes import error_codes

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _describe_error_codes(schema: dict[str, Any]) -> None:
    # At schema time, not import time: config/api.py registers the apps' codes after this module is imported.
    codes = error_codes()
    schema["description"] = (
        "Stable, machine-readable reason (one of the apps' `ErrorCode` values; the list below may grow): "
        + ", ".join(f"`{code}`" for code in codes)
    )
    schema["examples"] = codes[:3]


class ErrorOut(Schema):
    """Every API error: `{code, message, details}`."""

    code: str = Field(..., json_schema_extra=_describe_error_codes)
    message: str = Field(..., description="For people, in the request's language")
    details: Any = Field(None, description="Structured context, e.g. the field or the list of cell errors")


class SessionOrTokenAuth(HttpBearer):
    """A Bearer token (resolved by BearerTokenMiddleware) or a logged-in session — with the CSRF check
    on writes for sessions, since a browser sends the cookie by itself."""

    def __call__(self, request: HttpRequest) -> Any:
        # HttpBearer would call authenticate() only when the header is there; a session has none, and
        # BearerTokenMiddleware has already turned a token into request.user, so always decide here.
        return self.authenticate(request, "")

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        is_session = getattr(request, "auth_method", "session") != "token"
        if is_session and request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return user


authenticated = SessionOrTokenAuth()

ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut,
}


# ---------------------------------------------------------------------------------------------------------
# Bounded integers. Python ints have no limit but database integers do: an unbounded `offset` or id reached
# the database and failed there (a 500). Every integer query or path parameter declares a maximum (a test
# walks the OpenAPI schema to keep it so); out of range is a 400 naming the parameter (config/api.py).

#: Offsets and page numbers: far beyond any table here, and inside every database's 32-bit integer.
MAX_OFFSET = 2**31 - 1
#: Primary keys are BigAutoField (64-bit signed).
MAX_ID = 2**63 - 1
#: Version counters, years and other small counts sent by clients.
MAX_SMALL_INT = 2**31 - 1


def offset_param(description: str = "Rows to skip") -> Any:
    """`offset: int = offset_param()` — a query parameter 0 … MAX_OFFSET."""
    return Query(0, ge=0, le=MAX_OFFSET, description=description)


def limit_param(default: int | None, maximum: int, description: str = "") -> Any:
    """`limit: int = limit_param(100, 1000)` — a query parameter 1 … maximum."""
    return Query(default, ge=1, le=maximum, description=description or f"At most {maximum}")


def id_path(description: str = "Id") -> Any:
    """`thing_id: int = id_path()` — a path id 1 … MAX_ID (a bigger one is a 400, never a database overflow)."""
    return Path(..., ge=1, le=MAX_ID, description=description)


def _max_limit() -> int:
    configured = getattr(settings, "NINJA_PAGINATION_MAX_LIMIT", None)
    return int(configured) if isinstance(configured, int) else 1000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with both ends bounded (ninja bounds neither offset nor, by default,
    limit). The project's NINJA_PAGINATION_CLASS, so every future `@paginate` gets it."""

    class Input(Schema):
        limit: int = Field(getattr(settings, "NINJA_PAGINATION_PER_PAGE", 100), ge=1, le=_max_limit())
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, max_limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(max_limit=max_limit or _max_limit(), **kwargs)


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with the page number bounded."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_OFFSET)
        page_size: int | None = Field(None, ge=1, le=_max_limit())
