"""Dashboards, thin views over the engine: the regional overview, one page per unit, rankings, the tile map and
the public statistics page (/thong-ke/, accepted figures only, with source and acceptance date)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from lienket.core import clock
from lienket.core.errors import ApplicationError
from lienket.regions.keys import unit_key_resolve
from lienket.reporting.aggregates import figures_version
from lienket.reporting.models import Indicator
from lienket.reporting.permissions import figures_view_is_public

from .models import Boundaries
from .query import bad, query_parse
from .selectors import (
    CACHE_SECONDS,
    Table,
    accepted_at,
    analytics_table,
    key_indicators,
    latest_period,
    published_cache,
)
from .tilemap import MERGER, boundary_map, tile_map
from .views import figure_json, lang


def _period(request: HttpRequest) -> str:
    return request.GET.get("period") or latest_period() or f"{clock.today().year}01"


def _table(user: Any, **params: str) -> Table:
    q = QueryDict(mutable=True)
    q.update({k: v for k, v in params.items() if v})
    return analytics_table(user=user, query=query_parse(q), lang=lang())


def _page(request: HttpRequest, template: str, build: Any) -> HttpResponse:
    """The page. For viewers of the published figures its content (between the header and the footer, which carry
    the viewer's name and CSRF token) is cached under the figures' version, replaced on every accept/reopen — a
    busy dashboard is computed and rendered once per change of the data, and stays fresh."""
    public = published_cache() and figures_view_is_public(request.user)
    key = uuid.uuid4().hex  # a private view: a key nobody asks for again, kept 0 s
    if public:
        key = hashlib.sha256(repr((figures_version(), lang(), request.path, sorted(request.GET.lists()))).encode()).hexdigest()
    meta = {"figures_key": key, "fragment_seconds": CACHE_SECONDS if public else 0}
    if public:  # one round trip to the shared cache: the fragment itself, handed to the template as it is
        fragment = cache.get(make_template_fragment_key("analytics_page", [key]))
        if fragment is not None:
            return render(request, template, {**meta, "page_fragment": mark_safe(fragment)})  # our own rendered HTML
    try:
        return render(request, template, {**build(), **meta})
    except ApplicationError as exc:
        return render(request, template, {"error": exc.message, **meta}, status=400 if exc.status != 404 else 404)


def _codes(inds: list[Indicator], *, summable: bool) -> str:
    return ",".join(i.code for i in inds if (i.aggregation != Indicator.Aggregation.NONE) == summable)


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """This period vs the same period last year vs the annual plan, by sub-region, and threshold counts."""
    def build() -> dict[str, Any]:
        period = _period(request)
        group = request.GET.get("group") or "north"
        inds = key_indicators()
        sums, indices = _codes(inds, summable=True), _codes(inds, summable=False)
        ctx: dict[str, Any] = {"period": period, "group": group}
        if sums:
            common = {"indicator": sums, "period": period, "group": group, "by": "subregion"}
            value = _table(request.user, **common)
            yoy = _table(request.user, **common, measure="yoy")
            plan = _table(request.user, **common, measure="plan_pct")
            ctx["summary"] = [
                {"column": c, "value": value.rows[-1].cells[i], "yoy": yoy.rows[-1].cells[i], "plan": plan.rows[-1].cells[i]}
                for i, c in enumerate(value.columns)
            ]
            ctx["by_subregion"] = value
            ctx["figure"] = figure_json(value, one_measure=True)
        if indices:
            ctx["counts"] = [
                (threshold, _table(request.user, indicator=indices, period=period, group=group, by="subregion",
                                   measure="count_above", threshold=threshold))
                for threshold in ("100", "110")
            ]
        return ctx
    return _page(request, "analytics/overview.html", build)


@require_GET
def unit_page(request: HttpRequest, key: str) -> HttpResponse:
    """One unit: its series over the last 12 months, its rank in the region, % of the annual plan."""
    def build() -> dict[str, Any]:
        period = _period(request)
        unit = unit_key_resolve(key, on=clock.today())
        if unit is None:
            raise bad("unit", key)
        inds = key_indicators()
        codes = ",".join(i.code for i in inds)
        year = int(period[:4])
        month = int(period[4:6]) if len(period) == 6 and period.isdigit() else 12
        first = f"{year - 1}{month + 1:02d}" if month < 12 else f"{year}01"
        series = _table(request.user, indicator=codes, period=f"{first}..{period}", unit=unit.key, by="period")
        rank = _table(request.user, indicator=_codes(inds, summable=True), period=period, group="north", by="unit",
                      measure="rank")
        plan = _table(request.user, indicator=_codes(inds, summable=True), period=period, unit=unit.key, measure="plan_pct")
        own_rank = next((r for r in rank.rows if r.key == unit.key), None)
        return {"unit": unit, "period": period, "series": series, "figure": figure_json(series, one_measure=True),
                "ranks": list(zip(rank.columns, own_rank.cells, strict=True)) if own_rank else [],
                "plan": list(zip(plan.columns, plan.rows[0].cells, strict=True)) if plan.rows else []}
    return _page(request, "analytics/unit.html", build)


@require_GET
def rankings(request: HttpRequest) -> HttpResponse:
    """Units ranked by an indicator's value (or change), highest first."""
    def build() -> dict[str, Any]:
        period = _period(request)
        inds = key_indicators()
        indicator = request.GET.get("indicator") or (inds[0].code if inds else "")
        measure = request.GET.get("measure") or "value"
        table = _table(request.user, indicator=indicator, period=period, group="north", by="unit", measure=measure)
        rows = sorted((r for r in table.rows if r.kind == "unit"),
                      key=lambda r: (r.cells[0].value is None, -(r.cells[0].value or 0)))
        return {"table": table, "ranked": rows, "period": period, "indicator": indicator, "measure": measure,
                "indicators": inds}
    return _page(request, "analytics/rankings.html", build)


@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    """The tile-grid map of one indicator and period, coloured by the chosen measure."""
    def build() -> dict[str, Any]:
        period = _period(request)
        inds = key_indicators()
        indicator = request.GET.get("indicator") or (inds[0].code if inds else "")
        measure = request.GET.get("measure") or "value"
        table = _table(request.user, indicator=indicator, period=period, group="north", by="unit", measure=measure)
        day = table.query.periods[-1].end
        after = day >= MERGER
        uploaded = next((b for b in Boundaries.objects.order_by("-valid_on", "-uploaded_at")
                         if (b.valid_on >= MERGER) == after), None)
        drawn = boundary_map(table, uploaded) if uploaded is not None else tile_map(table)
        return {"map": drawn, "table": table, "period": period, "indicator": indicator, "measure": measure,
                "indicators": inds}
    return _page(request, "analytics/map.html", build)


@require_GET
def public_statistics(request: HttpRequest) -> HttpResponse:
    """Published figures only — the public's view (accepted values) whoever asks — with source and acceptance date."""
    def build() -> dict[str, Any]:
        period = request.GET.get("period") or latest_period() or f"{clock.today().year}01"
        inds = key_indicators()
        table = _table(AnonymousUser(), indicator=",".join(i.code for i in inds), period=period, group="north", by="unit")
        units = {r.key: r for r in table.rows}
        accepted = accepted_at(indicator_ids=[i.pk for i in inds], unit_ids=[
            e.pk for e in _units(table)], period_codes=[period])
        return {"table": table, "period": period, "units": units,
                "accepted": {r.key: accepted.get((u.pk, period)) for r, u in _row_units(table)}}
    return _page(request, "analytics/public.html", build)


def _row_units(table: Table) -> list[tuple[Any, Any]]:
    from lienket.regions.keys import unit_key_resolve as resolve

    out = []
    day = table.query.periods[-1].end
    for r in table.rows:
        if r.kind == "unit":
            u = resolve(r.key, on=day)
            if u is not None:
                out.append((r, u))
    return out


def _units(table: Table) -> list[Any]:
    return [u for _r, u in _row_units(table)]
