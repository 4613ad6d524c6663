"""The workflow pages: firing an action (with the version the person saw), the list of submissions and
completeness / timeliness of a data set for a period."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lienket.core import clock
from lienket.core.errors import ApplicationError, Conflict
from lienket.core.text import nfc
from lienket.users.permissions import is_coordinator, province_units

from .. import permissions, selectors, services
from ..forms import (
    MAX_REASON,
    SubmissionFilterForm,
    TransitionForm,
)
from ..models import Submission, SubmissionStatus
from ..periods import period_type_check, periods_of_type
from .common import PAGE_SIZE, current_lang, error_page, period_labels, period_param, refusals_as_pages, render_page
from .entry import render_detail


def _success_message(action: str, submission: Submission) -> str:
    if action == "reopen":
        date = submission.reopened_until.strftime("%d/%m/%Y") if submission.reopened_until else ""
        return _("The report was reopened for changes until %(date)s; the reopening is recorded in the audit trail.") % {"date": date}
    return {
        "submit": _("The report was submitted; the director of the department can now approve it."),
        "approve": _("The report was approved and sent to the Ministry."),
        "accept": _("The report was accepted; its data is now locked."),
        "return": _("The report was returned with your reason."),
    }.get(action, _("Done."))


@login_required
@require_POST
def submission_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Fire one workflow action with the version the person saw; a refusal shows the page again with the
    reason (403 not yours, 409 changed meanwhile, 422 reason missing or the data has errors)."""
    try:
        submission = permissions.submission_get_for_user(id=pk, user=request.user)
    except ApplicationError as exc:
        return error_page(request, exc)
    form = TransitionForm(request.POST)
    reason = nfc(request.POST.get("reason", ""))[:MAX_REASON]
    if not form.is_valid():
        return render_detail(request, submission, status=400, reason=reason,
                              transition_error=_("Choose one of the actions shown on the page."))
    action = form.cleaned_data["action"]
    try:
        updated = services.submission_transition(
            submission=submission, actor=request.user, action=action, reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except Conflict as exc:
        current = Submission.objects.select_related("dataset", "unit", "period").get(pk=submission.pk)
        message = exc.message
        if exc.code == "version_conflict":
            message = _(
                "This report was changed by someone else while you were looking at it (it is now %(status)s). "
                "Your action was not applied; check the current state below and try again if still needed."
            ) % {"status": current.get_status_display().lower()}
        return render_detail(request, current, status=409, reason=reason, transition_error=message)
    except ApplicationError as exc:
        details = exc.details.get("violations", []) if isinstance(exc.details, dict) else []
        return render_detail(request, submission, status=exc.status if exc.status in (403, 404, 409, 422) else 422, reason=reason,
                              transition_error=exc.message, violation_details=details)
    messages.success(request, _success_message(action, updated))
    return redirect("reporting:submission_detail", pk=updated.pk)


# ---------------------------------------------------------------------------------------------------------
# Lists and completeness


@login_required
@require_GET
@refusals_as_pages
def submission_list(request: HttpRequest) -> HttpResponse:
    """Reports the user may see (own units, everything for the coordinator, accepted ones for others), filtered."""
    form = SubmissionFilterForm(request.GET or None)
    status = 200
    page = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        try:
            qs = selectors.submission_search(
                user=request.user, dataset=data.get("dataset"), period_code=data.get("period") or "",
                unit=data.get("unit") or "", status=data.get("status") or "",
            )
        except ApplicationError as exc:
            form.add_error("unit" if isinstance(exc.details, dict) and exc.details.get("field") == "unit" else None, exc.message)
            status = 400
        else:
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "period_labels": period_labels(s.period.code for s in page) if page is not None else {}}
    return render_page(request, "reporting/submission_list.html", context, status)


@login_required
@require_GET
@refusals_as_pages
def completeness_view(request: HttpRequest, dataset_code: str, period: str) -> HttpResponse:
    """Which units reported a data set for a period, when, and whether on time; summary % completeness and
    timeliness. Links lead to the user's own unit (everything for the coordinator)."""
    dataset = selectors.dataset_get(code=dataset_code)
    spec = period_param(period)
    period_type_check(dataset=dataset, spec=spec)
    user = request.user
    today = clock.today()
    report = selectors.completeness(dataset=dataset, period_code=spec.code, on=today)
    coordinator = is_coordinator(user)
    own = {u.pk for u in province_units(user)}
    rows = []
    for r in report.rows:
        url = ""
        if coordinator or r.unit.pk in own:
            if r.submission is not None:
                url = reverse("reporting:submission_detail", args=[r.submission.pk])
            elif r.unit.pk in own:
                url = reverse("reporting:entry_open", args=[dataset.code, r.unit.key, spec.code])
        elif not own and r.submission is not None and r.status == SubmissionStatus.ACCEPTED:
            url = reverse("reporting:submission_detail", args=[r.submission.pk])  # Ministry units: accepted data
        if r.on_time is True:
            timing = "on_time"
        elif r.on_time is False:
            timing = "late"
        elif r.overdue:
            timing = "overdue"
        else:
            timing = "not_due"
        rows.append({"row": r, "url": url, "timing": timing, "own": r.unit.pk in own})
    specs = periods_of_type(dataset.period_type, spec.year - 1) + periods_of_type(dataset.period_type, spec.year) \
        + periods_of_type(dataset.period_type, spec.year + 1)
    index = next(i for i, s in enumerate(specs) if s.code == spec.code)
    context = {
        "dataset": dataset, "spec": spec, "is_coordinator": coordinator, "report": report, "summary": report.summary, "rows": rows,
        "previous_spec": specs[index - 1], "next_spec": specs[index + 1], "today": today,
        "period_label": spec.label(current_lang()), "previous_label": specs[index - 1].label(current_lang()),
        "next_label": specs[index + 1].label(current_lang()),
    }
    return render_page(request, "reporting/completeness.html", context)
