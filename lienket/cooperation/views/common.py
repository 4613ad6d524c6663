"""What every cooperation page shares: rendering, and refusals shown as pages with their status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from lienket.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from lienket.core.views import refusals_as

View = Callable[..., HttpResponseBase]


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


def error_page(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    status = exc.status if isinstance(exc, NotFound | PermissionDenied | Conflict) else 400
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Changed by someone else")}
    context = {"message": exc.message, "status": status, "title": titles.get(status, _("Cannot do that")),
               "code": exc.code}
    return render(request, "cooperation/error.html", context, status=status)


# Turn an ApplicationError raised while handling a request (bad parameter, not yours, missing) into its page.
refusals_as_pages = refusals_as(error_page)
