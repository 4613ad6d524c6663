"""What every reporting page shares: rendering (HTMX fragment or page), refusals shown as pages with their
status (403/404/409, 400 for a bad parameter, never a 500), period and unit-key parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from lienket.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.views import refusals_as
from lienket.regions.keys import unit_key_parse

from ..codes import ErrorCode
from ..periods import PeriodSpec, parse_period

PAGE_SIZE = 50
View = Callable[..., HttpResponse]


# ---------------------------------------------------------------------------------------------------------
# Helpers


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def current_lang() -> str:
    return translation.get_language() or "vi"


def status_of(exc: ApplicationError) -> int:
    """The status of a refusal page: 403/404/409 as raised; any other refusal of a parameter is a 400."""
    if isinstance(exc, NotFound | PermissionDenied | Conflict):
        return exc.status
    return 400


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def error_page(request: HttpRequest, exc: ApplicationError, *, status: int | None = None) -> HttpResponse:
    """The refusal as a page (or, for HTMX, a fragment) with the reason the service gave."""
    status = status or status_of(exc)
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Changed by someone else")}
    context = {"message": exc.message, "status": status, "title": titles.get(status, _("Cannot do that")), "code": exc.code}
    template = "reporting/_error.html" if is_htmx(request) else "reporting/error.html"
    return render_page(request, template, context, status)


# Turn an ApplicationError raised while handling a request (bad parameter, not yours, missing) into its page.
refusals_as_pages = refusals_as(error_page)


def period_labels(codes: Iterable[str]) -> dict[str, str]:
    """Period code → its label in the current language, for templates (`period_labels|get_item:code`)."""
    lang = current_lang()
    return {code: parse_period(code).label(lang) for code in set(codes)}


def period_param(code: str) -> PeriodSpec:
    return parse_period(code)  # ValidationFailed (400) with the list of accepted forms


def unit_key_check(key: str) -> None:
    """selectors.unit_resolve looks a `code@date` key up as a date; reject a malformed date here (404)."""
    try:
        unit_key_parse(key or "")
    except ValidationFailed:
        raise NotFound(_("No administrative unit has the key “%(key)s”.") % {"key": key[:40]}, {"unit": key[:40]},
                       code=ErrorCode.UNKNOWN_UNIT) from None
