"""What every product page shares: rendering, and refusals (403/404/409, 400 for a bad parameter) as pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from lienket.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied

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


def refusals_as_pages(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            return error_page(request, exc)

    return wrapper
