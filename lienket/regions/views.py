"""HTML pages of the reference data (public): units on a date, one unit over time, the region profile.

Thin adapters over selectors. Bad query parameters are refusals the user can act on: the page is shown with the
message and a 400 (bad input) or 404 (nothing with that code/group/year) status, never a 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from lienket.core.errors import ApplicationError, NotFound

from . import selectors
from .models import UnitStat

DEFAULT_GROUP = "north"


def _status(exc: ApplicationError) -> int:
    return 404 if isinstance(exc, NotFound) else 400


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    """Units valid on a date, filtered by group and an accent-insensitive search; HTMX refreshes the table."""
    raw_date = request.GET.get("date", "")
    group = request.GET.get("group", "").strip()
    q = request.GET.get("q", "").strip()
    context: dict[str, Any] = {
        "groups": selectors.groups_cached(),
        "group": group,
        "q": q,
        "raw_date": raw_date,
        "date": None,
        "units": [],
        "error": None,
    }
    status = 200
    try:
        day = selectors.date_from_param(raw_date)
        context["date"] = day
        context["units"] = list(selectors.unit_list(date=day, group=group or None, q=q or None))
    except ApplicationError as exc:
        context["error"], status = exc.message, _status(exc)
    template = "regions/_unit_results.html" if _is_htmx(request) else "regions/unit_list.html"
    return _render(request, template, context, status)


@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One code over time: the record valid on the date, every record with the code, successions, groups, figures."""
    history = list(selectors.unit_history(code=code))
    context: dict[str, Any] = {"code": code, "history": history, "unit": None, "error": None, "date": None}
    status = 200
    try:
        day = selectors.date_from_param(request.GET.get("date", ""))
        context["date"] = day
        unit = selectors.unit_get(code=code, date=day)
    except ApplicationError as exc:
        context["error"], status = exc.message, _status(exc)
        return _render(request, "regions/unit_detail.html", context, status)
    stats = list(selectors.unit_stats(unit=unit))
    context.update(
        unit=unit,
        # (link, the unit on the other side, a date on which that unit is valid) for one shared table partial
        predecessors=[
            (link, link.predecessor, link.predecessor.valid_to or link.effective)
            for link in selectors.unit_predecessors(unit=unit)
        ],
        successors=[
            (link, link.successor, link.successor.valid_from or link.effective)
            for link in selectors.unit_successors(unit=unit)
        ],
        memberships=list(selectors.unit_memberships(unit=unit)),
        stats=stats,
        has_resolution_stats=any(
            s.measure in (UnitStat.Measure.RESOLUTION_AREA, UnitStat.Measure.RESOLUTION_POPULATION) for s in stats
        ),
    )
    return _render(request, "regions/unit_detail.html", context, status)


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    """Area, population, density and shares of a group (default: the northern region) for one statistical year."""
    group = request.GET.get("group", "").strip() or DEFAULT_GROUP
    raw_year = request.GET.get("year", "")
    raw_date = request.GET.get("date", "")
    context: dict[str, Any] = {
        "groups": selectors.groups_cached(),
        "years": selectors.stat_years(),
        "group": group,
        "raw_year": raw_year.strip(),
        "raw_date": raw_date.strip(),
        "profile": None,
        "error": None,
    }
    status = 200
    try:
        year = selectors.year_from_param(raw_year)
        day: dt.date | None = selectors.date_from_param(raw_date) if raw_date.strip() else None
        result = selectors.region_profile(group_key=group, year=year, date=day)
        context["profile"] = result
        context["raw_year"] = str(result.year)
        # the rendered figures are cached with the profile (same key life: until reference data is loaded)
        context["profile_cache_key"] = selectors.reference_cache_key(
            "profile-html", result.group.key, result.year, day.isoformat() if day else "", translation.get_language()
        )
        context["profile_cache_seconds"] = getattr(settings, "REFERENCE_CACHE_SECONDS", 3600)
    except ApplicationError as exc:
        context["error"], status = exc.message, _status(exc)
    return _render(request, "regions/profile.html", context, status)
