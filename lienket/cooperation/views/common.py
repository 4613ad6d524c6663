"""What every cooperation page shares: rendering, and refusals shown as pages with their status."""

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


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


def error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    status = exc.status if isinstance(exc, NotFound | PermissionDenied | Conflict) else 400
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Changed by someone else")}
    context = {"message": exc.message, "status": status, "title": titles.get(status, _("Cannot do that")),
               "code": exc.code}
    return render(request, "cooperation/error.html", context, status=status)


def refusals_as_pages(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            return error_page(request, exc)

    return wrapper
