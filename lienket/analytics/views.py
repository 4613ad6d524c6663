"""Analytics pages, thin: the pivot (/analytics/), the dashboards, the map and the public statistics page
(/thong-ke/). Every figure comes from `selectors.analytics_table` (one visibility rule, one engine)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lienket.core.errors import ApplicationError
from lienket.regions.models import UnitGroup

from . import charts
from .query import BY, MEASURES, query_parse
from .selectors import analytics_table, indicator_choices

DEFAULT_PIVOT = {"indicator": "EXPORT", "period": "202401..202406", "by": "unit", "group": "north"}


BY_LABELS = {"unit": _("Unit"), "subregion": _("Sub-region"), "period": _("Period"), "option": _("Breakdown")}
MEASURE_LABELS = {
    "value": _("Value"), "yoy": _("Change vs same period last year (%)"),
    "yoy_abs": _("Change vs same period last year (absolute)"), "ytd": _("Year to date"),
    "plan_pct": _("% of annual plan"), "per_capita": _("Per capita"), "per_km2": _("Per km²"),
    "share": _("Share of the group (%)"), "rank": _("Rank"), "count_above": _("Units above the threshold"),
}


def lang() -> str:
    return (translation.get_language() or "vi").split("-")[0]


def figure_json(table: Any, *, one_measure: bool = False) -> str:
    """The chart's JSON for the chart's `data-figure` attribute (the template escapes it)."""
    return json.dumps(charts.table_figure(table, one_measure=one_measure), ensure_ascii=False).replace("<", "\\u003c")


def _form_context(params: Any) -> dict[str, Any]:
    return {
        "indicators": indicator_choices(),
        "groups": list(UnitGroup.objects.order_by("sort_order", "key")),
        "by_choices": [(b, BY_LABELS[b]) for b in BY],
        "measure_choices": [(m, MEASURE_LABELS[m]) for m in MEASURES],
        "selected_indicators": set(",".join(params.getlist("indicator")).split(",")) if hasattr(params, "getlist") else set(),
        "params": params,
    }


@require_GET
def pivot(request: HttpRequest) -> HttpResponse:
    """Choose indicators, periods, units or a group, rows and measure; the table, its chart, how each number was
    obtained, and the exports of exactly this table. The selection lives in the URL."""
    params = request.GET if request.GET.get("indicator") or request.GET.get("period") else _defaults()
    context = _form_context(params)
    status = 200
    try:
        query = query_parse(params)
        table = analytics_table(user=request.user, query=query, lang=lang())
        qs = query.params()
        context.update(table=table, figure=figure_json(table), query=query,
                       exports={fmt: "/api/v1/analytics?" + urlencode({**qs, "format": fmt}) for fmt in ("xlsx", "csv", "sdmx-csv")})
    except ApplicationError as exc:
        context["error"] = exc.message
        status = 400
    return render(request, "analytics/pivot.html", context, status=status)


def _defaults() -> Any:
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    q.update(DEFAULT_PIVOT)
    return q
