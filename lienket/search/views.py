"""The search page `/tim-kiem/?q=&type=&unit=`: the whole page, or only the results for HTMX (as the user types)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from lienket.core.errors import ApplicationError

from . import selectors
from .values import KINDS

PAGE = 20


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    kind = request.GET.get("type", "")
    unit = request.GET.get("unit", "")
    kind = kind if kind in KINDS else ""
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 15))
    except ValueError:
        page = 1
    context: dict[str, Any] = {"q": q, "kind": kind, "unit": unit, "results": None, "error": "", "page": page}
    status = 200
    try:
        context["results"] = selectors.search_for_user(
            user=request.user, q=q, kinds=[kind] if kind else None, unit=unit, limit=PAGE, offset=(page - 1) * PAGE
        )
    except ApplicationError as exc:
        context["error"] = exc.message
        status = 400
    results = context["results"]
    if results is not None:
        context["has_next"] = results.count > page * PAGE
    partial = request.headers.get("HX-Request") == "true"
    if not partial:
        context["kinds"] = selectors.kind_choices()
        context["units"] = selectors.unit_choices()
    response = render(request, "search/_results.html" if partial else "search/search.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
