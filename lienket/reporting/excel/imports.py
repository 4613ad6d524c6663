"""Excel upload jobs: store the file, validate all of it, show a dry run, then write it in one transaction.

    import_job_create ──▶ pending ──import_job_run──▶ validating ─┬─▶ invalid  (nothing written, errors listed)
                                                                 ├─▶ validated (dry run: counts, nothing written)
                                                                 │      └─ import_job_apply ─▶ pending (for real)
                                                                 ├─▶ applying ─▶ done (written, one transaction)
                                                                 └─▶ failed    (unexpected error, nothing written)

The file is parsed by excel_reader.workbook_parse and written only by services.datavalues_apply, which validates
every item before writing anything. The dry run keeps what it read (batch.py, guarded by the file's checksum), so
the apply that follows does not parse the file again; the dry run also runs the entry form's checks (validation
rules, outliers, required values) on the report as it would become, and lists them — they do not block a draft. Running happens in a background task (tasks.run_import_job); progress is
the number of rows parsed, saved in short autocommit updates while no data transaction is open — inside the
atomic write SQLite could not publish it anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections import OrderedDict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lienket.core.audit import audit_log
from lienket.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.formats import format_plain
from lienket.core.text import nfc

from .. import permissions
from ..codes import AuditAction, ErrorCode
from ..models import DataValue, ImportJob, Period, Submission
from ..periods import parse_period
from ..services import datavalues_apply, datavalues_problems
from ..validation.rules import validate_values_many
from ..values import ApplyResult, ValueItem
from . import batch, mapping, workbook
from . import reader as excel_reader

logger = logging.getLogger(__name__)

SOURCE = "xlsx"
ITEMS_SHOWN = 200
RUNNING = frozenset({ImportJob.Status.PENDING, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING})
#: Errors that concern a whole sheet (its unit), reported once per sheet instead of once per cell.
UNIT_ERROR_CODES = frozenset({"forbidden", "locked", "not_a_reporting_unit", "unknown_unit"})
PROGRESS_EVERY_SECONDS = 0.5


def _clean_filename(filename: str) -> str:
    name = nfc(filename).replace("\\", "/").rsplit("/", 1)[-1]
    return (name or "upload.xlsx")[:255]


@transaction.atomic(durable=True)
def import_job_create(
    *, actor: Any, filename: str, data: bytes, dry_run: bool = True, empty_deletes: bool = False,
    dataset: str | None = None, period: str | None = None,
) -> ImportJob:
    """Store an uploaded workbook as a pending job (run it with `import_job_enqueue`). The size is checked
    first, so an oversized file is refused before anything is stored. `dataset`/`period`, when given, are
    what the uploader expects the file to be (e.g. uploading from a report's page).

    A macro-enabled workbook (.xlsm) is accepted for its values, but its VBA project is removed before the file
    is stored: nothing LienKet keeps or could serve again carries a macro. The job says so to the uploader."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to upload a file."))
    filename = _clean_filename(filename)
    limit = mapping.max_upload_bytes()
    if len(data) > limit:
        raise ValidationFailed(
            _("“%(file)s” is %(size)s MB; the limit is %(limit)s MB.")
            % {"file": filename, "size": mapping._mb(len(data)), "limit": mapping._mb(limit)},
            {"field": "file", "size": len(data), "limit": limit},
            code=ErrorCode.FILE_TOO_LARGE,
        )
    if not data:
        raise ValidationFailed(_("“%(file)s” is empty.") % {"file": filename}, {"field": "file"}, code=ErrorCode.EMPTY_FILE)
    content, removed = workbook.package_without_macros(data=data, filename=filename)
    options: dict[str, Any] = {
        "empty_deletes": bool(empty_deletes), "dataset": (dataset or "").strip() or None, "period": (period or "").strip() or None,
        "lang": translation.get_language() or "vi", "size": len(data),
    }
    if removed:
        options["macros_removed"] = removed
    # The fingerprint is the uploaded file's (the one the uploader has); the stored content may lack its macros.
    job = ImportJob.objects.create(
        created_by=actor, filename=filename, content=content, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run,
        summary={"options": options},
    )
    stored = {"stored_sha256": hashlib.sha256(content).hexdigest(), "stored_size": len(content)} if removed else {}
    audit_log(
        actor=actor, action=AuditAction.IMPORT_CREATE, obj=job,
        after={"filename": filename, "sha256": job.sha256, "size": len(data), "dry_run": dry_run, **options, **stored},
    )
    return job


def import_job_enqueue(*, job: ImportJob) -> None:
    """Run the job in the background once the current transaction commits (the worker must see the row)."""
    from ..tasks import run_import_job

    job_id = job.pk
    transaction.on_commit(lambda: run_import_job.enqueue(job_id))


@transaction.atomic(durable=True)
def import_job_apply(*, job: ImportJob, actor: Any) -> ImportJob:
    """Turn a validated dry run into the real import (run it with `import_job_enqueue`). The file is validated
    again when it runs: the data may have changed since the dry run, and nothing is written unless all of it
    is still valid."""
    if not permissions.can_apply_import_job(actor, job):
        raise PermissionDenied(_("Only the person who uploaded this file can apply it."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATED, dry_run=True).update(
        status=ImportJob.Status.PENDING, dry_run=False, progress_done=0, finished_at=None,
    )
    if updated != 1:
        job.refresh_from_db()
        raise Conflict(
            _("This upload cannot be applied: it is “%(status)s”, not a validated dry run. Upload the file again.")
            % {"status": job.get_status_display()},
            {"status": job.status},
            code=ErrorCode.NOT_VALIDATED,
        )
    job.refresh_from_db()
    return job


def import_job_get_for_user(*, id: int, user: Any) -> ImportJob:
    """A job for its uploader or the Ministry coordinator; NotFound / PermissionDenied otherwise."""
    try:
        job = ImportJob.objects.select_related("created_by").defer("content").get(pk=id)
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Upload %(id)s does not exist.") % {"id": id}) from None
    if not permissions.can_see_import_job(user, job):
        raise PermissionDenied(_("You cannot see this upload: it belongs to another user."))
    return job


def import_job_list_for_user(*, user: Any, limit: int = 20) -> list[ImportJob]:
    return list(ImportJob.objects.filter(created_by_id=user.pk).defer("content").order_by("-created_at", "-id")[:limit])


# ---------------------------------------------------------------------------------------------------------
# Running


def _save(job_id: int, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job_id).update(**fields)


class _Progress:
    """Saves `progress_done/total` at most every PROGRESS_EVERY_SECONDS (one short UPDATE each)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self.last >= PROGRESS_EVERY_SECONDS:
            self.last = now
            _save(self.job_id, progress_done=done, progress_total=total)


def import_job_run(*, job_id: int) -> ImportJob:
    """Validate the job's file and either report (dry run) or write it. Never raises for a bad file: the
    outcome is in the job's status, summary and errors. Runs once: a job that is not pending is left alone.

    Messages are written in the uploader's language; those of a refused file (its errors and warnings) are
    also kept in the site's other languages (`message_i18n`), so the page shows them in the language of
    whoever reads it, even after they switch language."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING, progress_done=0, progress_total=0,
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    options = dict((job.summary or {}).get("options") or {})
    try:
        with translation.override(options.get("lang") or "vi"):
            _run(job, options)
    except Exception:  # a job must end in a final state; the cause goes to the log
        logger.exception("import job %s failed", job_id)
        versions = []
        langs = _languages(options.get("lang") or "vi")
        for lang in langs:
            with translation.override(lang):
                versions.append([_failed_error(job)])
        _save(job_id, status=ImportJob.Status.FAILED, finished_at=timezone.now(), errors=_attach(versions[0], versions, langs))
    job.refresh_from_db()
    if job.status == ImportJob.Status.INVALID or (job.summary or {}).get("warnings"):
        try:
            _translate_messages(job, options)
        except Exception:  # the messages in the uploader's language are already saved; the rest is a courtesy
            logger.exception("import job %s: messages in other languages failed", job_id)
        job.refresh_from_db()
    return job


def _failed_error(job: ImportJob) -> dict[str, Any]:
    return {"ref": job.filename, "sheet": "", "cell": "", "field": "file", "code": "failed",
            "message": _("The file could not be processed because of an unexpected error; nothing was written. "
                         "Try again later or tell the administrator.")}


def _languages(first: str) -> list[str]:
    """The job's language first, then the site's other languages."""
    from django.conf import settings

    first = first.split("-")[0]
    return [first, *(code for code, _name in settings.LANGUAGES if code != first)]


def _attach(first: list[dict[str, Any]], versions: list[Any], langs: list[str]) -> list[dict[str, Any]]:
    if all(len(v) == len(first) for v in versions):
        for i, entry in enumerate(first):
            entry["message_i18n"] = {lang: str(v[i].get("message", "")) for lang, v in zip(langs, versions, strict=False)}
    return first


def _evaluate(job: ImportJob, options: dict[str, Any], parsed: excel_reader.ParsedWorkbook) -> list[dict[str, Any]]:
    """The problems of a parsed file, without writing anything (what `_run` finds before it writes)."""
    if parsed.fatal:
        return list(parsed.errors)
    if parsed.errors:
        listed, total = datavalues_problems(actor=job.created_by, items=parsed.items, problems=[], source=SOURCE)
        return list(parsed.errors) + _errors_listed(listed, total)
    try:
        with transaction.atomic():
            datavalues_apply(actor=job.created_by, items=parsed.items, source=SOURCE, dry_run=True, reason="")
    except ValidationFailed as exc:
        return _errors_of(exc)
    except ApplicationError as exc:
        return [{"ref": job.filename, "sheet": "", "cell": "", "field": "file", "code": exc.code, "message": exc.message}]
    return []


def _translate_messages(job: ImportJob, options: dict[str, Any]) -> None:
    """Compute the refused file's errors and warnings again in each other language (read only) and keep them
    beside the stored ones, matched by position (the same file gives the same problems in the same order)."""
    langs = _languages(options.get("lang") or "vi")
    summary = dict(job.summary or {})
    errors_by_lang: list[list[dict[str, Any]]] = [list(job.errors or [])]
    warnings_by_lang: list[list[dict[str, Any]]] = [list(summary.get("warnings") or [])]
    for lang in langs[1:]:
        with translation.override(lang):
            parsed = excel_reader.workbook_parse(
                data=bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)), filename=job.filename,
                empty_deletes=bool(options.get("empty_deletes")), expected_dataset=options.get("dataset"),
                expected_period=options.get("period"),
            )
            warnings_by_lang.append(_file_warnings(job, options) + parsed.warnings[:1000])
            if job.status == ImportJob.Status.INVALID:
                errors = _collapse_unit_errors(_evaluate(job, options, parsed), parsed)
                errors.sort(key=excel_reader.error_sort_key(excel_reader.sheet_order(parsed)))
                errors_by_lang.append(errors[:1000])
    fields: dict[str, Any] = {}
    if summary.get("warnings"):
        summary["warnings"] = _attach([dict(w) for w in warnings_by_lang[0]], warnings_by_lang, langs)
        fields["summary"] = summary
    if job.status == ImportJob.Status.INVALID and len(errors_by_lang) == len(langs):
        fields["errors"] = _attach([dict(e) for e in errors_by_lang[0]], errors_by_lang, langs)
    if fields:
        _save(job.pk, **fields)


def _run(job: ImportJob, options: dict[str, Any]) -> None:
    content = bytes(job.content)
    checksum = hashlib.sha256(content).hexdigest()
    earlier = dict(job.summary or {})
    parsed = None if job.dry_run else batch.batch_load(job_id=job.pk, checksum=checksum)
    reused = parsed is not None
    if parsed is None:
        parsed = excel_reader.workbook_parse(
            data=content, filename=job.filename, empty_deletes=bool(options.get("empty_deletes")),
            expected_dataset=options.get("dataset"), expected_period=options.get("period"), progress=_Progress(job.pk),
        )
    else:
        _save(job.pk, progress_done=parsed.rows_total, progress_total=parsed.rows_total)
    summary: dict[str, Any] = {
        "options": options,
        "dataset": parsed.dataset.code if parsed.dataset else None,
        "period": parsed.period or None,
        "sheets": [{"title": s.title, "unit": s.unit_key, "name": s.unit.name if s.unit else ""} for s in parsed.sheets],
        "rows": parsed.rows_total,
        "values": len(parsed.items),
        "warnings": _file_warnings(job, options) + parsed.warnings[:1000],
        "format": parsed.kind,
        "parsed_again": not job.dry_run and not reused,
    }
    if parsed.fatal or parsed.errors:
        # Cell errors found while reading: still let the write path check the other cells (permissions,
        # bounds, locked periods) so that the user gets every problem in one go.
        _finish_invalid(job, summary, _evaluate(job, options, parsed), parsed)
        return

    if not job.dry_run:
        _save(job.pk, status=ImportJob.Status.APPLYING)
    reason = _("Excel upload “%(file)s”") % {"file": job.filename}
    try:
        with transaction.atomic():
            result = datavalues_apply(
                actor=job.created_by, items=parsed.items, source=SOURCE, dry_run=job.dry_run, reason=reason,
            )
            summary.update(_counts(result))
            summary["items"] = _shown_items(result, parsed.items, with_old=job.dry_run)
            # The entry form's checks, shown before applying (the apply keeps the dry run's list).
            summary["checks"] = _form_checks(parsed, result) if job.dry_run else list(earlier.get("checks") or [])
            final = ImportJob.Status.VALIDATED if job.dry_run else ImportJob.Status.DONE
            if not job.dry_run and (result.created or result.changed or result.deleted):
                audit_log(
                    actor=job.created_by, action=AuditAction.IMPORT_APPLY, obj=job, reason=reason,
                    after={"filename": job.filename, "sha256": job.sha256, **_counts(result), "submissions": result.submissions},
                )
            # The final status commits together with the values (same transaction on a real apply).
            _save(job.pk, status=final, summary=summary, errors=[], progress_done=parsed.rows_total,
                  progress_total=parsed.rows_total, finished_at=timezone.now())
    except ValidationFailed as exc:
        _finish_invalid(job, summary, _errors_of(exc), parsed)
        return
    except ApplicationError as exc:
        _finish_invalid(job, summary, [{"ref": job.filename, "sheet": "", "cell": "", "field": "file", "code": exc.code,
                                        "message": exc.message}], parsed)
        return
    if job.dry_run:
        batch.batch_save(job_id=job.pk, checksum=checksum, parsed=parsed)
    else:
        batch.batch_forget(job_id=job.pk)


def _form_checks(parsed: excel_reader.ParsedWorkbook, result: ApplyResult) -> list[dict[str, Any]]:
    """What the entry form would say about each report once the file is saved: validation rules, outliers,
    required values, each with its sheet and cell (the indicator's row) when it concerns one value. A draft is
    saved regardless; errors block only submitting the report, warnings need a comment."""
    dataset = parsed.dataset
    if dataset is None or not result.items:
        return []
    spec = parse_period(parsed.period)
    period = Period.objects.filter(code=spec.code).first() or Period(
        code=spec.code, period_type=spec.period_type, year=spec.year, start=spec.start, end=spec.end)
    units = [s.unit for s in parsed.sheets if s.unit is not None]
    reports = {s.unit_id: s for s in Submission.objects.filter(dataset=dataset, period__code=spec.code, unit__in=units)}
    comments_in_file = {it.ref: it.comment for it in parsed.items if it.comment is not None}
    per_sheet: dict[str, tuple[dict[tuple[str, str | None], Decimal | None], dict[tuple[str, str | None], str]]] = {}
    for it in result.items:
        sheet, _sep, _cell = (it.get("ref") or "").rpartition("!")
        values, comments = per_sheet.setdefault(sheet, ({}, {}))
        key = (it["indicator"], it["option"])
        values[key] = None if it["action"] in {"delete", "noop"} or it.get("value") is None else Decimal(it["value"])
        if it["ref"] in comments_in_file:
            comments[key] = comments_in_file[it["ref"]] or ""
    sheets = [info for info in parsed.sheets if info.title in per_sheet and info.unit is not None]  # changed by the file
    reports_given = [
        (reports.get(info.unit.pk) or Submission(dataset=dataset, unit=info.unit, period=period), *per_sheet[info.title])
        for info in sheets if info.unit is not None
    ]
    checks: list[dict[str, Any]] = []
    for info, report in zip(sheets, validate_values_many(reports=reports_given), strict=True):
        for v in report.violations:
            code = v.indicators[0] if v.indicators else ""
            row = parsed.rows.get((code, v.option or "")) if code else None
            ref = f"{info.title}!F{row}" if row else info.title
            checks.append({
                "ref": ref, "sheet": info.title, "cell": f"F{row}" if row else "", "unit": info.unit_key,
                "code": v.code, "severity": v.severity, "needs_comment": v.needs_comment, "indicators": v.indicators,
                "message": v.message,
            })
    return checks[:1000]


def _file_warnings(job: ImportJob, options: dict[str, Any]) -> list[dict[str, Any]]:
    if not options.get("macros_removed"):
        return []
    return [{"ref": job.filename, "sheet": "", "cell": "", "field": "file", "code": "macros_removed",
             "parts": options["macros_removed"],
             "message": _("“%(file)s” contained macros (VBA). They were removed when the file was received and were "
                          "neither stored nor run; only the values of the file are read.") % {"file": job.filename}}]


def _counts(result: ApplyResult) -> dict[str, int]:
    return {"created": result.created, "changed": result.changed, "unchanged": result.unchanged, "deleted": result.deleted}


def _errors_of(exc: ValidationFailed) -> list[dict[str, Any]]:
    details = exc.details if isinstance(exc.details, dict) else {}
    errors = list(details.get("errors") or [])
    if not errors:
        return [{"ref": "", "sheet": "", "cell": "", "field": "file", "code": exc.code, "message": exc.message}]
    return _errors_listed(errors, int(details.get("error_count") or len(errors)))


def _errors_listed(listed: list[dict[str, Any]], total: int) -> list[dict[str, Any]]:
    """The write path's errors with their sheet and cell, and a last line for those not listed."""
    errors = [dict(e) for e in listed]
    for e in errors:
        e.setdefault("sheet", "")
        e.setdefault("cell", "")
        split = excel_reader.error_dict(ref=e.get("ref") or "", code=e.get("code", ""), message="")
        e["sheet"], e["cell"] = split["sheet"], split["cell"]
    missing = total - len(errors)
    if missing > 0:
        errors.append({"ref": "", "sheet": "", "cell": "", "field": "file", "code": "more_errors", "count": missing,
                       "message": _("… and %(count)s more error(s) not listed.") % {"count": format_plain(missing)}})
    return errors


def _collapse_unit_errors(errors: list[dict[str, Any]], parsed: excel_reader.ParsedWorkbook) -> list[dict[str, Any]]:
    """One error per sheet for refusals that concern the sheet's unit (not your province, locked period, ...),
    naming the sheet and the unit, instead of the same sentence for every cell."""
    grouped: OrderedDict[tuple[str, str], list[dict[str, Any]]] = OrderedDict()
    out: list[dict[str, Any]] = []
    for e in errors:
        if e.get("code") in UNIT_ERROR_CODES and e.get("sheet"):
            grouped.setdefault((e["sheet"], e["code"]), []).append(e)
        else:
            out.append(e)
    for (sheet, code), group in grouped.items():
        info = parsed.sheet_of(sheet)
        first = group[0]
        reason = first["message"]
        prefix = f"{first.get('ref')}: "
        if reason.startswith(prefix):
            reason = reason[len(prefix):]
        unit = info.unit_label if info else ""
        message = _("Sheet “%(sheet)s” (%(unit)s): %(reason)s (%(count)s cell(s) not imported)") % {
            "sheet": sheet, "unit": unit, "reason": reason, "count": format_plain(len(group)),
        }
        out.append({"ref": sheet, "sheet": sheet, "cell": first.get("cell", ""), "field": "unit", "code": code,
                    "message": message, "unit": info.unit_key if info else ""})
    return out


def _finish_invalid(job: ImportJob, summary: dict[str, Any], errors: list[dict[str, Any]], parsed: excel_reader.ParsedWorkbook) -> None:
    errors = _collapse_unit_errors(errors, parsed)
    errors.sort(key=excel_reader.error_sort_key(excel_reader.sheet_order(parsed)))
    summary["error_count"] = sum(int(e.get("count", 0)) if e.get("code") == "more_errors" else 1 for e in errors)
    batch.batch_forget(job_id=job.pk)
    _save(job.pk, status=ImportJob.Status.INVALID, summary=summary, errors=errors[:1000], finished_at=timezone.now())


def _shown_items(result: ApplyResult, items: list[ValueItem], *, with_old: bool) -> list[dict[str, Any]]:
    """The first rows of the dry-run table: changes first (they are what the user checks), then unchanged."""
    order = {"create": 0, "update": 0, "delete": 0, "unchanged": 1, "noop": 2}
    shown = sorted(result.items, key=lambda it: order.get(it["action"], 3))[:ITEMS_SHOWN]
    shown = [dict(it) for it in shown]
    if with_old:
        by_ref = {it.ref: it for it in items}
        wanted = [(by_ref[it["ref"]], it) for it in shown if it["action"] in {"update", "delete"} and it["ref"] in by_ref]
        if wanted:
            unit_ids = {getattr(vi.unit, "pk", None) for vi, _it in wanted}
            codes = {vi.indicator for vi, _it in wanted}
            period = wanted[0][0].period
            old: dict[tuple[Any, str, str], Any] = {
                (u, i, o or ""): v
                for u, i, o, v in DataValue.objects.filter(
                    period__code=period, unit_id__in=unit_ids, indicator__code__in=codes
                ).values_list("unit_id", "indicator__code", "option__code", "value")
            }
            for vi, it in wanted:
                value = old.get((getattr(vi.unit, "pk", None), vi.indicator, vi.option or ""))
                it["old"] = _plain(value)
    for it in shown:
        it["sheet"], _sep, it["cell"] = (it.get("ref") or "").rpartition("!")
        it["value"] = _plain(it.get("value"))
    return shown


def _plain(value: Any) -> str | None:
    """`1234.500000` → `1234.5` (JSON-safe text; the page formats it for the reader's language)."""
    if value is None:
        return None
    try:
        return f"{Decimal(value).normalize():f}"
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


def import_jobs_sweep(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Mark jobs left 'validating' or 'applying' by a worker that died as failed. Writing happens in one
    transaction, so such a job wrote nothing; saying so lets the uploader try again. Returns how many."""
    cutoff = timezone.now() - older_than
    stuck = ImportJob.objects.filter(
        status__in=[ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING], created_at__lt=cutoff
    )
    langs = _languages(translation.get_language() or "vi")
    messages = {}
    for lang in langs:
        with translation.override(lang):
            messages[lang] = _("The import was interrupted before it finished (the task worker stopped); nothing was "
                               "written. Upload the file again.")
    count = 0
    for job in stuck.only("pk", "filename", "status"):
        updated = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(),
            errors=[{"ref": job.filename, "sheet": "", "cell": "", "field": "file", "code": "interrupted",
                     "message": messages[langs[0]], "message_i18n": messages}],
        )
        if updated:
            audit_log(actor=None, action=AuditAction.IMPORT_INTERRUPTED, object_type="reporting.importjob", object_id=job.pk,
                      object_repr=job.filename, before={"status": job.status}, after={"status": ImportJob.Status.FAILED})
            count += 1
    return count
