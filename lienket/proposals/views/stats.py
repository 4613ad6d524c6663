"""Statistics of proposals (with a server-side SVG bar chart), the coordinator's escalation view, and the XLSX
exports (statistics and the list). Exports never contain internal notes."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienket.core import clock
from lienket.core.errors import PermissionDenied
from lienket.core.xlsx_safe import append, new_workbook
from lienket.reporting.views.common import refusals_as_pages, render_page

from .. import permissions, selectors
from ..models import Field, Kind, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by", "ministry_unit")
    return by if by in selectors.DIMENSIONS else "ministry_unit"


def _dimension_labels() -> dict[str, str]:
    return {"ministry_unit": _("Ministry unit"), "field": _("Field"), "unit": _("Submitting unit"), "year": _("Year")}


@login_required
@require_GET
@refusals_as_pages
def statistics(request: HttpRequest) -> HttpResponse:
    by = _by(request)
    rows = selectors.statistics_by(user=request.user, by=by)
    totals = {
        "received": sum(r.received for r in rows), "answered": sum(r.answered for r in rows),
        "on_time": sum(r.on_time for r in rows), "overdue": sum(r.overdue for r in rows),
    }
    return render_page(request, "proposals/statistics.html", {
        "by": by, "rows": rows, "totals": totals, "chart": selectors.chart_bars(rows),
        "dimensions": list(_dimension_labels().items()), "by_label": _dimension_labels()[by],
    })


@login_required
@require_GET
@refusals_as_pages
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    wb = new_workbook()
    for by, label in _dimension_labels().items():
        ws = wb.create_sheet(title=label[:31])
        append(ws, [label, _("Received"), _("Answered"), _("Answered on time"), _("Median days to answer"),
                    _("Overdue now"), _("Endorsements")])
        for r in selectors.statistics_by(user=request.user, by=by):
            append(ws, [r.label, r.received, r.answered, r.on_time, r.median_days, r.overdue, r.endorsements])
    return _xlsx_response(wb, f"kien-nghi-thong-ke-{clock.today():%Y%m%d}.xlsx")


@login_required
@require_GET
@refusals_as_pages
def list_xlsx(request: HttpRequest) -> HttpResponse:
    """The proposals the user may see, with their answers — never the internal notes."""
    wb = new_workbook()
    ws = wb.create_sheet(title=_("Proposals")[:31])
    append(ws, [_("No."), _("Title"), _("Submitting unit"), _("Speaker"), _("Field"), _("Type"), _("Raised on"),
                _("Status"), _("Lead Ministry unit"), _("Deadline"), _("Answered on"), _("On time"), _("Official answer"),
                _("Endorsements"), _("Legal documents referred to"), _("Sample data")])
    for p in selectors.proposal_search(user=request.user):
        append(ws, [p.pk, p.title, p.submitter_name, ", ".join(x for x in (p.speaker, p.speaker_role) if x),
                    str(Field(p.field).label), str(Kind(p.kind).label), p.raised_on, str(Status(p.status).label),
                    p.lead_unit.name if p.lead_unit else "", p.deadline, p.answered_on(),
                    {True: _("yes"), False: _("no"), None: ""}[p.answered_on_time()],
                    p.answer if p.is_public else "", p.endorsement_count, p.legal_references,  # type: ignore[attr-defined]
                    _("yes") if p.is_sample else ""])
    return _xlsx_response(wb, f"kien-nghi-{clock.today():%Y%m%d}.xlsx")


def _xlsx_response(wb: object, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    wb.save(buffer)  # type: ignore[attr-defined]
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
@refusals_as_pages
def escalation(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_escalation(request.user):
        raise PermissionDenied(_("Only the Ministry coordinator sees the escalation view."))
    return render_page(request, "proposals/escalation.html", {"rows": selectors.escalation(), "today": clock.today()})
