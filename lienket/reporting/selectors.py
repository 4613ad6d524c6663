"""Reads of the reporting domain: who reports what (reporting units, a unit code resolved for a report),
the catalogue, completeness, submissions and values a user may see, values across periods and the 2025 merger,
plan targets. Selectors never import services; every read of submissions or values passes
`permissions.visible_submissions`.

Over 500 lines on purpose: one module per layer is the app template (docs/CONVENTIONS.md); the sections below
are independent and would move to a `selectors/` package first if the module keeps growing."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.errors import NotFound, ValidationFailed
from lienket.core.text import fold, is_ascii_int, nfc
from lienket.regions.keys import unit_key_parse, unit_key_resolve
from lienket.regions.models import AdminUnit, GroupMembership
from lienket.search.values import SearchDocument
from lienket.users.permissions import is_coordinator, province_units

from . import permissions
from .aggregates import MISSING, UnitValue, ValueLookup  # noqa: F401  (the one roll-up, re-exported)
from .codes import ErrorCode
from .models import (
    DataSet,
    DataSetElement,
    DataValue,
    DataValueAudit,
    DisaggregationOption,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
    Target,
)
from .periods import PeriodSpec, PeriodType, parse_period, periods_of_type

ONE_DECIMAL = Decimal("0.1")
DONE_STATES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.ACCEPTED})


# ---------------------------------------------------------------------------------------------------------
# Who reports what


def reporting_date(*, dataset: DataSet, period: PeriodSpec | Period) -> dt.date:
    """The date that decides which units report: the due date (see periods.py)."""
    return dataset.due_date(period)


def reporting_units(*, dataset: DataSet, period: PeriodSpec | Period) -> QuerySet[AdminUnit]:
    day = reporting_date(dataset=dataset, period=period)
    members = dataset.reporting_group.memberships.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    ).values("unit_id")
    return AdminUnit.objects.valid_on(day).filter(pk__in=members).order_by("code")


def unit_resolve(*, code: str, dataset: DataSet, period: PeriodSpec | Period) -> AdminUnit:
    """The unit a code means for this report: `15` for 2024S1 is Yên Bái, for 2025N9 the new Lào Cai.
    A key such as `15@2025-07-01` names one record explicitly."""
    code = nfc(code)
    day = reporting_date(dataset=dataset, period=period)
    try:
        unit = unit_key_resolve(code, on=day)
    except ValidationFailed:
        unit = None
    if unit is None:
        raise NotFound(
            _("No administrative unit with code “%(code)s” reports on %(date)s.") % {"code": code, "date": day.strftime("%d/%m/%Y")},
            {"unit": code},
            code=ErrorCode.UNKNOWN_UNIT,
        )
    return unit


def dataset_for(*, indicator: Indicator, period_type: str) -> DataSet | None:
    """The data set that collects `indicator` for periods of `period_type` (the catalogue allows one)."""
    return (
        DataSet.objects.filter(elements__indicator=indicator, period_type=period_type, is_active=True)
        .order_by("code")
        .first()
    )


@dataclass
class CompletenessRow:
    unit: AdminUnit
    submission: Submission | None
    status: str  # "missing" when no submission exists yet
    submitted_at: dt.datetime | None
    on_time: bool | None
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code, "unit_key": self.unit.key, "unit_name": self.unit.name, "status": self.status,
            "submission_id": self.submission.pk if self.submission else None,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "on_time": self.on_time, "overdue": self.overdue,
        }


@dataclass
class CompletenessReport:
    dataset: DataSet
    period: PeriodSpec
    due_date: dt.date
    rows: list[CompletenessRow] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.rows)

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def summary(self) -> dict[str, Any]:
        done = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.ACCEPTED)
        submitted = self.count(*done)
        on_time = sum(1 for r in self.rows if r.on_time)
        expected = self.expected or 1
        return {
            "expected": self.expected,
            "missing": self.count("missing"),
            "draft": self.count(SubmissionStatus.DRAFT),
            "returned": self.count(SubmissionStatus.RETURNED),
            "submitted": submitted,
            "approved": self.count(SubmissionStatus.APPROVED, SubmissionStatus.ACCEPTED),
            "accepted": self.count(SubmissionStatus.ACCEPTED),
            "on_time": on_time,
            "completeness_pct": round(100 * submitted / expected, 1),
            "timeliness_pct": round(100 * on_time / expected, 1),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset.code, "period": self.period.code, "period_label": self.period.label(),
            "due_date": self.due_date.isoformat(), "summary": self.summary, "units": [r.as_dict() for r in self.rows],
        }


def completeness(*, dataset: DataSet, period_code: str, on: dt.date | None = None) -> CompletenessReport:
    """Which of the units due to report (members of the reporting group on the due date) have submitted,
    been approved and accepted, and whether they submitted on time (DHIS2's completeness and timeliness)."""
    spec = parse_period(period_code)
    today = on or clock.today()
    due = dataset.due_date(spec)
    units = list(reporting_units(dataset=dataset, period=spec))
    subs = {
        s.unit_id: s
        for s in Submission.objects.filter(dataset=dataset, period__code=spec.code, unit__in=units).select_related("period", "dataset")
    }
    report = CompletenessReport(dataset=dataset, period=spec, due_date=due)
    for unit in units:
        sub = subs.get(unit.pk)
        status = sub.status if sub else "missing"
        submitted_at = sub.submitted_at if sub and status in ("submitted", "approved", "accepted") else None
        on_time = (timezone.localtime(submitted_at).date() <= due) if submitted_at else None
        overdue = submitted_at is None and today > due
        report.rows.append(CompletenessRow(unit, sub, status, submitted_at, on_time, overdue))
    return report


# ---------------------------------------------------------------------------------------------------------
# Reads for the HTML pages (catalogue, my work, lists). Every read of data values goes through
# `values_visible`, so nobody sees another unit's numbers they may not see (permissions.visible_submissions).


def pct_change(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    """(current − base) ÷ |base| × 100 with one decimal; None when either is missing or the base is 0."""
    if current is None or base is None or base == 0:
        return None
    return ((current - base) / abs(base) * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def pct_of(value: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """value ÷ whole × 100 with one decimal (e.g. % of plan achieved); None when missing or whole is 0."""
    if value is None or whole is None or whole == 0:
        return None
    return (value / whole * 100).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def indicator_catalogue(*, q: str = "") -> QuerySet[Indicator]:
    """The active indicators with everything the catalogue page shows; `q` matches code or name (accents optional)."""
    qs = (
        Indicator.objects.filter(is_active=True)
        .select_related("disaggregation", "weight_indicator", "numerator", "denominator")
        .prefetch_related("disaggregation__options", "datasets")
        .order_by("sort_order", "code")
    )
    q = nfc(q or "").strip()
    if q:
        folded = fold(q)
        ids = [i.pk for i in qs if folded in fold(f"{i.code} {i.name} {i.name_en} {i.short_name}")]
        qs = qs.filter(pk__in=ids)
    return qs


def dataset_list() -> QuerySet[DataSet]:
    return DataSet.objects.filter(is_active=True).select_related("reporting_group").annotate(
        indicator_count=Count("elements")
    ).order_by("code")


def dataset_get(*, code: str) -> DataSet:
    dataset = DataSet.objects.select_related("reporting_group").filter(code=(code or "").strip()).first()
    if dataset is None:
        raise NotFound(_("There is no data set with code “%(code)s”.") % {"code": code}, {"dataset": code},
                       code=ErrorCode.UNKNOWN_DATASET)
    return dataset


def dataset_elements(*, dataset: DataSet, period: PeriodSpec | None = None) -> QuerySet[DataSetElement]:
    """The data set's elements in form order; with `period`, only indicators collected in that period."""
    qs = DataSetElement.objects.filter(dataset=dataset)
    if period is not None:
        qs = qs.filter(Indicator.in_use_q(period.start, period.end, prefix="indicator__"))
    return (
        qs
        .select_related("indicator", "indicator__disaggregation")
        .prefetch_related("indicator__disaggregation__options")
        .order_by("sort_order", "id")
    )


def year_param(raw: str | None, *, default: int) -> int:
    """A year from a query parameter; ValidationFailed (400) for anything that is not 1990–2100."""
    text = (raw or "").strip()
    if not text:
        return default
    if not is_ascii_int(text) or not 1990 <= int(text) <= 2100:
        raise ValidationFailed(_("“%(year)s” is not a valid year (1990–2100).") % {"year": text[:20]}, {"field": "year"},
                               code=ErrorCode.INVALID_YEAR)
    return int(text)


def unit_for_entry(*, user: Any, dataset: DataSet, spec: PeriodSpec) -> list[AdminUnit]:
    """The user's own units (province roles) that report `dataset` for `spec`."""
    own = [u.pk for u in province_units(user)]
    if not own:
        return []
    return list(reporting_units(dataset=dataset, period=spec).filter(pk__in=own))


@dataclass
class DatasetPeriod:
    spec: PeriodSpec
    due_date: dt.date
    edit_deadline: dt.date
    is_past_due: bool
    own: list[tuple[AdminUnit, Submission | None]] = field(default_factory=list)


def dataset_periods(*, dataset: DataSet, year: int, user: Any, on: dt.date | None = None) -> list[DatasetPeriod]:
    """The periods of one year of a data set with due dates, and for each the user's own reporting units with
    their submission (None when not started)."""
    today = on or clock.today()
    specs = periods_of_type(dataset.period_type, year)
    own_ids = [u.pk for u in province_units(user)]
    subs = {
        (s.unit_id, s.period.code): s
        for s in Submission.objects.filter(dataset=dataset, period__year=year, unit_id__in=own_ids).select_related("period")
    }
    out: list[DatasetPeriod] = []
    for spec in specs:
        due = dataset.due_date(spec)
        row = DatasetPeriod(spec, due, dataset.edit_deadline(spec), today > due)
        for unit in unit_for_entry(user=user, dataset=dataset, spec=spec):
            row.own.append((unit, subs.get((unit.pk, spec.code))))
        out.append(row)
    return out


@dataclass
class DueItem:
    dataset: DataSet
    period: PeriodSpec
    unit: AdminUnit
    due_date: dt.date
    submission: Submission | None
    today: dt.date

    @property
    def done(self) -> bool:
        return self.submission is not None and self.submission.status in DONE_STATES

    @property
    def overdue(self) -> bool:
        return not self.done and self.today > self.due_date

    @property
    def days_left(self) -> int:
        return (self.due_date - self.today).days

    @property
    def days_overdue(self) -> int:
        return max((self.today - self.due_date).days, 0)


def due_soon(*, user: Any, on: dt.date | None = None, horizon_days: int = 45, lookback_days: int = 60) -> list[DueItem]:
    """Reports the user's units must send soon (due within `horizon_days`), and those past due in the last
    `lookback_days` that are still not submitted.

    A fixed number of queries whatever the data sets and periods: the active data sets, the user's units'
    group memberships (who reports is `reporting_units`' rule — member of the reporting group and a valid
    unit on the due date — applied here in Python), and one query for every submission involved."""
    today = on or clock.today()
    unit_ids = list(province_units(user).values_list("pk", flat=True))
    if not unit_ids:
        return []
    datasets = list(DataSet.objects.filter(is_active=True).select_related("reporting_group").order_by("code"))
    memberships: dict[int, list[GroupMembership]] = {}
    for m in GroupMembership.objects.filter(
        group_id__in={ds.reporting_group_id for ds in datasets}, unit_id__in=unit_ids
    ).select_related("unit").order_by("unit__code"):
        memberships.setdefault(m.group_id, []).append(m)
    candidates: list[tuple[DataSet, PeriodSpec, dt.date, list[AdminUnit]]] = []
    for dataset in datasets:
        for year in (today.year - 1, today.year, today.year + 1):
            for spec in periods_of_type(dataset.period_type, year):
                due = dataset.due_date(spec)
                if not today - dt.timedelta(days=lookback_days) <= due <= today + dt.timedelta(days=horizon_days):
                    continue
                day = reporting_date(dataset=dataset, period=spec)
                reporting = sorted(
                    {m.unit.pk: m.unit for m in memberships.get(dataset.reporting_group_id, [])
                     if (m.valid_from is None or m.valid_from <= day) and (m.valid_to is None or m.valid_to >= day)
                     and m.unit.is_valid_on(day)}.values(),
                    key=lambda u: u.code,
                )
                if reporting:
                    candidates.append((dataset, spec, due, reporting))
    if not candidates:
        return []
    subs = {
        (s.dataset_id, s.period.code, s.unit_id): s
        for s in Submission.objects.filter(
            dataset__in={c[0].pk for c in candidates}, period__code__in={c[1].code for c in candidates}, unit_id__in=unit_ids,
        ).select_related("period")
    }
    items: list[DueItem] = []
    for dataset, spec, due, reporting in candidates:
        for unit in reporting:
            item = DueItem(dataset, spec, unit, due, subs.get((dataset.pk, spec.code, unit.pk)), today)
            if due < today and item.done:
                continue
            items.append(item)
    items.sort(key=lambda i: (i.due_date, i.dataset.code, i.unit.code))
    return items


def submissions_open(*, user: Any) -> QuerySet[Submission]:
    """The user's own units' reports that are not accepted yet (drafts, returned, waiting for approval)."""
    return (
        Submission.objects.filter(unit__in=province_units(user))
        .exclude(status=SubmissionStatus.ACCEPTED)
        .select_related("dataset", "unit", "period")
        .order_by("-period__start", "dataset__code")
    )


def acceptance_queue(*, user: Any) -> QuerySet[Submission]:
    """Approved reports waiting for the Ministry coordinator's acceptance, oldest approval first."""
    if not is_coordinator(user):
        return Submission.objects.none()
    return (
        Submission.objects.filter(status=SubmissionStatus.APPROVED)
        .select_related("dataset", "unit", "period", "approved_by")
        .order_by("approved_at", "id")
    )


def latest_due_period(*, dataset: DataSet, on: dt.date) -> PeriodSpec | None:
    """The most recent period of `dataset` whose due date is on or before `on`."""
    best: PeriodSpec | None = None
    for year in (on.year - 1, on.year):
        for spec in periods_of_type(dataset.period_type, year):
            if dataset.due_date(spec) <= on and (best is None or dataset.due_date(spec) > dataset.due_date(best)):
                best = spec
    return best


def completeness_overview(*, on: dt.date | None = None) -> list[CompletenessReport]:
    """For every active data set, completeness and timeliness of its most recently due period."""
    today = on or clock.today()
    reports: list[CompletenessReport] = []
    for dataset in DataSet.objects.filter(is_active=True).select_related("reporting_group").order_by("code"):
        spec = latest_due_period(dataset=dataset, on=today)
        if spec is not None:
            reports.append(completeness(dataset=dataset, period_code=spec.code, on=today))
    return reports


def submission_search(
    *, user: Any, dataset: DataSet | None = None, period_code: str = "", unit: str = "", status: str = "",
    unit_ids: list[int] | None = None,
) -> QuerySet[Submission]:
    """Submissions the user may see, filtered, newest period first. `unit` is a GSO code (any validity) or a key
    such as `25@2025-07-01`; `unit_ids` the unit records already looked up (the API's `unit` filter)."""
    qs = permissions.visible_submissions(user, Submission.objects.select_related("dataset", "unit", "period"))
    if dataset is not None:
        qs = qs.filter(dataset=dataset)
    if period_code:
        qs = qs.filter(period__code=parse_period(period_code).code)
    unit = nfc(unit or "").strip()
    if unit:
        try:
            key = unit_key_parse(unit)
        except ValidationFailed:
            raise ValidationFailed(_("“%(unit)s” is not a unit code or key (e.g. 25 or 25@2025-07-01).") % {"unit": unit},
                                   {"field": "unit"}, code=ErrorCode.INVALID_UNIT) from None
        qs = qs.filter(unit__code=key.code)
        if key.valid_from is not None:
            qs = qs.filter(unit__valid_from=key.valid_from)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period__start", "dataset__code", "unit__code", "unit__valid_from", "id")


def value_history(*, submission: Submission, indicator: Indicator) -> QuerySet[DataValueAudit]:
    """The value-level history of one indicator (every option) in one submission, newest first."""
    return (
        DataValueAudit.objects.filter(unit=submission.unit, period=submission.period, indicator=indicator)
        .select_related("changed_by", "option")
        .order_by("-changed_at", "-id")
    )


def value_last_change(*, unit: AdminUnit, period: Period, indicator: Indicator, option: DisaggregationOption | None) -> DataValueAudit | None:
    return (
        DataValueAudit.objects.filter(unit=unit, period=period, indicator=indicator, option=option)
        .select_related("changed_by")
        .order_by("-changed_at", "-id")
        .first()
    )


# --- values across periods and across the 2025 merger ---------------------------------------------------


#: The order GET /api/v1/datavalues pages in: one index (datavalue_period_id_idx) supplies it, also under a
#: period filter, so a page — first or deep, through the keyset cursor — reads only its own rows.
VALUE_ORDER = ("period_id", "id")


@dataclass(frozen=True)
class ValueFilter:
    """The API's filters, already resolved to ids (None = no filter)."""

    dataset_id: int | None = None
    period_ids: list[int] | None = None
    unit_ids: list[int] | None = None
    indicator_id: int | None = None
    status: str = ""
    updated_since: dt.datetime | None = None


def period_ids_between(*, first: PeriodSpec, last: PeriodSpec) -> list[int]:
    """Stored periods of `first`'s kind from `first` to `last` (both included)."""
    return list(
        Period.objects.filter(period_type=first.period_type, start__gte=first.start, start__lte=last.start)
        .order_by("start").values_list("pk", flat=True)
    )


def values_for_api(*, user: Any, filters: ValueFilter, after: tuple[int, int] | None = None) -> QuerySet[DataValue]:
    """The values `user` may see (values_visible's rule) matching `filters`, in VALUE_ORDER, after the
    (period id, value id) key `after` (a keyset cursor). No total count: ask `.count()` only when wanted."""
    if not getattr(user, "is_authenticated", False):
        return DataValue.objects.none()
    qs = DataValue.objects.all()
    if not permissions.sees_every_submission(user):
        # visible = not hidden; the hidden reports are few (other units' drafts), so excluding them keeps the
        # plan on the ordering index whatever the other filters are
        subs = Submission.objects.all()
        if filters.unit_ids is not None:
            subs = subs.filter(unit_id__in=filters.unit_ids)
        qs = qs.exclude(submission__in=permissions.hidden_submissions(user, subs).values("pk"))
    period_ids = filters.period_ids
    if filters.dataset_id is not None or filters.status:
        reports = Submission.objects.all()
        if filters.dataset_id is not None:
            reports = reports.filter(dataset_id=filters.dataset_id)
        if filters.status:
            reports = reports.filter(status=filters.status)
        qs = qs.filter(submission__in=reports.values("pk"))
        # A report belongs to one period: name the periods of the matching reports too, so that the walk in
        # period order visits only those (the drafts are the last months: without this it would read every
        # earlier value first). One small query on the reports.
        report_periods = set(reports.order_by().values_list("period_id", flat=True).distinct())
        period_ids = sorted(report_periods if period_ids is None else report_periods & set(period_ids))
    if period_ids is not None:
        qs = qs.filter(period_id__in=period_ids)
    if filters.unit_ids is not None:
        qs = qs.filter(unit_id__in=filters.unit_ids)
    if filters.indicator_id is not None:
        qs = qs.filter(indicator_id=filters.indicator_id)
    if filters.updated_since is not None:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    if after is not None:
        qs = qs.filter(TupleGreaterThan(Tuple(F("period_id"), F("id")), after))
    return qs.select_related("unit", "period", "indicator", "option", "submission").order_by(*VALUE_ORDER)


def values_page(qs: QuerySet[DataValue], start: int, stop: int, *, unit_ids: list[int] | None = None) -> QuerySet[DataValue]:
    """Rows `start`…`stop` of `values_for_api`'s queryset, chosen on the values table alone and only then joined
    to their unit, period, indicator, option and report: a filter that leaves tens of thousands of candidates
    sorts narrow rows instead of joined ones, and planning stays cheap.

    Several unit records (a code carried before and after the 2025 merger): each record's keys come from its
    own index range (datavalue_unit_period_idx), merged here — one query per record, never a sort of both."""
    keys = qs.select_related(None)
    if unit_ids is not None and len(unit_ids) > 1:
        runs = [list(keys.filter(unit_id=u).values_list(*VALUE_ORDER)[:stop]) for u in unit_ids]
        chosen_ids: Any = [pk for _period, pk in list(heapq.merge(*runs))[start:stop]]
    else:
        chosen_ids = keys.values("pk")[start:stop]
    return DataValue.objects.filter(pk__in=chosen_ids).order_by(*VALUE_ORDER)


def values_visible(
    *, user: Any, units: list[AdminUnit] | None = None, period_codes: list[str] | None = None, year: int | None = None,
    indicators: list[Indicator] | None = None,
) -> QuerySet[DataValue]:
    """Stored values (of `units`, default every unit) that `user` may see: their submission must be visible to
    the user (own unit, coordinator, or accepted)."""
    subs = Submission.objects.all()
    values = DataValue.objects.all()
    if units is not None:
        subs = subs.filter(unit__in=units)
        values = values.filter(unit__in=units)
    if period_codes is not None:
        subs = subs.filter(period__code__in=period_codes)
        values = values.filter(period__code__in=period_codes)
    if year is not None:
        subs = subs.filter(period__year=year)
        values = values.filter(period__year=year)
    if indicators is not None:
        values = values.filter(indicator__in=indicators)
    return values.filter(submission__in=permissions.visible_submissions(user, subs)).select_related("period")


@dataclass(frozen=True)
class Achieved:
    """What counts as "achieved so far this year" against an annual target, and how it was worked out."""

    value: Decimal | None
    basis: str
    from_predecessors: bool = False


def _memo(memo: dict[Any, Any] | None, key: Any, make: Callable[[], Any]) -> Any:
    """`make()`, kept in `memo` under `key` when a memo is given (the same texts and period lists for every row)."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _ytd_sum(lookup: ValueLookup, indicator: Indicator, option: DisaggregationOption | None, specs: list[PeriodSpec],
             kind: str, memo: dict[Any, Any] | None = None) -> Achieved:
    total = Decimal(0)
    present = 0
    from_pred = False
    for spec in specs:
        got = lookup.get(indicator, option, spec.code)
        if got.value is not None:
            total += got.value
            present += 1
            from_pred = from_pred or got.from_predecessors
    if not present:
        return Achieved(None, "")
    basis = _memo(memo, ("ytd-basis", specs[0].code, specs[-1].code, present, kind), lambda: _(
        "Year to date: sum of %(n)s of %(m)s %(kind)s values (%(first)s – %(last)s) ÷ annual target") % {
        "n": present, "m": len(specs), "kind": kind, "first": specs[0].label(), "last": specs[-1].label(),
    })
    return Achieved(total, basis, from_pred)


def achieved_for_period(
    *, lookup: ValueLookup, indicator: Indicator, option: DisaggregationOption | None, spec: PeriodSpec,
    memo: dict[Any, Any] | None = None,
) -> Achieved:
    """Achieved against the annual target as of `spec`: a cumulative (lũy kế) indicator's own value; for a
    non-cumulative sum indicator reported per month or quarter, the sum of the year's periods up to `spec`;
    otherwise the period's value. `memo`: a dict the caller keeps across the rows of one page (one language), so
    the period lists and the explanations are worked out once, not once per row."""
    if indicator.cumulative_ytd:
        got = lookup.get(indicator, option, spec.code)
        return Achieved(got.value, _memo(memo, "cumulative", lambda: _("Cumulative (year-to-date) indicator: this value ÷ annual target")),
                        got.from_predecessors)
    if indicator.time_aggregation == Indicator.TimeAggregation.SUM:
        if spec.period_type in (PeriodType.MONTH, PeriodType.QUARTER):
            specs, kind = _memo(memo, ("ytd", spec.code), lambda: (
                [s for s in periods_of_type(spec.period_type, spec.year) if s.start <= spec.start],
                _("monthly") if spec.period_type == PeriodType.MONTH else _("quarterly"),
            ))
            return _ytd_sum(lookup, indicator, option, specs, kind, memo)
        got = lookup.get(indicator, option, spec.code)
        return Achieved(got.value, _memo(memo, ("to-end", spec.code), lambda: _(
            "The value from the start of the year to the end of %(period)s ÷ annual target") % {"period": spec.label()}),
            got.from_predecessors)
    got = lookup.get(indicator, option, spec.code)
    return Achieved(got.value, _memo(memo, ("own", spec.code), lambda: _(
        "The value of %(period)s ÷ annual target (not summed over time)") % {"period": spec.label()}), got.from_predecessors)


def achieved_for_year(*, lookup: ValueLookup, indicator: Indicator, option: DisaggregationOption | None, year: int) -> Achieved:
    """Achieved so far in `year` whatever the reporting frequency: the latest period with a value decides
    (see `achieved_for_period`); a year-long or half-year figure wins over a sum of months ending on the same day."""
    specs = []
    for code in lookup.period_codes:
        spec = parse_period(code)
        if spec.year == year and lookup.get(indicator, option, code).value is not None:
            specs.append(spec)
    if not specs:
        return Achieved(None, "")
    # latest end first; on the same end prefer the longer span (reported as one figure)
    latest = max(specs, key=lambda s: (s.end, s.months))
    return achieved_for_period(lookup=lookup, indicator=indicator, option=option, spec=latest)


# --- plan targets ---------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    key: str
    indicator: Indicator
    option: DisaggregationOption | None
    target: Target | None
    achieved: Achieved
    plan_pct: Decimal | None
    raw: str | None = None  # what the user typed, when the page is shown again with an error
    error: str = ""

    @property
    def target_value(self) -> Decimal | None:
        return self.target.value if self.target else None


def row_key(indicator: Indicator, option: DisaggregationOption | None) -> str:
    """A stable key for one (indicator, option) row, used in field names and test ids: `RETAIL`, `MARKETS__I`."""
    return f"{indicator.code}__{option.code}" if option is not None else indicator.code


def target_indicators() -> list[tuple[Indicator, DisaggregationOption | None]]:
    """Every (indicator, option) collected by an active data set, in catalogue order."""
    indicators = (
        Indicator.objects.filter(is_active=True, elements__dataset__is_active=True)
        .distinct()
        .select_related("disaggregation")
        .prefetch_related("disaggregation__options")
        .order_by("sort_order", "code")
    )
    out: list[tuple[Indicator, DisaggregationOption | None]] = []
    for ind in indicators:
        if ind.disaggregation is not None:
            out.extend((ind, opt) for opt in ind.disaggregation.options.all())
        else:
            out.append((ind, None))
    return out


def targets_table(*, user: Any, unit: AdminUnit, year: int) -> list[TargetRow]:
    """Annual targets of one unit for one year, with what was achieved so far and the % of plan."""
    pairs = target_indicators()
    indicators = list({ind.pk: ind for ind, _opt in pairs}.values())
    targets = {
        (t.indicator_id, t.option_id or 0): t for t in Target.objects.filter(unit=unit, year=year).select_related("updated_by")
    }
    lookup = ValueLookup(user=user, unit=unit, indicators=indicators, year=year)
    rows: list[TargetRow] = []
    for ind, opt in pairs:
        target = targets.get((ind.pk, opt.pk if opt else 0))
        achieved = achieved_for_year(lookup=lookup, indicator=ind, option=opt, year=year)
        rows.append(TargetRow(row_key(ind, opt), ind, opt, target, achieved,
                              pct_of(achieved.value, target.value if target else None)))
    return rows


def target_units(*, user: Any, year: int) -> list[AdminUnit]:
    """Units whose targets the user may set for `year`: their own units, or every province valid in that
    year for the coordinator."""
    if is_coordinator(user):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return list(
            AdminUnit.objects.provinces()
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=start))
            .order_by("code", "valid_from")
        )
    return list(province_units(user).order_by("code", "valid_from"))


def unit_by_key(*, key: str, on: dt.date | None = None) -> AdminUnit:
    """The unit a key names: `25@2025-07-01` one record; a plain code `25` the record valid `on` (default
    today) — never the code alone across the 2025 merger. NotFound otherwise."""
    try:
        unit = unit_key_resolve(nfc(key or "").strip(), on=on or clock.today())
    except ValidationFailed:
        unit = None
    if unit is None:
        raise NotFound(_("No administrative unit has the key “%(key)s”.") % {"key": key}, {"unit": key}, code=ErrorCode.UNKNOWN_UNIT)
    return unit


def indicator_search_document(indicator: Indicator) -> SearchDocument:
    """An indicator as a search item, for signed-in users (the catalogue page is theirs)."""
    body = " · ".join(p for p in [indicator.code, indicator.short_name, indicator.unit_of_measure, indicator.definition] if p)
    return SearchDocument(
        kind="indicator", key=indicator.code, title=indicator.name, body=body, visibility="signed_in",
        url=f"{reverse('reporting:indicator_list')}#indicator-{indicator.code}",
    )


def search_documents() -> Iterator[SearchDocument]:
    """Every indicator, for `manage.py search_reindex` (settings.SEARCH_DOCUMENT_SOURCES)."""
    for indicator in Indicator.objects.order_by("code"):
        yield indicator_search_document(indicator)
