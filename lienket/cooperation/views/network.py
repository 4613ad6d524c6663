"""/hop-tac/mang-luoi/: the linkage network drawn as server-side SVG, with the same numbers in a table."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienket.core import clock
from lienket.core.errors import ValidationFailed

from .. import network, permissions
from ..codes import ErrorCode
from ..models import Field
from .common import refusals_as_pages, render_page


def _day(value: str, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(f)s: “%(v)s” is not a date.") % {"f": label, "v": value[:20]},
                               code=ErrorCode.INVALID_PROGRAMME) from None


@require_GET
@refusals_as_pages
def network_page(request: HttpRequest) -> HttpResponse:
    g = request.GET
    start, end = network.default_window(_day(g.get("from", ""), _("From")), _day(g.get("to", ""), _("To")),
                                        clock.today())
    if end < start:
        raise ValidationFailed(_("“To” is before “From”."), code=ErrorCode.END_BEFORE_START)
    field = g.get("field") if g.get("field") in Field.values else None
    data = network.network_cached(date_from=start, date_to=end, field=field,
                                  published_only=not permissions.sees_all(request.user))
    title = _("Linkage network of the units, %(start)s–%(end)s") % {"start": start.strftime("%d/%m/%Y"),
                                                                   "end": end.strftime("%d/%m/%Y")}
    drawing = mark_safe(network.svg(data, title=title))  # built from escaped names and numbers only
    nodes = sorted((n for n in data["nodes"] if n["kind"] == "unit"), key=lambda n: n["rank"] or 999)
    return render_page(request, "cooperation/network.html", {
        "data": data, "svg": drawing, "title": title, "nodes": nodes, "start": start, "end": end, "field": field,
        "fields": Field.choices, "revealed": network.node_names(data, data["hubs"]["revealed"]),
        "proposed": network.node_names(data, data["hubs"]["proposed"]),
        "isolated": network.node_names(data, data["isolated"]), "edge_count": len(data["edges"]),
        "published_only": data["published_only"],
    })
