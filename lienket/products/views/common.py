"""What every product page shares: rendering, and refusals (403/404/409, 400 for a bad parameter) as pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from lienket.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from lienket.core.views import refusals_as

View = Callable[..., HttpResponseBase]
PAGE_SIZE = 24


def status_of(exc: ApplicationError) -> int:
    if isinstance(exc, NotFound | PermissionDenied | Conflict):
        return exc.status
    return 400


def error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    status = status_of(exc)
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Changed by someone else")}
    return render(request, "products/error.html",
                  {"message": exc.message, "status": status, "title": titles.get(status, _("Cannot do that"))}, status=status)


# Turn an ApplicationError raised while handling a request (bad parameter, not yours, missing) into its page.
refusals_as_pages = refusals_as(error_page)
