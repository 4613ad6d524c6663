"""The API root: /api/v1/ with OpenAPI at /api/v1/openapi.json and docs at /api/v1/docs.

Every error leaves as {"code", "message", "details"} with a 4xx status; bad input is never a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from lienket.analytics.codes import ErrorCode as AnalyticsErrorCode
from lienket.cooperation.codes import ErrorCode as CooperationErrorCode
from lienket.core.codes import ErrorCode, error_codes_register
from lienket.core.errors import ApplicationError
from lienket.library.codes import ErrorCode as LibraryErrorCode
from lienket.products.codes import ErrorCode as ProductsErrorCode
from lienket.proposals.codes import ErrorCode as ProposalsErrorCode
from lienket.regions.codes import ErrorCode as RegionsErrorCode
from lienket.reporting.codes import ErrorCode as ReportingErrorCode
from lienket.search.codes import ErrorCode as SearchErrorCode
from lienket.users.codes import ErrorCode as UsersErrorCode

error_codes_register(RegionsErrorCode, UsersErrorCode, ReportingErrorCode, SearchErrorCode, LibraryErrorCode,
                     ProductsErrorCode, ProposalsErrorCode, CooperationErrorCode, AnalyticsErrorCode)


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese stays readable in responses ("Hà Nội", not "H\\u00e0 N\\u1ed9i"); JSON is UTF-8 by definition (RFC 8259)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="LienKet API",
    version="1",
    description=(
        "API of LienKet, the cooperation platform of the northern provinces' Departments of Industry and "
        "Trade and the Ministry of Industry and Trade. Authenticate with `Authorization: Bearer <token>` "
        "(create a token on your account page or with `manage.py create_token`). Errors are JSON "
        "`{code, message, details}`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "details": details}, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.details)


PARAMETER_SOURCES = frozenset({"query", "path"})


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """A bad query or path parameter (wrong type, out of range) is a 400 `invalid_parameter` naming each
    parameter and what is wrong; a body that fails its schema is a 422 `invalid`."""
    details = []
    sources = set()
    for err in exc.errors:
        raw_loc = list(err.get("loc", []))
        if raw_loc:
            sources.add(str(raw_loc[0]))
        loc = [str(part) for part in raw_loc if part not in ("query", "body", "path", "form")]
        # pydantic's ctx may hold non-JSON values (an exception); keep the bound only
        bound = {k: v for k, v in (err.get("ctx") or {}).items() if k in ("ge", "gt", "le", "lt")}
        details.append({"field": ".".join(loc), "message": err.get("msg", ""), "type": err.get("type", ""), **bound})
    if sources and sources <= PARAMETER_SOURCES:
        problems = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        return _error(request, 400, ErrorCode.INVALID_PARAMETER, _("Invalid parameter(s): %(problems)s") % {"problems": problems}, details)
    fields = ", ".join(d["field"] for d in details if d["field"]) or _("request")
    return _error(request, 422, ErrorCode.INVALID, _("Invalid input: %(fields)s") % {"fields": fields}, details)


@api.exception_handler(OverflowError)
def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """Safety net: a number that slipped past the bounds and is too large for the database is the client's
    mistake, not a server error."""
    return _error(request, 400, ErrorCode.NUMBER_TOO_LARGE, _("A number in the request is too large."))


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, ErrorCode.UNAUTHORIZED, _("Log in or send 'Authorization: Bearer <token>'."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, ErrorCode.NOT_FOUND, str(exc) or _("Not found."))


@api.exception_handler(DjangoPermissionDenied)
def on_forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return _error(request, 403, ErrorCode.FORBIDDEN, str(exc) or _("You do not have permission to do this."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED,
    }.get(exc.status_code, ErrorCode.ERROR)
    return _error(request, exc.status_code, code, str(exc))


def _register_routers() -> None:
    from lienket.analytics.api import router as analytics_router
    from lienket.cooperation.api import router as cooperation_router
    from lienket.library.api import router as library_router
    from lienket.products.api import router as products_router
    from lienket.proposals.api import router as proposals_router
    from lienket.regions.api import router as regions_router
    from lienket.reporting.api import router as reporting_router
    from lienket.search.api import router as search_router
    from lienket.users.api import router as users_router
    from lienket.users.api_audit import router as audit_router

    api.add_router("/regions", regions_router)
    api.add_router("/audit", audit_router)
    api.add_router("/users", users_router)
    api.add_router("/products", products_router)
    api.add_router("/search", search_router)
    api.add_router("/library", library_router)
    api.add_router("/proposals", proposals_router)
    api.add_router("/cooperation", cooperation_router)
    api.add_router("/", reporting_router)
    api.add_router("/analytics", analytics_router)


_register_routers()
