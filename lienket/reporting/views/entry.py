"""The HTMX data entry form of one report: opening it, showing it, saving values (the whole form, or one
row with HTMX) and a value's history. Reads from entry.py and selectors, writes through services; the form
works without JavaScript (plain POST of the whole form, "Lưu nháp"); with HTMX each changed row is saved on its
own and swapped back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienket.core import clock
from lienket.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from lienket.core.formats import format_plain
from lienket.core.text import nfc

from .. import entry, permissions, selectors, services
from ..forms import (
    MAX_REASON,
    entry_items,
    entry_posted_rows,
)
from ..models import Indicator, Submission, SubmissionStatus
from ..workflow import TRANSITIONS
from .common import current_lang, error_page, is_htmx, period_param, refusals_as_pages, render_page, unit_key_check


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def entry_open(request: HttpRequest, dataset_code: str, unit_key: str, period: str) -> HttpResponse:
    """Open (the first time: create as a draft) the report of a unit for a period and go to its form."""
    dataset = selectors.dataset_get(code=dataset_code)
    spec = period_param(period)
    unit_key_check(unit_key)
    unit = selectors.unit_resolve(code=unit_key, dataset=dataset, period=spec)
    submission = services.submission_open(dataset=dataset, unit=unit, period_code=spec.code, actor=request.user)
    return redirect("reporting:submission_detail", pk=submission.pk)


# ---------------------------------------------------------------------------------------------------------
# The entry form


def _actions(user: Any, submission: Submission) -> list[dict[str, Any]]:
    """The workflow buttons this user may press now."""
    return [
        {"code": code, "label": TRANSITIONS[code].label, "needs_reason": TRANSITIONS[code].needs_reason}
        for code in permissions.allowed_actions(user, submission)
    ]


def _detail_context(request: HttpRequest, submission: Submission, form: entry.EntryForm, **extra: Any) -> dict[str, Any]:
    user = request.user
    actions = _actions(user, submission)
    refusal = permissions.edit_refusal(user, submission)
    lang = current_lang()
    return {
        "submission": submission,
        "form": form,
        "period_label": form.spec.label(lang),
        "previous_label": form.previous_spec.label(lang),
        "last_year_label": form.last_year_spec.label(lang),
        "year": form.spec.year,
        "rows": form.rows,
        "can_edit": refusal is None,
        "can_template": permissions.template_download_refusal(user, submission.unit) is None,
        # submitting is still to come: the summary then says what blocks it (else it only lists the checks)
        "open_for_submit": refusal is None and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED),
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


def render_detail(request: HttpRequest, submission: Submission, *, form: entry.EntryForm | None = None,
                   status: int = 200, **extra: Any) -> HttpResponse:
    form = form or entry.entry_form(submission=submission, user=request.user, lang=current_lang())
    return render_page(request, "reporting/submission_detail.html", _detail_context(request, submission, form, **extra), status)


@login_required
@require_GET
@refusals_as_pages
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry form of one report: values beside the previous period, last year and the plan; status;
    the workflow buttons the user may press. Read-only, with the reason, when the user cannot edit."""
    submission = permissions.submission_get_for_user(id=pk, user=request.user)
    return render_detail(request, submission)


def _conflict_message(submission: Submission, row: entry.EntryRow, yours: str) -> str:
    last = selectors.value_last_change(unit=submission.unit, period=submission.period, indicator=row.indicator, option=row.option)
    who = (last.changed_by.display_name if last and last.changed_by else "") or _("someone else")
    when = timezone.localtime(last.changed_at).strftime("%d/%m/%Y %H:%M") if last else "—"
    now = format_plain(row.value) if row.value is not None else _("empty")
    return _(
        "This value was just changed by %(who)s at %(when)s (now %(value)s). Your entry “%(yours)s” was not saved: "
        "check the current value and enter yours again if it is still right."
    ) % {"who": who, "when": when, "value": now, "yours": yours or _("empty")}


def _render_row(request: HttpRequest, submission: Submission, form: entry.EntryForm, row: entry.EntryRow, *,
                status: int = 200, oob: bool = False) -> HttpResponse:
    context = _detail_context(request, submission, form, row=row, oob=oob)
    return render_page(request, "reporting/_entry_row_response.html", context, status)


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
        return error_page(request, exc)
    user = request.user
    lang = current_lang()
    form = entry.entry_form(submission=submission, user=user, lang=lang)
    only_row = request.POST.get("row", "").strip()
    target = form.row(only_row) if only_row else None
    if only_row and target is None:
        return error_page(request, NotFound(_("This form has no field “%(field)s”.") % {"field": only_row[:60]}))
    htmx_row = target if is_htmx(request) else None  # the one row HTMX posted, to be swapped back
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
        return render_detail(request, submission, form=form, status=403, save_error=refusal, change_reason=change_reason)

    items = entry_items(submission=submission, rows=form.rows, posted=posted, only_changed=not only_row)
    if not items and htmx_row is not None:  # the row's value field was not posted: give the row back as it is
        return _render_row(request, submission, form, htmx_row, status=400)
    if not items:
        # Rows are saved one by one when the person leaves them: by now there may be nothing left to save.
        messages.info(request, _("Every value is saved: each row is saved as soon as you leave it."))
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
            # the summary follows (out of band): it counts this refused value among those not saved
            return _render_row(request, submission, form, htmx_row, status=status, oob=True)
        summary = _("%(count)s problem(s) found: none of the changes of this save were stored (values saved earlier are "
                    "kept). Fix the fields marked below and save again.") % {
            "count": len(errors) or 1
        }
        return render_detail(request, submission, form=form, status=status, save_error=summary,
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
@refusals_as_pages
def value_history(request: HttpRequest, pk: int, indicator: str) -> HttpResponse:
    """Every change of one indicator's value(s) in a report: who, when, old → new, why, from where."""
    submission = permissions.submission_get_for_user(id=pk, user=request.user)
    ind = Indicator.objects.filter(code=indicator, elements__dataset=submission.dataset).first()
    if ind is None:
        raise NotFound(_("The form %(dataset)s has no indicator “%(code)s”.") % {"dataset": submission.dataset.code, "code": indicator[:40]})
    context = {
        "submission": submission,
        "indicator": ind,
        "label": ind.label(current_lang()),
        "period_label": submission.period.label(current_lang()),
        "entries": list(selectors.value_history(submission=submission, indicator=ind)[:500]),
    }
    template = "reporting/_value_history.html" if is_htmx(request) else "reporting/value_history.html"
    return render_page(request, template, context)
