"""Writes of the reporting domain. Every change is permission-checked, validated whole, written atomically
and audited (AuditEntry for workflow and batches, DataValueAudit for each number).

Over 500 lines on purpose: most of it is the one write path of values (`datavalues_apply` with its bulk insert,
versioned update and report-locking helpers), which must stay together because they share one locking protocol."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, cast

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.audit import audit_log, snapshot
from lienket.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.formats import format_plain
from lienket.core.text import nfc
from lienket.regions.models import AdminUnit

from . import permissions
from .aggregates import figures_changed, rollup_submission
from .codes import AuditAction, ErrorCode
from .models import (
    DataSet,
    DataValue,
    DataValueAudit,
    DisaggregationOption,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
    Target,
)
from .periods import PeriodSpec, parse_period, period_type_check
from .selectors import reporting_units, unit_resolve
from .values import ApplyResult, ValueItem, value_parse
from .workflow import transition_check, transition_get

# ---------------------------------------------------------------------------------------------------------
# Submissions


@transaction.atomic(durable=True)
def submission_open(*, dataset: DataSet, unit: AdminUnit, period_code: str, actor: Any) -> Submission:
    """The submission for (data set, unit, period), created as a draft the first time its unit opens it."""
    spec = parse_period(period_code)
    period_type_check(dataset=dataset, spec=spec)
    if not reporting_units(dataset=dataset, period=spec).filter(pk=unit.pk).exists():
        raise ValidationFailed(
            _("%(unit)s does not report %(dataset)s for %(period)s (reporting units are those valid on the due date %(date)s).")
            % {"unit": unit.name, "dataset": dataset.code, "period": spec.label(), "date": dataset.due_date(spec).strftime("%d/%m/%Y")},
            code=ErrorCode.NOT_A_REPORTING_UNIT,
        )
    period = Period.for_code(spec.code)
    existing = Submission.objects.filter(dataset=dataset, unit=unit, period=period).select_related("dataset", "unit", "period").first()
    if existing is not None:
        if not permissions.can_view_submission(actor, existing):
            raise PermissionDenied(_("You cannot see the report of %(unit)s for this period.") % {"unit": unit.name})
        return existing
    if not (permissions.is_province_user_of(actor, unit) or permissions.is_coordinator(actor)):
        raise PermissionDenied(_("Only officers and the director of %(unit)s can start its report.") % {"unit": unit.name})
    submission = Submission.objects.create(dataset=dataset, unit=unit, period=period)
    audit_log(actor=actor, action=AuditAction.SUBMISSION_CREATE, obj=submission, after=snapshot(submission))
    return submission


@transaction.atomic(durable=True)
def submission_transition(
    *, submission: Submission, actor: Any, action: str, reason: str = "", expected_version: int | None = None,
    reopen_days: int | None = None,
) -> Submission:
    """Fire one workflow action. Optimistic locking: pass the version the user saw; if someone else changed
    the submission meanwhile the action is refused with a conflict instead of silently overwriting."""
    reason = nfc(reason)
    current = (
        Submission.objects.select_for_update(of=("self",)).select_related("dataset", "unit", "period").get(pk=submission.pk)
    )
    # An unknown action is bad input (422 `unknown_action`), not a refusal. Then permission before the version:
    # someone without the right to the action gets 403, never a 409 that tells them the report changed; a stale
    # page is still a conflict for someone who had the right in a state the action applies to.
    transition_get(action)
    stale = expected_version is not None and current.version != expected_version
    if stale:
        refusal = permissions.transition_refusal_in_any_source(actor, current, action)
    else:
        refusal = permissions.transition_refusal(actor, current, action)
    if refusal:
        raise PermissionDenied(refusal)
    if stale:
        raise Conflict(
            _("This report was changed by someone else (now %(status)s, version %(version)s). Reload the page and try again.")
            % {"status": current.get_status_display().lower(), "version": current.version},
            {"current_version": current.version, "status": current.status},
            code=ErrorCode.VERSION_CONFLICT,
        )
    transition = transition_check(status=current.status, action=action, reason=reason)
    if action == "submit":
        from .validation.rules import validate_submission

        report = validate_submission(submission=current)
        if report.blocking:
            raise ValidationFailed(
                _("The report cannot be submitted: %(count)s problem(s) must be fixed first.") % {"count": len(report.blocking)},
                {"violations": [v.as_dict() for v in report.blocking]},
                code=ErrorCode.VALIDATION_FAILED,
            )
    before = snapshot(current)
    now = clock.now()  # submitted_at against the due date is the report's timeliness
    updates: dict[str, Any] = {"status": transition.target, "version": current.version + 1}
    if action == "submit":
        updates.update(submitted_at=now, submitted_by=actor, return_reason="")
    elif action == "approve":
        updates.update(approved_at=now, approved_by=actor)
    elif action == "accept":
        updates.update(accepted_at=now, accepted_by=actor)
    elif action in {"return", "reopen"}:
        updates.update(returned_at=now, returned_by=actor, return_reason=reason)
        if action == "reopen":
            days = reopen_days if reopen_days is not None else current.dataset.edit_days_after_due or 7
            updates["reopened_until"] = clock.today() + dt.timedelta(days=max(days, 1))
    # The row is locked since it was read (select_for_update; SQLite's transactions are IMMEDIATE), so the
    # version compared above is still the stored one.
    Submission.objects.filter(pk=current.pk).update(**updates)
    if SubmissionStatus.ACCEPTED in (transition.target, current.status):
        rollup_submission(current.pk)  # the published-figures table, in this transaction
        figures_changed()  # published figures changed: analytics' caches of accepted values start afresh
    current.refresh_from_db()
    audit_log(actor=actor, action=AuditAction(f"submission.{action}"), obj=current, before=before, after=snapshot(current), reason=reason)
    return current


# ---------------------------------------------------------------------------------------------------------
# Data values: one write path for the form, the Excel upload, CSV and the API


def _err(errors: list[dict[str, Any]], item: ValueItem, code: str, message: str, fieldname: str = "value") -> None:
    ref = item.ref or ""
    errors.append({"ref": ref, "field": fieldname, "code": code, "message": f"{ref}: {message}" if ref else message})


def _dataset_map() -> dict[tuple[int, str], DataSet]:
    out: dict[tuple[int, str], DataSet] = {}
    for ds in DataSet.objects.filter(is_active=True).select_related("reporting_group").prefetch_related("elements").order_by("code"):
        for el in ds.elements.all():
            out.setdefault((el.indicator_id, ds.period_type), ds)
    return out


class _Stored(NamedTuple):
    pk: int
    value: Decimal
    is_estimate: bool
    comment: str
    version: int


def _db_value(field: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _rows_insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """INSERT plain rows: COPY on PostgreSQL, executemany elsewhere. Values are adapted per column type once
    (decimals, datetimes) rather than per model instance."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            import psycopg

            try:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            except psycopg.IntegrityError as exc:  # raw cursor: Django's error wrapper is not in the way here
                raise IntegrityError(*exc.args) from exc
            return
        fields = [model._meta.get_field(c) for c in columns]
        adapt = [i for i, f in enumerate(fields) if f.get_internal_type() in {"DecimalField", "DateTimeField"}]
        if adapt:
            rows = [tuple(_db_value(fields[i], v) if i in adapt else v for i, v in enumerate(row)) for row in rows]
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({placeholders})"  # noqa: S608 - identifiers from model metadata
        cursor.executemany(sql, rows)


def _rows_update(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> int:
    """UPDATE by primary key and the version read; each row holds the new values of `columns` followed by the pk
    and the version the change was computed from. Returns how many rows were updated: fewer than given means
    someone else changed a row meanwhile (the caller refuses the whole batch)."""
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    fields = [model._meta.get_field(c) for c in columns]
    rows = [(*tuple(_db_value(fields[i], v) for i, v in enumerate(row[:-2])), row[-2], row[-1]) for row in rows]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET {sets} WHERE {qn('id')} = %s AND {qn('version')} = %s"  # noqa: S608 - identifiers from model metadata
        cursor.executemany(sql, rows)
        return cursor.rowcount


def _changed_meanwhile() -> Conflict:
    return Conflict(
        _("These values were changed by someone else meanwhile; nothing was saved. Reload and try again."),
        code=ErrorCode.VERSION_CONFLICT,
    )


def _lock_reports(
    *, actor: Any, planned: list[tuple[Any, ...]], sub_cache: dict[tuple[int, int, str], Submission | None],
) -> dict[tuple[int, int, str], Submission]:
    """Serialize writers of one report. Every write of values goes through here: the report (submission) of each
    (data set, unit, period) written is created if missing and locked (SELECT ... FOR UPDATE, in primary key
    order so that two batches never wait for each other in a circle). Whoever comes second waits for the first
    to commit and then reads what the first wrote, so versions are compared with the truth, no value is
    overwritten unseen and the history records the real "from". A workflow action (`submission_transition`)
    takes the same lock, so a value cannot slip into a report while it is being submitted. On SQLite,
    IMMEDIATE transactions (settings) already let one writer in at a time; the lock is a no-op there."""
    writes = {(p[2].pk, p[3].pk, p[4].code) for p in planned if p[6] is not None}
    wanted: dict[tuple[int, int, str], tuple[DataSet, AdminUnit, PeriodSpec]] = {}
    for _item, _ind, dataset, unit, spec, _opt, _number in planned:
        skey = (dataset.pk, unit.pk, spec.code)
        # only deletions and no report yet: nothing to create or lock (the DELETE checks versions itself)
        if skey not in wanted and (sub_cache.get(skey) is not None or skey in writes):
            wanted[skey] = (dataset, unit, spec)
    # New reports in a fixed order too: two batches creating the same two reports must not deadlock.
    for skey in sorted(wanted, key=lambda k: (k[0], k[1], k[2])):
        if sub_cache.get(skey) is not None:
            continue
        dataset, unit, spec = wanted[skey]
        period = Period.for_code(spec.code)
        # get_or_create survives a concurrent create: its INSERT fails on submission_unique inside a savepoint
        # once the other transaction commits, and it reads the other's row instead.
        sub, created = Submission.objects.get_or_create(dataset=dataset, unit=unit, period=period)
        if created:
            audit_log(actor=actor, action=AuditAction.SUBMISSION_CREATE, obj=sub, after=snapshot(sub))
        sub_cache[skey] = sub
    ids = sorted({sub.pk for key, sub in sub_cache.items() if key in wanted and sub is not None})
    locked = {
        s.pk: s
        for s in Submission.objects.select_for_update(of=("self",)).select_related("dataset", "unit", "period").filter(pk__in=ids).order_by("pk")
    }
    return {key: locked[sub.pk] for key, sub in sub_cache.items() if key in wanted and sub is not None and sub.pk in locked}


@transaction.atomic
def datavalues_apply(
    *, actor: Any, items: list[ValueItem], source: str, dry_run: bool = False, reason: str = "",
    progress: Any = None,
) -> ApplyResult:
    """Validate every item first; if anything is wrong raise ValidationFailed listing every problem (and
    write nothing). Otherwise write all of it in one transaction — or, with dry_run, only say what would
    change. Writing the same items twice changes nothing the second time."""
    errors: list[dict[str, Any]] = []
    result = ApplyResult(dry_run=dry_run)
    reason = nfc(reason)
    if not items:
        return result

    indicators = {i.code: i for i in Indicator.objects.filter(code__in={str(it.indicator).strip() for it in items})}
    options = {
        (o.disaggregation_id, o.code): o
        for o in DisaggregationOption.objects.filter(code__in={it.option for it in items if it.option})
    }
    ds_map = _dataset_map()
    spec_cache: dict[str, PeriodSpec | None] = {}
    unit_cache: dict[tuple[str, int, str], AdminUnit | None] = {}
    members_cache: dict[tuple[int, str], set[int]] = {}
    sub_cache: dict[tuple[int, int, str], Submission | None] = {}
    refusal_cache: dict[tuple[int, int, str], str | None] = {}
    is_province_cache: dict[int, bool] = {}

    planned: list[tuple[ValueItem, Indicator, DataSet, AdminUnit, PeriodSpec, DisaggregationOption | None, Decimal | None]] = []
    seen: dict[tuple[int, int, str, int], str] = {}

    for item in items:
        code = str(item.indicator).strip()
        indicator = indicators.get(code)
        if indicator is None:
            _err(errors, item, "unknown_indicator", _("unknown indicator code “%(code)s”") % {"code": code}, "indicator")
            continue
        pcode = str(item.period).strip()
        if pcode not in spec_cache:
            try:
                spec_cache[pcode] = parse_period(pcode)
            except ValidationFailed:
                spec_cache[pcode] = None
        spec = spec_cache[pcode]
        if spec is None:
            _err(errors, item, "invalid_period", _("“%(code)s” is not a period code") % {"code": pcode}, "period")
            continue
        dataset = ds_map.get((indicator.pk, spec.period_type))
        if dataset is None:
            _err(errors, item, "not_collected",
                 _("indicator %(ind)s is not collected for periods like %(period)s") % {"ind": code, "period": spec.code}, "indicator")
            continue
        if not indicator.in_use(spec.start, spec.end):
            _err(errors, item, "not_in_use",
                 _("indicator %(ind)s was not collected for %(period)s") % {"ind": code, "period": spec.label()}, "indicator")
            continue
        # the unit
        resolved: AdminUnit | None
        if isinstance(item.unit, AdminUnit):
            resolved = item.unit
        else:
            ukey = (str(item.unit).strip(), dataset.pk, spec.code)
            if ukey not in unit_cache:
                try:
                    unit_cache[ukey] = unit_resolve(code=ukey[0], dataset=dataset, period=spec)
                except NotFound:
                    unit_cache[ukey] = None
            resolved = unit_cache[ukey]
        if resolved is None:
            _err(errors, item, "unknown_unit",
                 _("no unit with code “%(code)s” reports %(period)s") % {"code": item.unit, "period": spec.label()}, "unit")
            continue
        unit = resolved
        mkey = (dataset.pk, spec.code)
        if mkey not in members_cache:
            members_cache[mkey] = set(reporting_units(dataset=dataset, period=spec).values_list("pk", flat=True))
        if unit.pk not in members_cache[mkey]:
            _err(errors, item, "not_a_reporting_unit",
                 _("%(unit)s does not report %(dataset)s for %(period)s") % {"unit": unit.name, "dataset": dataset.code, "period": spec.label()}, "unit")
            continue
        # permission and lock state
        skey = (dataset.pk, unit.pk, spec.code)
        if skey not in sub_cache:
            sub_cache[skey] = (
                Submission.objects.select_related("dataset", "unit", "period")
                .filter(dataset=dataset, unit=unit, period__code=spec.code).first()
            )
            sub = sub_cache[skey]
            if sub is not None:
                refusal_cache[skey] = permissions.edit_refusal(actor, sub)
            else:
                refusal_cache[skey] = permissions.new_entry_refusal(actor, unit=unit, dataset=dataset, spec=spec)
        refusal = refusal_cache[skey]
        if refusal:
            if unit.pk not in is_province_cache:
                is_province_cache[unit.pk] = permissions.is_province_user_of(actor, unit)
            _err(errors, item, "locked" if is_province_cache[unit.pk] else "forbidden", refusal, "unit")
            continue
        # disaggregation option
        option = None
        if item.option not in (None, ""):
            if indicator.disaggregation_id is None:
                _err(errors, item, "unexpected_option",
                     _("indicator %(ind)s has no disaggregation, but option “%(opt)s” was given") % {"ind": code, "opt": item.option}, "option")
                continue
            option = options.get((indicator.disaggregation_id, str(item.option)))
            if option is None:
                _err(errors, item, "unknown_option",
                     _("“%(opt)s” is not an option of %(ind)s") % {"opt": item.option, "ind": code}, "option")
                continue
        # the value
        try:
            number = value_parse(item.value, indicator)
        except ValueError as exc:
            _err(errors, item, "invalid_value", str(exc))
            continue
        natural = (unit.pk, indicator.pk, spec.code, option.pk if option else 0)
        if natural in seen:
            _err(errors, item, "duplicate", _("the same value is given twice (also at %(other)s)") % {"other": seen[natural] or "?"})
            continue
        seen[natural] = item.ref
        planned.append((item, indicator, dataset, unit, spec, option, number))

    # Lock the reports written (creating new ones), then check again that they are still open: a report
    # submitted by someone else while this batch was being checked is not changed behind their back.
    locked_reports: dict[tuple[int, int, str], Submission] = {}
    if not dry_run and planned and not errors:
        locked_reports = _lock_reports(actor=actor, planned=planned, sub_cache=sub_cache)
        refusals: dict[tuple[int, int, str], str | None] = {}
        still_open = []
        for entry in planned:
            skey = (entry[2].pk, entry[3].pk, entry[4].code)
            locked = locked_reports.get(skey)
            if skey not in refusals:
                refusals[skey] = permissions.edit_refusal(actor, locked) if locked is not None else None
            if refusals[skey]:
                _err(errors, entry[0], "locked", str(refusals[skey]), "unit")
                continue
            still_open.append(entry)
        planned = still_open

    # Existing values for every (unit, period) touched, in one query per period (read after the locks above,
    # so on PostgreSQL this sees whatever a writer we waited for has committed).
    existing: dict[tuple[int, int, str, int], DataValue] = {}
    by_period: dict[str, set[int]] = defaultdict(set)
    for _item, _ind, _ds, unit, spec, _opt, _num in planned:
        by_period[spec.code].add(unit.pk)
    for pcode, unit_ids in by_period.items():
        for pk, u, i, o, value, est, comment, version in DataValue.objects.filter(
            period__code=pcode, unit_id__in=unit_ids
        ).values_list("pk", "unit_id", "indicator_id", "option_id", "value", "is_estimate", "comment", "version"):
            existing[(u, i, pcode, o or 0)] = _Stored(pk, value, est, comment, version)  # type: ignore[assignment]

    actions: list[tuple[str, ValueItem, Indicator, DataSet, AdminUnit, PeriodSpec, DisaggregationOption | None, Decimal | None, DataValue | None]] = []
    for item, indicator, dataset, unit, spec, option, number in planned:
        current = existing.get((unit.pk, indicator.pk, spec.code, option.pk if option else 0))
        if item.expected_version is not None:
            have = current.version if current else 0
            if have != item.expected_version:
                _err(errors, item, "version_conflict",
                     _("this value was changed by someone else meanwhile (now %(value)s); reload and try again")
                     % {"value": format_plain(current.value) if current else "—"})
                continue
        if number is None:
            kind = "delete" if current is not None else "noop"
        elif current is None:
            kind = "create"
        else:
            new_estimate = current.is_estimate if item.is_estimate is None else item.is_estimate
            new_comment = current.comment if item.comment is None else nfc(item.comment)
            same = current.value == number and current.is_estimate == new_estimate and current.comment == new_comment
            kind = "unchanged" if same else "update"
        actions.append((kind, item, indicator, dataset, unit, spec, option, number, current))

    if errors:
        if all(e["code"] == "version_conflict" for e in errors):
            raise Conflict(
                _("%(count)s value(s) were changed by someone else meanwhile; nothing was saved. Reload and try again.")
                % {"count": len(errors)},
                {"errors": errors[:1000], "error_count": len(errors)},
                code=ErrorCode.VERSION_CONFLICT,
            )
        raise ValidationFailed(
            _("%(count)s error(s) found; nothing was saved.") % {"count": len(errors)},
            {"errors": errors[:1000], "error_count": len(errors)},
            code=ErrorCode.INVALID_VALUES,
        )

    for kind, item, indicator, _ds, unit, spec, option, number, _cur in actions:
        if kind == "create":
            result.created += 1
        elif kind == "update":
            result.changed += 1
        elif kind == "delete":
            result.deleted += 1
        else:
            result.unchanged += 1
        result.items.append({
            "ref": item.ref, "unit": unit.code, "indicator": indicator.code, "period": spec.code,
            "option": option.code if option else None, "action": kind, "value": str(number) if number is not None else None,
        })
    if dry_run:
        transaction.set_rollback(True)
        return result

    # Write: periods and submissions first, then values and their history as plain rows (no model instances:
    # building 2 × N instances and letting bulk_create prepare them costs ~10× the INSERTs themselves).
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    user_id = user.pk if user is not None else None
    periods: dict[str, Period] = {}
    submissions: dict[tuple[int, int, str], Submission] = {}
    creates: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    deletes: list[tuple[int, int]] = []
    history: list[tuple[Any, ...]] = []
    estimate_defaults: dict[int, set[int]] = {}
    touched: dict[int, dict[str, int]] = defaultdict(lambda: {"created": 0, "changed": 0, "deleted": 0})
    total = len(actions)
    for n, (kind, item, indicator, dataset, unit, spec, option, number, current) in enumerate(actions, 1):
        if progress is not None and n % 5000 == 0:
            progress(n, total)
        if kind in {"unchanged", "noop"}:
            continue
        if spec.code not in periods:
            periods[spec.code] = Period.for_code(spec.code)
        period = periods[spec.code]
        skey = (dataset.pk, unit.pk, spec.code)
        if skey not in submissions:
            sub = locked_reports.get(skey) or sub_cache.get(skey)
            if sub is None:
                sub, _created = Submission.objects.get_or_create(dataset=dataset, unit=unit, period=period)
                if _created:
                    audit_log(actor=actor, action=AuditAction.SUBMISSION_CREATE, obj=sub, after=snapshot(sub))
            submissions[skey] = sub
        sub = submissions[skey]
        option_id = option.pk if option else None
        if kind == "create":
            estimate = item.is_estimate
            if estimate is None:
                if dataset.pk not in estimate_defaults:
                    estimate_defaults[dataset.pk] = set(
                        dataset.elements.filter(estimate_by_default=True).values_list("indicator_id", flat=True))
                estimate = indicator.pk in estimate_defaults[dataset.pk]
            creates.append((sub.pk, unit.pk, period.pk, indicator.pk, option_id, number, estimate, nfc(item.comment or ""), 1, now, user_id))
            history.append((unit.pk, period.pk, indicator.pk, option_id, DataValueAudit.Kind.CREATE.value, None, number, None, estimate,
                            reason, source, now, user_id))
            touched[sub.pk]["created"] += 1
        elif kind == "update":
            current = cast(DataValue, current)  # classified above: an update has a stored value
            new_est = current.is_estimate if item.is_estimate is None else item.is_estimate
            new_comment = current.comment if item.comment is None else nfc(item.comment)
            updates.append((number, new_est, new_comment, current.version + 1, user_id, now, sub.pk, current.pk, current.version))
            history.append((unit.pk, period.pk, indicator.pk, option_id, DataValueAudit.Kind.UPDATE.value, current.value, number,
                            current.is_estimate, new_est, reason, source, now, user_id))
            touched[sub.pk]["changed"] += 1
        elif kind == "delete":
            current = cast(DataValue, current)  # classified above: a delete has a stored value
            deletes.append((current.pk, current.version))
            history.append((unit.pk, period.pk, indicator.pk, option_id, DataValueAudit.Kind.DELETE.value, current.value, None,
                            current.is_estimate, None, reason, source, now, user_id))
            touched[sub.pk]["deleted"] += 1
    # Every change is conditional on the version read: under the report locks nothing can have moved, but a
    # writer that bypassed them (or a database without row locks) makes the batch fail instead of losing data.
    creates.sort(key=lambda row: (row[1], row[2], row[3], row[4] or 0))  # one insertion order for everyone
    try:
        _rows_insert(DataValue, ("submission_id", "unit_id", "period_id", "indicator_id", "option_id", "value", "is_estimate",
                                 "comment", "version", "updated_at", "updated_by_id"), creates)
    except IntegrityError:  # datavalue_natural_key: someone else created one of these values meanwhile
        raise _changed_meanwhile() from None
    if _rows_update(DataValue, ("value", "is_estimate", "comment", "version", "updated_by_id", "updated_at", "submission_id"),
                    updates) != len(updates):
        raise _changed_meanwhile()
    for k in range(0, len(deletes), 200):  # 200 (pk AND version) pairs per OR: well within SQLite's expression depth
        chunk = Q()
        for pk, version in deletes[k:k + 200]:
            chunk |= Q(pk=pk, version=version)
        deleted, _by_model = DataValue.objects.filter(chunk).delete()
        if deleted != len(deletes[k:k + 200]):
            raise _changed_meanwhile()
    _rows_insert(DataValueAudit, ("unit_id", "period_id", "indicator_id", "option_id", "kind", "old_value", "new_value",
                                  "old_is_estimate", "new_is_estimate", "reason", "source", "changed_at", "changed_by_id"), history)
    for sub in submissions.values():
        counts = touched.get(sub.pk)
        if counts:
            audit_log(actor=actor, action=AuditAction.DATAVALUES_SAVE, obj=sub, after={**counts, "source": source}, reason=reason)
    result.submissions = sorted(touched)
    if progress is not None:
        progress(total, total)
    return result


def datavalues_problems(
    *, actor: Any, items: list[ValueItem], problems: list[dict[str, Any]], source: str, reason: str = "",
) -> tuple[list[dict[str, Any]], int]:
    """A reader (CSV, JSON, an Excel file) found `problems`; check the values it could read too, as a dry run
    (nothing is written), so that one answer lists every problem. Returns (problems listed, their total count:
    the write path lists at most 1000)."""
    listed, total = list(problems), len(problems)
    if items:
        try:
            datavalues_apply(actor=actor, items=items, source=source, dry_run=True, reason=reason)
        except (ValidationFailed, Conflict) as exc:
            if exc.code not in {ErrorCode.INVALID_VALUES, ErrorCode.VERSION_CONFLICT} or not isinstance(exc.details, dict):
                raise
            listed += list(exc.details["errors"])
            total += int(exc.details["error_count"])
    return listed, total


# ---------------------------------------------------------------------------------------------------------
# Plan targets


@transaction.atomic
def target_set(
    *, actor: Any, indicator: Indicator, unit: AdminUnit, year: int, value: Any, option: DisaggregationOption | None = None,
    source: str = "",
) -> Target | None:
    """Set (or clear, with an empty value) the annual plan target of one indicator for one unit."""
    if not permissions.can_set_target(actor, unit):
        raise PermissionDenied(_("Only %(unit)s's officers and director or the Ministry coordinator can set its targets.") % {"unit": unit.name})
    if not 1990 <= int(year) <= 2100:
        raise ValidationFailed(_("%(year)s is not a valid year.") % {"year": year}, code=ErrorCode.INVALID_YEAR)
    try:
        number = value_parse(value, indicator)
    except ValueError as exc:
        raise ValidationFailed(str(exc), {"field": "value"}) from None
    current = Target.objects.filter(indicator=indicator, unit=unit, year=year, option=option).first()
    before = snapshot(current) if current else None
    if number is None:
        if current is not None:
            current.delete()
            audit_log(actor=actor, action=AuditAction.TARGET_DELETE, object_type="reporting.target", object_id=f"{indicator.code}/{unit.key}/{year}",
                      object_repr=str(current), before=before)
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    if current is None:
        current = Target.objects.create(indicator=indicator, unit=unit, year=year, option=option, value=number, source=nfc(source), updated_by=user)
    elif current.value != number or (source and current.source != nfc(source)):
        current.value = number
        if source:
            current.source = nfc(source)
        current.updated_by = user
        current.save()
    else:
        return current
    audit_log(actor=actor, action=AuditAction.TARGET_SET, obj=current, before=before, after=snapshot(current))
    return current


@dataclass
class TargetItem:
    """One target of a page of targets: `key` names its row for error messages."""

    indicator: Indicator
    value: Any
    option: DisaggregationOption | None = None
    key: str = ""


@transaction.atomic(durable=True)
def targets_set(*, actor: Any, unit: AdminUnit, year: int, items: list[TargetItem], source: str = "") -> int:
    """Set several targets of one unit and year, all or nothing; returns how many changed. A value equal to the
    stored one is left alone (its source included). If any target cannot be set nothing is saved and
    ValidationFailed `invalid_targets` lists the message per row key (`details["errors"]`)."""
    if not permissions.can_set_target(actor, unit):
        raise PermissionDenied(_("Only %(unit)s's officers and director or the Ministry coordinator can set its targets.") % {"unit": unit.name})
    errors: dict[str, str] = {}
    changed = 0
    for item in items:
        current = (
            Target.objects.filter(indicator=item.indicator, unit=unit, year=year, option=item.option)
            .values_list("value", flat=True).first()
        )
        try:
            if value_parse(item.value, item.indicator) == current:
                continue
        except ValueError:
            pass  # target_set says why
        try:
            target_set(actor=actor, indicator=item.indicator, unit=unit, year=year, value=item.value, option=item.option,
                       source=source)
        except ApplicationError as exc:
            errors[item.key] = exc.message
            continue
        changed += 1
    if errors:
        raise ValidationFailed(
            _("%(count)s target(s) could not be saved; nothing was saved.") % {"count": len(errors)},
            {"errors": errors}, code=ErrorCode.INVALID_TARGETS,
        )
    return changed
