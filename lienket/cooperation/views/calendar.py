"""/hop-tac/lich/ (list and month views, clash warnings) and /hop-tac/lich.ics (for calendar apps)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienket.core import clock
from lienket.core.errors import ValidationFailed
from lienket.regions.keys import unit_key_resolve
from lienket.regions.models import AdminUnit

from .. import calendar, selectors
from ..codes import ErrorCode
from ..models import Field
from .common import refusals_as_pages, render_page
from .programmes import unit_choices

ICS_DAYS_BACK = 366
ICS_DAYS_AHEAD = 2 * 366


def _month(value: str) -> dt.date:
    if not value:
        today = clock.today()
        return today.replace(day=1)
    try:
        year, month = (int(x) for x in value.split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationFailed(_("“%(m)s” is not a month (YYYY-MM).") % {"m": value[:20]},
                               code=ErrorCode.INVALID_PROGRAMME) from None


def _filters(request: HttpRequest) -> tuple[AdminUnit | None, str | None]:
    g = request.GET
    unit = unit_key_resolve(g["unit"][:40], on=clock.today()) if g.get("unit") else None
    field = g.get("field") if g.get("field") in Field.values else None
    return unit, field


@require_GET
@refusals_as_pages
def calendar_page(request: HttpRequest) -> HttpResponse:
    month = _month(request.GET.get("month", ""))
    view = "month" if request.GET.get("view") == "month" else "list"
    unit, field = _filters(request)
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    acts = list(selectors.activities_visible(user=request.user, date_from=month, date_to=last, unit=unit,
                                             field=field))
    found = calendar.clashes(acts)
    prev_month = (month - dt.timedelta(days=1)).replace(day=1)
    next_month = last + dt.timedelta(days=1)
    query = request.GET.copy()
    query.pop("month", None)
    query.pop("view", None)
    return render_page(request, "cooperation/calendar.html", {
        "month": month, "view": view, "activities": acts, "clashes": found, "clash_ids": calendar.clash_ids(found),
        "weeks": calendar.month_grid(month.year, month.month, acts) if view == "month" else None,
        "prev_month": prev_month, "next_month": next_month, "query": query.urlencode(),
        "unit_choices": unit_choices()[:1], "fields": Field.choices, "filters": request.GET,
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    })


@require_GET
@refusals_as_pages
def calendar_ics(request: HttpRequest) -> HttpResponse:
    unit, field = _filters(request)
    today = clock.today()
    acts = selectors.activities_visible(user=request.user, date_from=today - dt.timedelta(days=ICS_DAYS_BACK),
                                        date_to=today + dt.timedelta(days=ICS_DAYS_AHEAD), unit=unit, field=field)
    body = calendar.ics(acts, base_url=request.build_absolute_uri("/").rstrip("/"),
                        name=_("Regional trade-promotion calendar"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lich-xuc-tien.ics"'
    return response
