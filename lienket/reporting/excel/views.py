"""Excel pages: download a template (one unit) or the multi-unit workbook (coordinator), upload a filled-in
file, follow its validation, look at the dry run and apply it. Thin adapters over template.py, reader.py and imports.py;
refusals are shown as a page with the message and a 400/403/404 status, never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lienket.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from lienket.regions.models import AdminUnit
from lienket.users.permissions import province_units

from .. import permissions
from ..codes import ErrorCode
from ..models import DataSet, DisaggregationOption, ImportJob, Indicator
from ..periods import PeriodSpec, parse_period, period_type_check
from ..selectors import reporting_units, unit_resolve
from . import imports, mapping, template


def _status(exc: ApplicationError) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, NotFound):
        return 404
    return 413 if exc.code == "file_too_large" else 400


def _refusal(request: HttpRequest, exc: ApplicationError, *, title: str | None = None) -> HttpResponse:
    return render(request, "reporting/import_error.html", {"title": title or _("Excel"), "message": exc.message},
                  status=_status(exc))


def _dataset_and_period(request: HttpRequest) -> tuple[DataSet, PeriodSpec]:
    code = request.GET.get("dataset", "").strip()
    if not code:
        raise ValidationFailed(_("Choose a data set (parameter “dataset”)."), code=ErrorCode.MISSING_DATASET)
    dataset = DataSet.objects.filter(code=code, is_active=True).select_related("reporting_group").first()
    if dataset is None:
        raise ValidationFailed(_("There is no data set “%(code)s”.") % {"code": code}, code=ErrorCode.UNKNOWN_DATASET)
    raw = request.GET.get("period", "").strip()
    if not raw:
        raise ValidationFailed(_("Choose a period (parameter “period”, e.g. 202603)."), code=ErrorCode.MISSING_PERIOD)
    spec = parse_period(raw)
    period_type_check(dataset=dataset, spec=spec)
    return dataset, spec


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=mapping.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or "vi"


@never_cache
@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """`/reporting/template.xlsx?dataset=&unit=&period=`: the template of one unit. `unit` is a key
    (`25@2025-07-01`) or a GSO code resolved for the period; without it, the user's own reporting unit."""
    try:
        dataset, spec = _dataset_and_period(request)
        members = reporting_units(dataset=dataset, period=spec)
        raw_unit = request.GET.get("unit", "").strip()
        unit: AdminUnit | None
        if raw_unit:
            try:
                unit = unit_resolve(code=raw_unit, dataset=dataset, period=spec)
            except NotFound as exc:
                raise ValidationFailed(exc.message, code=ErrorCode.UNKNOWN_UNIT) from None
        else:
            unit = members.filter(pk__in=province_units(request.user)).first()
            if unit is None:
                raise ValidationFailed(_("Choose a unit (parameter “unit”): you do not report %(dataset)s for %(period)s.")
                                       % {"dataset": dataset.code, "period": spec.label()}, code=ErrorCode.MISSING_UNIT)
        refusal = permissions.template_download_refusal(request.user, unit)
        if refusal:
            raise PermissionDenied(refusal)
        if not members.filter(pk=unit.pk).exists():
            raise ValidationFailed(_("%(unit)s does not report %(dataset)s for %(period)s.")
                                   % {"unit": unit.name, "dataset": dataset.code, "period": spec.label()}, code=ErrorCode.NOT_A_REPORTING_UNIT)
        data = template.template_build(dataset=dataset, units=[unit], period_code=spec.code, lang=_lang(request))
    except ApplicationError as exc:
        return _refusal(request, exc, title=_("Excel template"))
    return _xlsx_response(data, template.template_filename(dataset=dataset, period_code=spec.code, unit=unit))


@never_cache
@login_required
@require_GET
def workbook_download(request: HttpRequest) -> HttpResponse:
    """`/reporting/workbook.xlsx?dataset=&period=`: every reporting unit of the period, a sheet each
    (for the Ministry coordinator)."""
    try:
        refusal = permissions.workbook_download_refusal(request.user)
        if refusal:
            raise PermissionDenied(refusal)
        dataset, spec = _dataset_and_period(request)
        units = list(reporting_units(dataset=dataset, period=spec))
        if not units:
            raise ValidationFailed(_("No unit reports %(dataset)s for %(period)s.") % {"dataset": dataset.code, "period": spec.label()},
                                   code=ErrorCode.NO_UNITS)
        data = template.template_build(dataset=dataset, units=units, period_code=spec.code, lang=_lang(request))
    except ApplicationError as exc:
        return _refusal(request, exc, title=_("Excel workbook"))
    return _xlsx_response(data, template.template_filename(dataset=dataset, period_code=spec.code))


def _upload_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    source = request.POST if request.method == "POST" else request.GET
    return {
        "max_mb": mapping._mb(mapping.max_upload_bytes()),
        "dataset": source.get("dataset", "").strip(),
        "period": source.get("period", "").strip(),
        "dry_run": source.get("dry_run", "1") == "1" if request.method == "POST" else True,
        "empty_deletes": source.get("empty_deletes") == "1",
        "jobs": imports.import_job_list_for_user(user=request.user),
        "error": None,
        **extra,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: store the file as a job, run it in the background, show its page."""
    if request.method == "GET":
        return render(request, "reporting/import_upload.html", _upload_context(request))
    upload = request.FILES.get("file")
    context = _upload_context(request)
    if upload is None:
        context["error"] = _("Choose a spreadsheet file (.xlsx, .xlsm, .xls or .ods) to upload.")
        return render(request, "reporting/import_upload.html", context, status=400)
    limit = mapping.max_upload_bytes()
    try:
        if upload.size is not None and upload.size > limit:  # refuse before reading it into memory
            raise ValidationFailed(
                _("“%(file)s” is %(size)s MB; the limit is %(limit)s MB.")
                % {"file": upload.name, "size": mapping._mb(upload.size), "limit": mapping._mb(limit)}, code=ErrorCode.FILE_TOO_LARGE,
            )
        job = imports.import_job_create(
            actor=request.user, filename=upload.name or "upload.xlsx", data=upload.read(), dry_run=context["dry_run"],
            empty_deletes=context["empty_deletes"], dataset=context["dataset"] or None, period=context["period"] or None,
        )
        imports.import_job_enqueue(job=job)
    except ApplicationError as exc:
        context["error"] = exc.message
        return render(request, "reporting/import_upload.html", context, status=_status(exc))
    return redirect("reporting:import_detail", pk=job.pk)


def _in_language(entries: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Errors and warnings of a job in the reader's language: the job keeps each message in every language of
    the site (`message_i18n`, see imports.import_job_run); older jobs have only the uploader's."""
    lang = lang.split("-")[0]
    shown = []
    for e in entries:
        message = (e.get("message_i18n") or {}).get(lang) or e.get("message", "")
        if e.get("cell") and e.get("ref"):  # the sheet and cell have their own columns
            message = message.removeprefix(f"{e['ref']}: ")
        shown.append({**e, "message": message})
    return shown


def _names(summary: dict[str, Any], lang: str) -> dict[str, str]:
    """The data set's name and the period's label for the page (the job stores codes)."""
    names: dict[str, str] = {}
    code = summary.get("dataset")
    if code:
        dataset = DataSet.objects.filter(code=code).first()
        names["dataset"] = dataset.label(lang) if dataset else code
    if summary.get("period"):
        try:
            names["period"] = parse_period(summary["period"]).label(lang)
        except ApplicationError:
            names["period"] = summary["period"]
    return names


def _items_named(items: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The dry-run rows with indicator, option and unit names beside their codes."""
    if not items:
        return []
    codes = {it.get("indicator") for it in items}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes).select_related("disaggregation")}
    options = {
        (o.disaggregation_id, o.code): o
        for o in DisaggregationOption.objects.filter(disaggregation_id__in={i.disaggregation_id for i in indicators.values()})
    }
    units: dict[str, str] = dict(AdminUnit.objects.filter(code__in={it.get("unit") for it in items}).values_list("code", "name"))
    options_by_key: dict[tuple[Any, Any], DisaggregationOption] = dict(options)
    named = []
    for it in items:
        code, unit_code = str(it.get("indicator") or ""), str(it.get("unit") or "")
        ind = indicators.get(code)
        opt = options_by_key.get((ind.disaggregation_id, it.get("option"))) if ind and it.get("option") else None
        named.append({
            **it,
            "indicator_name": ind.label(lang) if ind else code,
            "option_name": (opt.name_en if lang.startswith("en") and opt.name_en else opt.name) if opt else (it.get("option") or ""),
            "unit_name": units.get(unit_code, unit_code),
        })
    return named


def _reports(user: Any, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Links back to the reports the file is about (those the user may see; the form to start one otherwise)."""
    options = summary.get("options") or {}
    dataset, period = summary.get("dataset") or options.get("dataset"), summary.get("period") or options.get("period")
    if not dataset or not period:
        return []
    keys = [s.get("unit") for s in summary.get("sheets") or [] if s.get("unit")]
    found = {
        s.unit.key: s for s in permissions.visible_submissions(user).filter(dataset__code=dataset, period__code=period)
        .select_related("unit")
    }
    if not keys:
        keys = list(found)
    reports = []
    for key in keys[:20]:
        submission = found.get(key) or next((s for k, s in found.items() if k.split("@")[0] == key), None)
        if submission is not None:
            reports.append({"name": submission.unit.name, "url": reverse("reporting:submission_detail", args=[submission.pk])})
        else:
            name = next((s.get("name") for s in summary.get("sheets") or [] if s.get("unit") == key), "") or key
            reports.append({"name": name, "url": reverse("reporting:entry_open", args=[dataset, key, period])})
    return reports


@never_cache
@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job: status and progress (polled by HTMX every second while it runs), the dry-run table, every
    error with its sheet and cell, and the button that applies a validated dry run."""
    try:
        job = imports.import_job_get_for_user(id=pk, user=request.user)
    except ApplicationError as exc:
        return _refusal(request, exc, title=_("Excel upload"))
    summary = job.summary or {}
    lang = _lang(request)
    errors = _in_language(job.errors or [], lang)
    context = {
        "job": job,
        "errors": errors,
        "error_count": int(summary.get("error_count") or len(errors)),
        "warnings": _in_language(summary.get("warnings") or [], lang),
        "names": _names(summary, lang),
        "reports": _reports(request.user, summary),
        "running": job.status in imports.RUNNING,
        "percent": int(100 * job.progress_done / job.progress_total) if job.progress_total else 0,
        "summary": summary,
        "items": _items_named(summary.get("items") or [], lang),
        "items_total": sum(int(summary.get(k) or 0) for k in ("created", "changed", "unchanged", "deleted")),
        "options": summary.get("options") or {},
        "can_apply": job.status == ImportJob.Status.VALIDATED and permissions.can_apply_import_job(request.user, job),
        "has_changes": any(summary.get(k) for k in ("created", "changed", "deleted")),
    }
    template = "reporting/import_job.html" if request.headers.get("HX-Request") == "true" else "reporting/import_detail.html"
    return render(request, template, context)


@never_cache
@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a validated dry run (validated again, all or nothing, in the background)."""
    try:
        job = imports.import_job_get_for_user(id=pk, user=request.user)
        job = imports.import_job_apply(job=job, actor=request.user)
        imports.import_job_enqueue(job=job)
    except (NotFound, PermissionDenied) as exc:
        return _refusal(request, exc, title=_("Excel upload"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("reporting:import_detail", pk=pk)
