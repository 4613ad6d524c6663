"""My work, the indicator catalogue and data sets (read-only pages; reads from selectors)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from lienket.core import clock
from lienket.core.text import nfc
from lienket.users.permissions import is_coordinator, province_units

from .. import permissions, selectors
from ..models import SubmissionStatus
from .common import current_lang, period_labels, refusals_as_pages, render_page


@login_required
@require_GET
@refusals_as_pages
def home(request: HttpRequest) -> HttpResponse:
    """My work: a province user's open reports and what falls due soon; the coordinator's completeness
    overview of the latest periods and the approved reports waiting for acceptance."""
    user = request.user
    today = clock.today()
    coordinator = is_coordinator(user)
    open_subs = list(selectors.submissions_open(user=user)[:100])
    queue = list(selectors.acceptance_queue(user=user)[:100])
    due = selectors.due_soon(user=user, on=today)
    overview = selectors.completeness_overview(on=today) if coordinator else []
    context = {
        "today": today,
        "is_coordinator": coordinator,
        "units": list(province_units(user).order_by("code")),
        "open_submissions": open_subs,
        "approval_queue": [s for s in open_subs if s.status == SubmissionStatus.SUBMITTED and permissions.is_director_of(user, s.unit)],
        "due": due,
        "overview": overview,
        "queue": queue,
        "period_labels": period_labels(
            [s.period.code for s in open_subs + queue] + [d.period.code for d in due] + [r.period.code for r in overview]
        ),
    }
    return render_page(request, "reporting/home.html", context)


@login_required
@require_GET
@refusals_as_pages
def indicator_list(request: HttpRequest) -> HttpResponse:
    """The indicator catalogue (any signed-in user): definitions, units, how values combine, sources."""
    q = nfc(request.GET.get("q", "")).strip()[:100]
    indicators = list(selectors.indicator_catalogue(q=q))
    return render_page(request, "reporting/indicator_list.html", {"indicators": indicators, "q": q, "lang": current_lang()})


@login_required
@require_GET
@refusals_as_pages
def dataset_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "reporting/dataset_list.html", {"datasets": list(selectors.dataset_list()), "lang": current_lang()})


@login_required
@require_GET
@refusals_as_pages
def dataset_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A data set: its indicators and the periods of a year with due dates, links to completeness and to
    the entry form of the user's own unit."""
    dataset = selectors.dataset_get(code=code)
    today = clock.today()
    year = selectors.year_param(request.GET.get("year"), default=today.year)
    periods = selectors.dataset_periods(dataset=dataset, year=year, user=request.user, on=today)
    context = {
        "dataset": dataset,
        "elements": list(selectors.dataset_elements(dataset=dataset)),
        "periods": periods,
        "period_labels": period_labels(p.spec.code for p in periods),
        "year": year,
        "lang": current_lang(),
    }
    return render_page(request, "reporting/dataset_detail.html", context)
