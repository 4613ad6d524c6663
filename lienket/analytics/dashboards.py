"""Dashboards, thin views over the engine: the regional overview, one page per unit, rankings, the tile map and
the public statistics page (/thong-ke/, accepted figures only, with source and acceptance date)."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
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


@dataclass(frozen=True)
class Content:
    """A page's own part (between the site's header and footer) and its title."""

    html: str
    title: str


class _Memo:
    """A small least-recently-used memo of this process (a gunicorn worker's), bounded in entries."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


# Content of the published figures, by (figures' version, language, page, parameters): filled from the shared cache.
CONTENTS = _Memo(256)
# Whole pages as an anonymous visitor gets them, by (that key, full path), with the per-request parts left as
# placeholders: the CSRF token (a fresh one per response, as {% csrf_token %} gives) and the CSP nonce, if used.
PAGES = _Memo(256)
CSRF_PLACEHOLDER = "lkcsrf" + secrets.token_hex(29)  # 64 characters, like a token, never one
NONCE_PLACEHOLDER = "lknonce" + secrets.token_hex(8)


def _page(request: HttpRequest, template: str, build: Callable[[], dict[str, Any]], *,
          title: Callable[[dict[str, Any]], str], chart: bool = False) -> HttpResponse:
    """The page: `template`'s content (from `build()`'s context) inside the site's shell (analytics/_page.html).

    For viewers of the published figures (everybody but a province's own people) the content is cached under the
    figures' version, which the workflow replaces on every accept/reopen: computed and rendered once per change of
    the data, and fresh as soon as it changes. Read on each request: the version (one round trip to the shared
    cache); then the content from this process' memo, or the shared cache, or built. An anonymous visitor's whole
    page is memoised too — it differs from another's only by the CSRF token (and a CSP nonce, if a template used
    one), put in per response. A signed-in viewer's shell (name, menu, log-out form) is rendered per request."""
    shell = {"chart": chart}
    if not (published_cache() and figures_view_is_public(request.user)):
        content, status = _content(request, template, build, title)
        return _render(request, content, shell, status)
    key = hashlib.sha256(repr((figures_version(), lang(), request.path, sorted(request.GET.lists()))).encode()).hexdigest()
    anonymous = not request.user.is_authenticated and not _has_messages(request)
    if anonymous and (page := PAGES.get((key, request.get_full_path()))) is not None:
        return _personal(request, page)
    content = CONTENTS.get(key)
    if content is None:
        content = cache.get(f"analytics:page:{key}")
        if content is None:
            content, status = _content(request, template, build, title)
            if status != 200:  # a refusal (bad parameter, no such unit) is never cached
                return _render(request, content, shell, status)
            cache.set(f"analytics:page:{key}", content, CACHE_SECONDS)
        CONTENTS.put(key, content)
    if not anonymous:
        return _render(request, content, shell, 200)
    html: str = render_to_string("analytics/_page.html", {**_shell_context(content, shell), "csrf_token": CSRF_PLACEHOLDER},
                            request)
    nonce = getattr(request, "_csp_nonce", None)  # django-csp: set once a template asked for request.csp_nonce
    if isinstance(nonce, str):
        html = html.replace(nonce, NONCE_PLACEHOLDER)
    PAGES.put((key, request.get_full_path()), html)
    return _personal(request, html)


def _content(request: HttpRequest, template: str, build: Callable[[], dict[str, Any]],
             title: Callable[[dict[str, Any]], str]) -> tuple[Content, int]:
    """The page's own part and its status. It is shared by every viewer of the published figures: the content
    templates use nothing of the viewer or of the request (no CSRF token, nonce or name — those are the shell's)."""
    try:
        context = build()
        status = 200
    except ApplicationError as exc:
        context, status = {"error": exc.message}, 400 if exc.status != 404 else 404
    return Content(html=render_to_string(template, context, request), title=title(context)), status


def _shell_context(content: Content, shell: dict[str, Any]) -> dict[str, Any]:
    return {**shell, "page_title": content.title, "page_content": mark_safe(content.html)}  # our own rendered HTML


def _render(request: HttpRequest, content: Content, shell: dict[str, Any], status: int) -> HttpResponse:
    return render(request, "analytics/_page.html", _shell_context(content, shell), status=status)


def _has_messages(request: HttpRequest) -> bool:
    """Whether messages wait to be shown (the shell lists them): such a page is rendered, not memoised."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _personal(request: HttpRequest, page: str) -> HttpResponse:
    """An anonymous visitor's memoised page with this response's own CSRF token (and CSP nonce)."""
    html = page.replace(CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))  # type: ignore[attr-defined]
    return HttpResponse(html)


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
    return _page(request, "analytics/_overview.html", build, title=lambda _c: gettext("Regional overview"), chart=True)


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
    return _page(request, "analytics/_unit.html", build, title=lambda c: c["unit"].name if "unit" in c else gettext("Unit"),
                 chart=True)


def _by_unit(request: HttpRequest) -> dict[str, Any]:
    """Rankings' and the map's common part: one indicator (the first key one by default), one period and measure,
    by unit across the northern region, and the choices of the form."""
    period = _period(request)
    inds = key_indicators()
    indicator = request.GET.get("indicator") or (inds[0].code if inds else "")
    measure = request.GET.get("measure") or "value"
    table = _table(request.user, indicator=indicator, period=period, group="north", by="unit", measure=measure)
    return {"table": table, "period": period, "indicator": indicator, "measure": measure, "indicators": inds}


@require_GET
def rankings(request: HttpRequest) -> HttpResponse:
    """Units ranked by an indicator's value (or change), highest first."""
    def build() -> dict[str, Any]:
        ctx = _by_unit(request)
        ctx["ranked"] = sorted((r for r in ctx["table"].rows if r.kind == "unit"),
                               key=lambda r: (r.cells[0].value is None, -(r.cells[0].value or 0)))
        return ctx
    return _page(request, "analytics/_rankings.html", build, title=lambda _c: gettext("Rankings"))


@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    """The tile-grid map of one indicator and period, coloured by the chosen measure."""
    def build() -> dict[str, Any]:
        ctx = _by_unit(request)
        after = ctx["table"].query.periods[-1].end >= MERGER
        uploaded = next((b for b in Boundaries.objects.order_by("-valid_on", "-uploaded_at")
                         if (b.valid_on >= MERGER) == after), None)
        ctx["map"] = boundary_map(ctx["table"], uploaded) if uploaded is not None else tile_map(ctx["table"])
        return ctx
    return _page(request, "analytics/_map.html", build, title=lambda _c: gettext("Map"))


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
    return _page(request, "analytics/_public.html", build, title=lambda _c: gettext("Published statistics"))


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
