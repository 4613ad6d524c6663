"""HTML pages of reporting: my work, the indicator catalogue, data sets, the HTMX data entry form with its
workflow, the list of submissions, completeness and timeliness, annual plan targets.

Thin adapters: reads come from selectors and entry.py, writes go through services (datavalues_apply,
submission_open, submission_transition, target_set). A refusal is a page with the reason and its status —
403 not allowed, 404 no such thing, 400 bad parameter, 409 someone else changed it, 422 invalid input —
never a 500. The entry form works without JavaScript (plain POST of the whole form, "Lưu nháp"); with HTMX
each changed row is saved on its own and swapped back.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienket.core import clock
from lienket.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.formats import format_number
from lienket.core.text import nfc
from lienket.regions.models import AdminUnit
from lienket.users.permissions import is_coordinator, province_units

from . import entry, permissions, selectors, services
from .codes import ErrorCode
from .forms import (
    MAX_REASON,
    SubmissionFilterForm,
    TransitionForm,
    entry_items,
    entry_posted_rows,
    targets_posted,
)
from .models import Indicator, Submission, SubmissionStatus
from .periods import PeriodSpec, parse_period, periods_of_type
from .workflow import TRANSITIONS

PAGE_SIZE = 50
View = Callable[..., HttpResponse]


# ---------------------------------------------------------------------------------------------------------
# Helpers


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _lang() -> str:
    return translation.get_language() or "vi"


def _status_of(exc: ApplicationError) -> int:
    """The status of a refusal page: 403/404/409 as raised; any other refusal of a parameter is a 400."""
    if isinstance(exc, NotFound | PermissionDenied | Conflict):
        return exc.status
    return 400


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _error_page(request: HttpRequest, exc: ApplicationError, *, status: int | None = None) -> HttpResponse:
    """The refusal as a page (or, for HTMX, a fragment) with the reason the service gave."""
    status = status or _status_of(exc)
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Changed by someone else")}
    context = {"message": exc.message, "status": status, "title": titles.get(status, _("Cannot do that")), "code": exc.code}
    template = "reporting/_error.html" if _is_htmx(request) else "reporting/error.html"
    return _render(request, template, context, status)


def _refusals_as_pages(view: View) -> View:
    """Turn an ApplicationError raised while reading (bad parameter, not yours, missing) into its page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            return _error_page(request, exc)

    return wrapper


def _period_labels(codes: Iterable[str]) -> dict[str, str]:
    """Period code → its label in the current language, for templates (`period_labels|get_item:code`)."""
    lang = _lang()
    return {code: parse_period(code).label(lang) for code in set(codes)}


def _period_param(code: str) -> PeriodSpec:
    return parse_period(code)  # ValidationFailed (400) with the list of accepted forms


def _unit_key_check(key: str) -> None:
    """services.unit_resolve looks a `code@date` key up as a date; reject a malformed date here (404)."""
    base, sep, start = (key or "").partition("@")
    if not base or (sep and not _is_iso_date(start)):
        raise NotFound(_("No administrative unit has the key “%(key)s”.") % {"key": key[:40]}, {"unit": key[:40]},
                       code=ErrorCode.UNKNOWN_UNIT)


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------------------
# My work, catalogue, data sets


@login_required
@require_GET
@_refusals_as_pages
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
        "period_labels": _period_labels(
            [s.period.code for s in open_subs + queue] + [d.period.code for d in due] + [r.period.code for r in overview]
        ),
    }
    return _render(request, "reporting/home.html", context)


@login_required
@require_GET
@_refusals_as_pages
def indicator_list(request: HttpRequest) -> HttpResponse:
    """The indicator catalogue (any signed-in user): definitions, units, how values combine, sources."""
    q = nfc(request.GET.get("q", "")).strip()[:100]
    indicators = list(selectors.indicator_catalogue(q=q))
    return _render(request, "reporting/indicator_list.html", {"indicators": indicators, "q": q, "lang": _lang()})


@login_required
@require_GET
@_refusals_as_pages
def dataset_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "reporting/dataset_list.html", {"datasets": list(selectors.dataset_list()), "lang": _lang()})


@login_required
@require_GET
@_refusals_as_pages
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
        "period_labels": _period_labels(p.spec.code for p in periods),
        "year": year,
        "lang": _lang(),
    }
    return _render(request, "reporting/dataset_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@_refusals_as_pages
def entry_open(request: HttpRequest, dataset_code: str, unit_key: str, period: str) -> HttpResponse:
    """Open (the first time: create as a draft) the report of a unit for a period and go to its form."""
    dataset = selectors.dataset_get(code=dataset_code)
    spec = _period_param(period)
    _unit_key_check(unit_key)
    unit = services.unit_resolve(code=unit_key, dataset=dataset, period=spec)
    submission = services.submission_open(dataset=dataset, unit=unit, period_code=spec.code, actor=request.user)
    return redirect("reporting:submission_detail", pk=submission.pk)


# ---------------------------------------------------------------------------------------------------------
# The entry form


def _actions(user: Any, submission: Submission) -> list[dict[str, Any]]:
    """The workflow buttons this user may press now."""
    out = []
    for code, transition in TRANSITIONS.items():
        if submission.status not in transition.sources or permissions.transition_refusal(user, submission, code):
            continue
        if code == "reopen" and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED) \
                and clock.today() <= submission.edit_deadline:
            continue  # still open for changes: nothing to reopen
        out.append({"code": code, "label": transition.label, "needs_reason": transition.needs_reason})
    return out


def _detail_context(request: HttpRequest, submission: Submission, form: entry.EntryForm, **extra: Any) -> dict[str, Any]:
    user = request.user
    actions = _actions(user, submission)
    refusal = permissions.edit_refusal(user, submission)
    lang = _lang()
    return {
        "submission": submission,
        "form": form,
        "period_label": form.spec.label(lang),
        "previous_label": form.previous_spec.label(lang),
        "last_year_label": form.last_year_spec.label(lang),
        "year": form.spec.year,
        "rows": form.rows,
        "can_edit": refusal is None,
        "edit_refusal": refusal,
        "actions": actions,
        "needs_reason": any(a["needs_reason"] for a in actions),
        "reason": "",
        "change_reason": "",
        "transition_error": "",
        "save_error": "",
        "violation_details": [],
        "today": clock.today(),
        **extra,
    }


def _render_detail(request: HttpRequest, submission: Submission, *, form: entry.EntryForm | None = None,
                   status: int = 200, **extra: Any) -> HttpResponse:
    form = form or entry.entry_form(submission=submission, user=request.user, lang=_lang())
    return _render(request, "reporting/submission_detail.html", _detail_context(request, submission, form, **extra), status)


@login_required
@require_GET
@_refusals_as_pages
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry form of one report: values beside the previous period, last year and the plan; status;
    the workflow buttons the user may press. Read-only, with the reason, when the user cannot edit."""
    submission = permissions.submission_get_for_user(id=pk, user=request.user)
    return _render_detail(request, submission)


def _conflict_message(submission: Submission, row: entry.EntryRow, yours: str) -> str:
    last = selectors.value_last_change(unit=submission.unit, period=submission.period, indicator=row.indicator, option=row.option)
    who = (last.changed_by.display_name if last and last.changed_by else "") or _("someone else")
    when = timezone.localtime(last.changed_at).strftime("%d/%m/%Y %H:%M") if last else "—"
    now = format_number(row.value.normalize()) if row.value is not None else _("empty")
    return _(
        "This value was just changed by %(who)s at %(when)s (now %(value)s). Your entry “%(yours)s” was not saved: "
        "check the current value and enter yours again if it is still right."
    ) % {"who": who, "when": when, "value": now, "yours": yours or _("empty")}


def _render_row(request: HttpRequest, submission: Submission, form: entry.EntryForm, row: entry.EntryRow, *,
                status: int = 200, oob: bool = False) -> HttpResponse:
    context = _detail_context(request, submission, form, row=row, oob=oob)
    return _render(request, "reporting/_entry_row_response.html", context, status)


@login_required
@require_POST
def values_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save values of the entry form. HTMX posts one row (`row=RETAIL`) and gets that row back — saved, or
    with its error; a plain POST ("Lưu nháp") saves every row that differs from what is stored, all or
    nothing. Each row carries the version the person saw: if someone else changed the value meanwhile the
    save is refused with who and when, and the row shows the current value."""
    try:
        submission = permissions.submission_get_for_user(id=pk, user=request.user)
    except ApplicationError as exc:
        return _error_page(request, exc)
    user = request.user
    lang = _lang()
    form = entry.entry_form(submission=submission, user=user, lang=lang)
    only_row = request.POST.get("row", "").strip()
    target = form.row(only_row) if only_row else None
    if only_row and target is None:
        return _error_page(request, NotFound(_("This form has no field “%(field)s”.") % {"field": only_row[:60]}))
    htmx_row = target if _is_htmx(request) else None  # the one row HTMX posted, to be swapped back
    posted = entry_posted_rows(request.POST, [only_row] if only_row else [r.key for r in form.rows])
    change_reason = nfc(request.POST.get("change_reason", "")).strip()[:MAX_REASON]

    def keep_posted(rows: list[entry.EntryRow], keys: set[str] | None = None) -> None:
        """Show what the person typed (in the rows they changed) when the form comes back with an error."""
        for r in rows:
            p = posted.get(r.key)
            if p is not None and (keys is None or r.key in keys):
                r.input_value, r.is_estimate, r.comment = p.raw_value, p.is_estimate, p.comment

    refusal = permissions.edit_refusal(user, submission)
    if refusal:
        keep_posted(form.rows)
        if htmx_row is not None:
            htmx_row.field_error = refusal
            return _render_row(request, submission, form, htmx_row, status=403)
        return _render_detail(request, submission, form=form, status=403, save_error=refusal, change_reason=change_reason)

    items = entry_items(submission=submission, rows=form.rows, posted=posted, only_changed=not only_row)
    if not items and htmx_row is not None:  # the row's value field was not posted: give the row back as it is
        return _render_row(request, submission, form, htmx_row, status=400)
    if not items:
        messages.info(request, _("Nothing to save: no value was changed."))
        return redirect("reporting:submission_detail", pk=submission.pk)
    try:
        result = services.datavalues_apply(actor=user, items=items, source="form", reason=change_reason)
    except (ValidationFailed, Conflict) as exc:
        errors = exc.details.get("errors", []) if isinstance(exc.details, dict) else []
        if not errors and isinstance(exc, Conflict):  # changed meanwhile, found while writing: every row posted
            errors = [{"ref": item.ref, "field": "value", "code": "version_conflict", "message": exc.message} for item in items]
        conflicts = {str(e.get("ref")) for e in errors if e.get("code") == "version_conflict"}
        # rows in conflict keep showing what is stored now (value, version), so the next save is a conscious one
        keep_posted(form.rows, {str(item.ref) for item in items} - conflicts)
        status = 422
        general: list[str] = []
        for err in errors:
            row = form.row(str(err.get("ref", "")))
            message = str(err.get("message", ""))
            if row is None:
                general.append(message)
                continue
            prefix = f"{row.key}: "
            message = message.removeprefix(prefix)
            if err.get("code") == "version_conflict":
                status = 409
                p = posted.get(row.key)
                row.field_error = _conflict_message(submission, row, p.raw_value if p else "")
            elif err.get("field") == "unit":
                general.append(message)
                status = 403 if err.get("code") == "forbidden" else status
            else:
                row.field_error = message
        if htmx_row is not None:
            if not htmx_row.field_error and general:
                htmx_row.field_error = " ".join(dict.fromkeys(general))
            return _render_row(request, submission, form, htmx_row, status=status)
        summary = _("%(count)s problem(s) found; nothing was saved. Fix the fields marked below and save again.") % {
            "count": len(errors) or 1
        }
        return _render_detail(request, submission, form=form, status=status, save_error=summary,
                              general_errors=list(dict.fromkeys(general)), change_reason=change_reason)

    if htmx_row is not None:
        fresh = entry.entry_form(submission=submission, user=user, lang=lang)
        saved = fresh.row(htmx_row.key) or htmx_row
        saved.saved = True
        return _render_row(request, submission, fresh, saved, oob=True)
    changed = result.created + result.changed + result.deleted
    messages.success(request, _("Draft saved: %(count)s value(s) changed.") % {"count": changed})
    return redirect("reporting:submission_detail", pk=submission.pk)


@login_required
@require_GET
@_refusals_as_pages
def value_history(request: HttpRequest, pk: int, indicator: str) -> HttpResponse:
    """Every change of one indicator's value(s) in a report: who, when, old → new, why, from where."""
    submission = permissions.submission_get_for_user(id=pk, user=request.user)
    ind = Indicator.objects.filter(code=indicator, elements__dataset=submission.dataset).first()
    if ind is None:
        raise NotFound(_("The form %(dataset)s has no indicator “%(code)s”.") % {"dataset": submission.dataset.code, "code": indicator[:40]})
    context = {
        "submission": submission,
        "indicator": ind,
        "label": ind.label(_lang()),
        "period_label": submission.period.label(_lang()),
        "entries": list(selectors.value_history(submission=submission, indicator=ind)[:500]),
    }
    template = "reporting/_value_history.html" if _is_htmx(request) else "reporting/value_history.html"
    return _render(request, template, context)


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
        return _error_page(request, exc)
    form = TransitionForm(request.POST)
    reason = nfc(request.POST.get("reason", ""))[:MAX_REASON]
    if not form.is_valid():
        return _render_detail(request, submission, status=400, reason=reason,
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
        return _render_detail(request, current, status=409, reason=reason, transition_error=message)
    except ApplicationError as exc:
        details = exc.details.get("violations", []) if isinstance(exc.details, dict) else []
        return _render_detail(request, submission, status=exc.status if exc.status in (403, 404, 409, 422) else 422, reason=reason,
                              transition_error=exc.message, violation_details=details)
    messages.success(request, _success_message(action, updated))
    return redirect("reporting:submission_detail", pk=updated.pk)


# ---------------------------------------------------------------------------------------------------------
# Lists, completeness, targets


@login_required
@require_GET
@_refusals_as_pages
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
               "period_labels": _period_labels(s.period.code for s in page) if page is not None else {}}
    return _render(request, "reporting/submission_list.html", context, status)


@login_required
@require_GET
@_refusals_as_pages
def completeness_view(request: HttpRequest, dataset_code: str, period: str) -> HttpResponse:
    """Which units reported a data set for a period, when, and whether on time; summary % completeness and
    timeliness. Links lead to the user's own unit (everything for the coordinator)."""
    dataset = selectors.dataset_get(code=dataset_code)
    spec = _period_param(period)
    if spec.period_type != dataset.period_type:
        raise ValidationFailed(
            _("%(dataset)s is reported per %(ptype)s, not for period %(period)s.")
            % {"dataset": dataset.code, "ptype": dataset.get_period_type_display().lower(), "period": spec.code},
            code=ErrorCode.WRONG_PERIOD_TYPE,
        )
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
        "period_label": spec.label(_lang()), "previous_label": specs[index - 1].label(_lang()),
        "next_label": specs[index + 1].label(_lang()),
    }
    return _render(request, "reporting/completeness.html", context)


def _same_number(raw: str, current: Decimal | None, indicator: Indicator) -> bool:
    """Is what was typed the number already stored? (Then the target is left alone, source included.)"""
    try:
        return services.value_parse(raw, indicator) == current
    except ValueError:
        return False


@login_required
@require_http_methods(["GET", "POST"])
@_refusals_as_pages
def targets(request: HttpRequest) -> HttpResponse:
    """Annual plan targets of one unit for one year, beside what was achieved so far and the % of plan.
    Province users set their own unit's; the Ministry coordinator any unit's. Saving is all or nothing."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    today = clock.today()
    year = selectors.year_param(params.get("year"), default=today.year)
    units = selectors.target_units(user=user, year=year)
    key = nfc(params.get("unit", "")).strip()
    unit: AdminUnit | None
    if key:
        unit = selectors.unit_by_key(key=key, on=min(today, dt.date(year, 12, 31)) if year <= today.year else dt.date(year, 1, 1))
        if not permissions.can_set_target(user, unit):
            raise PermissionDenied(_("Only %(unit)s's officers and director or the Ministry coordinator can see and set its targets.")
                                   % {"unit": unit.name})
    elif not units:
        raise PermissionDenied(_("Plan targets are set by province officers and directors and by the Ministry coordinator."))
    else:
        own = list(province_units(user).order_by("code", "valid_from"))
        unit = own[0] if own else None
    lang = _lang()
    rows = selectors.targets_table(user=user, unit=unit, year=year) if unit is not None else []
    for r in rows:
        r.raw = entry.input_number(r.target_value, lang)
    context: dict[str, Any] = {"units": units, "unit": unit, "year": year, "rows": rows, "source": "", "lang": lang,
                               "years": list(range(today.year - 2, today.year + 3)), "error": ""}
    if request.method != "POST":
        return _render(request, "reporting/targets.html", context)
    if unit is None:
        raise ValidationFailed(_("Choose a unit first."), code=ErrorCode.UNIT_REQUIRED)
    posted = targets_posted(request.POST, [r.key for r in rows])
    source = nfc(request.POST.get("source", "")).strip()[:300]
    errors: dict[str, str] = {}
    changed = 0
    with transaction.atomic():  # several service calls, one outcome: all targets saved or none
        for row in rows:
            raw = posted.get(row.key)
            if raw is None or _same_number(raw, row.target_value, row.indicator):
                continue
            try:
                services.target_set(actor=user, indicator=row.indicator, unit=unit, year=year, value=raw,
                                    option=row.option, source=source)
            except ApplicationError as exc:
                errors[row.key] = exc.message
                continue
            changed += 1
        if errors:
            transaction.set_rollback(True)
    if errors:
        for row in rows:
            row.raw = posted.get(row.key, row.raw)
            row.error = errors.get(row.key, "")
        context.update(source=source, error=_("%(count)s target(s) could not be saved; nothing was saved.") % {"count": len(errors)})
        return _render(request, "reporting/targets.html", context, 422)
    messages.success(request, _("Targets saved: %(count)s changed.") % {"count": changed})
    return redirect(f"{reverse('reporting:targets')}?unit={unit.key}&year={year}")
