from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import ApplicationError

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def refusals_as(error_page: Callable[[HttpRequest, ApplicationError], Any]) -> Callable[[V], V]:
    """A view decorator that turns an ApplicationError raised while handling the request (bad parameter, not
    yours, missing, changed meanwhile) into the app's own refusal page, `error_page(request, exc)`."""

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                return view(request, *args, **kwargs)
            except ApplicationError as exc:
                return error_page(request, exc)

        return wrapper  # type: ignore[return-value]

    return decorate


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the site and its database answer; 503 otherwise (for load balancers and `make demo`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")
