"""The lowest layer of the analytics engine, kept in reporting because reporting's own pages need it too:
stored values fetched as plain tuples, and a unit's value for a period across the 1/7/2025 merger.

One implementation of the merger roll-up (the entry form's "same period last year" of a new province, the plan
page's "achieved", and every figure of `lienket.analytics`):

* a unit valid on the period's date: its own stored value;
* a unit formed later (the new Phú Thọ in 2024): Σ predecessor value × `UnitSuccession.share` — only when every
  predecessor reported it; a ratio recomputed from its rolled-up numerator and denominator; a weighted average
  from its weight indicator's rolled-up values; an index (`aggregation = none`) cannot be derived;
* an old unit at a later date (Vĩnh Phúc in 2026): the value of the unit that took it over is never split back —
  "not comparable" — except a pure rename (one successor whose only predecessor it is, share 1).

The mapping of units is `lienket.regions.selectors.unit_predecessors_on / unit_successors_on`, the one every
app uses. Published (accepted) figures are also kept in a compact table, `AcceptedValue`, maintained inside the
accepting / reopening transaction (`rollup_submission`); `published_values` reads it. `docs/analytics.md` has the
measurements behind that decision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from lienket.regions.models import AdminUnit, UnitSuccession
from lienket.regions.selectors import group_member_ids_on, reference_cached, unit_predecessors_on, unit_successors_on

from . import permissions
from .models import (
    AcceptedTotal,
    AcceptedValue,
    DataValue,
    DisaggregationOption,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
)
from .periods import PeriodSpec, parse_period

# (unit id, indicator id, period code, option id or 0)
Key = tuple[int, int, str, int]


@dataclass(frozen=True)
class Stored:
    value: Decimal
    accepted: bool


def stored_values(
    *, submissions: QuerySet[Submission], unit_ids: Iterable[int], indicator_ids: Iterable[int],
    period_codes: Iterable[str] | None = None, year: int | None = None, option_ids: Iterable[int] | None = None,
    with_total: bool = True,
) -> dict[Key, Stored]:
    """Stored values of the given units, indicators and periods whose submission is in `submissions` (the
    caller's visibility), as {key: Stored}, in one query of plain tuples. `option_ids` (with `with_total` for the
    total without option) narrows the disaggregation options fetched; default all."""
    unit_ids = list(unit_ids)
    values = DataValue.objects.filter(unit_id__in=unit_ids, indicator_id__in=list(indicator_ids))
    # A value belongs to a submission of its own unit and period: narrowing the visible submissions to those units
    # lets PostgreSQL read them by index instead of hashing every visible submission of the country (issue #17).
    submissions = submissions.filter(unit_id__in=unit_ids)
    if option_ids is not None:
        chosen = Q(option_id__in=list(option_ids))
        values = values.filter(chosen | Q(option__isnull=True) if with_total else chosen)
    if period_codes is not None:
        values = values.filter(period__code__in=list(period_codes))
    if year is not None:
        values = values.filter(period__year=year)
    rows = values.filter(submission__in=submissions).values_list(
        "unit_id", "indicator_id", "period__code", "option_id", "value", "submission__status",
    )
    return {
        (unit_id, ind_id, code, opt_id or 0): Stored(value, status == SubmissionStatus.ACCEPTED)
        for unit_id, ind_id, code, opt_id, value, status in rows
    }


_ROLLUP_INSERT = """
INSERT INTO reporting_acceptedvalue (submission_id, unit_id, indicator_id, period_code, option_key, value)
SELECT dv.submission_id, dv.unit_id, dv.indicator_id, p.code, COALESCE(dv.option_id, 0), dv.value
FROM reporting_datavalue dv JOIN reporting_period p ON p.id = dv.period_id
JOIN reporting_submission s ON s.id = dv.submission_id AND s.status = %s
WHERE {where}
"""


def rollup_submission(*submission_ids: int) -> None:
    """Bring the published-figures tables in line with submissions: their rows are removed, and copied again from
    their values when accepted; then the sums of every group the submissions' units belong to are recomputed for
    their periods and indicators (`AcceptedTotal`). Called by the workflow inside the accepting / reopening
    transaction (the submission row is locked), so the tables change exactly when — and only if — it commits."""
    from django.db import connection

    ids = list(submission_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        AcceptedValue.objects.filter(submission_id__in=chunk).delete()
        with connection.cursor() as cursor:
            cursor.execute(_ROLLUP_INSERT.format(where=f"dv.submission_id IN ({', '.join(['%s'] * len(chunk))})"),
                           [str(SubmissionStatus.ACCEPTED), *chunk])
    # which (period, unit) pairs and indicators changed
    by_period: dict[int, set[int]] = {}
    for unit_id, period_id in Submission.objects.filter(pk__in=ids).values_list("unit_id", "period_id"):
        by_period.setdefault(period_id, set()).add(unit_id)
    indicator_ids = sorted(set(DataValue.objects.filter(submission_id__in=ids).values_list("indicator_id", flat=True)))
    if not indicator_ids:
        return
    for period_id, code, end in Period.objects.filter(pk__in=by_period).values_list("pk", "code", "end"):
        members = group_member_ids_on(day=end, unit_ids=by_period[period_id])
        totals_write(period_code=code, members=members, indicator_ids=indicator_ids)


def members_key(unit_ids: Iterable[int]) -> str:
    """A group's membership as a short key (a hash of the sorted member ids): a sum counts only for those members."""
    return hashlib.blake2b(",".join(str(i) for i in sorted(unit_ids)).encode(), digest_size=16).hexdigest()


_TOTALS_INSERT = """
INSERT INTO reporting_acceptedtotal (group_id, indicator_id, period_code, option_key, total, present, members, members_key, missing)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
"""


def totals_write(*, period_code: str, members: dict[int, list[int]], indicator_ids: list[int] | None) -> int:
    """(Re)compute the sums of the published figures for `period_code`: for each group in `members` ({group id:
    member unit ids on the period's end date}) and each indicator (all when None) and option, Σ of the members'
    accepted values and which members had none. Exact `Decimal` arithmetic in Python on every database (the
    engine's own rule: a sum of the values it would read). Returns the rows written."""
    from django.db import connection

    if not members:
        return 0
    unit_ids = sorted({u for ids in members.values() for u in ids})
    rows = AcceptedValue.objects.filter(period_code=period_code, unit_id__in=unit_ids)
    old = AcceptedTotal.objects.filter(period_code=period_code, group_id__in=list(members))
    if indicator_ids is not None:
        rows = rows.filter(indicator_id__in=indicator_ids)
        old = old.filter(indicator_id__in=indicator_ids)
    values: dict[tuple[int, int], dict[int, Decimal]] = {}
    for unit_id, ind_id, opt, value in rows.values_list("unit_id", "indicator_id", "option_key", "value").iterator(chunk_size=20000):
        values.setdefault((ind_id, opt), {})[unit_id] = value
    old.delete()
    out: list[tuple[int, int, str, int, str, int, int, str, str]] = []
    for group_id, member_ids in members.items():
        key = members_key(member_ids)
        for (ind_id, opt), by_unit in values.items():
            present = [by_unit[u] for u in member_ids if u in by_unit]
            if not present:
                continue
            missing = ",".join(str(u) for u in member_ids if u not in by_unit)
            out.append((group_id, ind_id, period_code, opt, str(sum(present, Decimal(0))), len(present), len(member_ids),
                        key, missing))
    if out:
        with connection.cursor() as cursor:  # a plain multi-row insert: the ORM's per-field preparation was most of the time
            cursor.executemany(_TOTALS_INSERT, out)
    return len(out)


def totals_rebuild(*, indicator_ids: Iterable[int] | None = None) -> int:
    """Recompute every group's sums from the published-figures table, one period per transaction."""
    from django.db import transaction

    ids = list(indicator_ids) if indicator_ids is not None else None
    codes = AcceptedValue.objects.values_list("period_code", flat=True).distinct()
    if ids is not None:
        codes = codes.filter(indicator_id__in=ids)
    ends = dict(Period.objects.filter(code__in=list(codes)).values_list("code", "end"))
    rows = 0
    stale = AcceptedTotal.objects.exclude(period_code__in=list(ends))
    (stale.filter(indicator_id__in=ids) if ids is not None else stale).delete()
    for code in sorted(ends):
        with transaction.atomic():
            rows += totals_write(period_code=code, members=group_member_ids_on(day=ends[code]), indicator_ids=ids)
    return rows


def rollup_rebuild(*, indicator_ids: Iterable[int] | None = None) -> int:
    """Refill the published-figures table from every accepted submission, one indicator per transaction (data
    written around the workflow: bulk loaders, a database that existed before the table), then the groups' sums
    (`totals_rebuild`). Returns the rows of values."""
    from django.db import connection, transaction

    ids = list(indicator_ids) if indicator_ids is not None else list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    rows = 0
    for ind_id in ids:
        with transaction.atomic(), connection.cursor() as cursor:
            AcceptedValue.objects.filter(indicator_id=ind_id).delete()
            cursor.execute(_ROLLUP_INSERT.format(where="dv.indicator_id = %s"), [str(SubmissionStatus.ACCEPTED), ind_id])
            rows += max(cursor.rowcount, 0)
    totals_rebuild(indicator_ids=None if indicator_ids is None else ids)
    return rows


def published_values(
    *, user: Any, unit_ids: Iterable[int], indicator_ids: Iterable[int], period_codes: Iterable[str],
    option_ids: Iterable[int] | None = None, with_total: bool = True,
) -> dict[Key, Stored]:
    """What `stored_values(submissions=permissions.figures_visible_submissions(user), …)` answers, read from the
    published-figures table: accepted values from `AcceptedValue` (no join), and — for a province's own people
    only — their unit's unaccepted values from the value table (`permissions.figures_own_unaccepted_submissions`)."""
    unit_ids, indicator_ids, period_codes = list(unit_ids), list(indicator_ids), list(period_codes)
    rows = AcceptedValue.objects.filter(indicator_id__in=indicator_ids, period_code__in=period_codes, unit_id__in=unit_ids)
    if option_ids is not None:
        keys = list(option_ids)
        rows = rows.filter(option_key__in=[*keys, 0] if with_total else keys)
    out = {
        (unit_id, ind_id, code, opt): Stored(value, True)
        for unit_id, ind_id, code, opt, value in rows.values_list("unit_id", "indicator_id", "period_code", "option_key", "value")
    }
    own = permissions.figures_own_unaccepted_submissions(user)
    if own is not None:
        out.update(stored_values(submissions=own, unit_ids=unit_ids, indicator_ids=indicator_ids, period_codes=period_codes,
                                 option_ids=option_ids, with_total=with_total))
    return out


class GroupTotal(NamedTuple):
    """A group's sum of published figures (an `AcceptedTotal` row): `missing` member ids had no value."""

    total: Decimal
    present: int
    members_key: str
    missing: frozenset[int]


_TOTALS_SELECT = """
SELECT group_id, indicator_id, period_code, option_key, total, present, members_key, missing
FROM reporting_acceptedtotal
WHERE indicator_id IN ({indicators}) AND period_code IN ({codes}) AND group_id IN ({groups}) AND option_key IN ({options})
"""
NO_MISSING: frozenset[int] = frozenset()


def published_totals(
    *, user: Any, group_ids: Iterable[int], indicator_ids: Iterable[int], period_codes: Iterable[str],
    option_ids: Iterable[int] | None = None, with_total: bool = True,
) -> dict[tuple[int, int, str, int], GroupTotal] | None:
    """The groups' sums of the published figures, {(group id, indicator id, period code, option id or 0):
    GroupTotal}, in one query served by the table's key — or None when `user` sees more than the published
    figures (a province's own people also see their unit's unaccepted values, which the sums do not hold)."""
    from django.db import connection

    if not permissions.figures_view_is_public(user):
        return None
    groups, indicators, codes = [int(g) for g in group_ids], [int(i) for i in indicator_ids], [str(c) for c in period_codes]
    if option_ids is None:
        options = [*DisaggregationOption.objects.values_list("pk", flat=True), 0]
    else:
        options = [int(o) for o in option_ids] + ([0] if with_total else [])
    if not (groups and indicators and codes and options):
        return {}
    sql = _TOTALS_SELECT.format(**{name: ", ".join(["%s"] * len(items)) for name, items in (
        ("indicators", indicators), ("codes", codes), ("groups", groups), ("options", options))})
    with connection.cursor() as cursor:
        cursor.execute(sql, [*indicators, *codes, *groups, *options])
        rows = cursor.fetchall()
    return {
        (group_id, ind_id, code, opt): GroupTotal(
            Decimal(total), present, key, frozenset(int(u) for u in missing.split(",")) if missing else NO_MISSING)
        for group_id, ind_id, code, opt, total, present, key, missing in rows
    }


@dataclass(frozen=True)
class UnitValue:
    """A unit's value for one period. `from_predecessors`: summed from the units it was formed from;
    `not_comparable`: the unit no longer existed and its successor's figure cannot be split back;
    `accepted`: every stored value that went into it is accepted; `sources`: (unit id, share) used."""

    value: Decimal | None
    from_predecessors: bool = False
    not_comparable: bool = False
    accepted: bool = True
    sources: tuple[tuple[int, Decimal], ...] = ()
    reason: str = ""


MISSING = UnitValue(None)


class Sources:
    """Which stored units stand for a unit on a date (cached: the succession table is tiny)."""

    OWN, PREDECESSORS, NOT_COMPARABLE = "own", "predecessors", "not_comparable"

    def __init__(self, *, shared: bool = False) -> None:
        """`shared`: also keep the answers in Django's cache until reference data is loaded again (analytics asks
        about many dates); otherwise per instance only (the entry form asks about one or two, and its query count
        stays the same whatever the cache holds)."""
        self._cache: dict[tuple[int, dt.date], tuple[str, tuple[tuple[int, Decimal], ...]]] = {}
        self.shared = shared

    def of(self, unit: AdminUnit, day: dt.date) -> tuple[str, tuple[tuple[int, Decimal], ...]]:
        key = (unit.pk, day)
        if key not in self._cache:
            if unit.is_valid_on(day):
                self._cache[key] = (self.OWN, ((unit.pk, Decimal(1)),))
            elif self.shared:  # the mapping changes only when reference data is loaded: cached until then
                self._cache[key] = reference_cached("aggregates.sources", (unit.pk, day.isoformat()),
                                                    lambda: self._compute(unit, day))
            else:
                self._cache[key] = self._compute(unit, day)
        return self._cache[key]

    def _compute(self, unit: AdminUnit, day: dt.date) -> tuple[str, tuple[tuple[int, Decimal], ...]]:
        if unit.is_valid_on(day):
            return self.OWN, ((unit.pk, Decimal(1)),)
        if unit.valid_from is not None and day < unit.valid_from:
            found = unit_predecessors_on(unit=unit, date=day)
            return self.PREDECESSORS, tuple((s.unit.pk, s.share) for s in found)
        successors = unit_successors_on(unit=unit, date=day)
        if len(successors) == 1 and successors[0].share == 1:
            heir = successors[0].unit
            if UnitSuccession.objects.filter(successor=heir).exclude(predecessor=unit).count() == 0:
                return self.OWN, ((heir.pk, Decimal(1)),)  # a pure rename: the same territory
        return self.NOT_COMPARABLE, tuple((s.unit.pk, s.share) for s in successors)


def source_unit_ids(units: Iterable[AdminUnit], days: Iterable[dt.date], sources: Sources) -> set[int]:
    """Every unit id whose stored values the units need on those days."""
    ids: set[int] = set()
    days = list(days)
    for unit in units:
        ids.add(unit.pk)
        for day in days:
            mode, found = sources.of(unit, day)
            if mode != Sources.NOT_COMPARABLE:
                ids.update(uid for uid, _share in found)
    return ids


def indicator_closure(indicators: Iterable[Indicator]) -> dict[int, Indicator]:
    """The indicators and the parts a roll-up needs (numerator, denominator, weight), by id."""
    out: dict[int, Indicator] = {}
    todo = list(indicators)
    while todo:
        ind = todo.pop()
        if ind.pk in out:
            continue
        out[ind.pk] = ind
        for name in ("numerator", "denominator", "weight_indicator"):
            part_id = getattr(ind, f"{name}_id")
            if part_id and part_id not in out:
                # the part itself when the caller loaded it with the indicator (select_related), else one query
                loaded = Indicator._meta.get_field(name).is_cached(ind)  # type: ignore[union-attr]
                todo.extend([getattr(ind, name)] if loaded else Indicator.objects.filter(pk=part_id))
    return out


class RollUp:
    """Answers "the value of unit U, indicator I, option O, period P" from stored values, across the merger."""

    def __init__(self, values: dict[Key, Stored], indicators: dict[int, Indicator], sources: Sources | None = None) -> None:
        self.values = values
        self.indicators = indicators
        self.sources = sources or Sources()

    def stored(self, unit_id: int, indicator_id: int, option_id: int, code: str) -> Stored | None:
        return self.values.get((unit_id, indicator_id, code, option_id))

    def value(self, unit: AdminUnit, indicator: Indicator, option_id: int, spec: PeriodSpec) -> UnitValue:
        own = self.stored(unit.pk, indicator.pk, option_id, spec.code)
        if own is not None:
            return UnitValue(own.value, accepted=own.accepted, sources=((unit.pk, Decimal(1)),))
        mode, found = self.sources.of(unit, spec.end)
        if mode == Sources.NOT_COMPARABLE:
            return UnitValue(None, not_comparable=True, sources=found)
        if mode == Sources.OWN:
            if found and found[0][0] != unit.pk:  # a renamed unit
                heir = self.stored(found[0][0], indicator.pk, option_id, spec.code)
                if heir is not None:
                    return UnitValue(heir.value, accepted=heir.accepted, sources=found)
            return MISSING
        if not found:
            return MISSING
        return self._combine(indicator, option_id, spec.code, found)

    def _sum(self, indicator_id: int, option_id: int, code: str, found: tuple[tuple[int, Decimal], ...],
             weight_id: int | None = None) -> tuple[Decimal, Decimal, bool] | None:
        """(Σ v × share [× w], Σ w × share, all accepted), or None when a unit's value is missing."""
        total, weights, accepted = Decimal(0), Decimal(0), True
        for uid, share in found:
            got = self.stored(uid, indicator_id, option_id, code)
            if got is None:
                return None
            accepted = accepted and got.accepted
            if weight_id is None:
                total += got.value * share
                continue
            w = self.stored(uid, weight_id, option_id, code) or self.stored(uid, weight_id, 0, code)
            if w is None:
                return None
            accepted = accepted and w.accepted
            total += got.value * w.value * share
            weights += w.value * share
        return total, weights, accepted

    def _combine(self, indicator: Indicator, option_id: int, code: str, found: tuple[tuple[int, Decimal], ...]) -> UnitValue:
        agg = indicator.aggregation
        if agg == Indicator.Aggregation.SUM:
            got = self._sum(indicator.pk, option_id, code, found)
            return MISSING if got is None else UnitValue(got[0], True, accepted=got[2], sources=found)
        if agg == Indicator.Aggregation.RATIO and indicator.numerator_id and indicator.denominator_id:
            num = self._sum(indicator.numerator_id, option_id, code, found)
            den = self._sum(indicator.denominator_id, option_id, code, found)
            if num is None or den is None or den[0] == 0:
                return MISSING
            return UnitValue(num[0] / den[0] * indicator.ratio_factor, True, accepted=num[2] and den[2], sources=found)
        if agg == Indicator.Aggregation.WEIGHTED_AVERAGE and indicator.weight_indicator_id:
            got = self._sum(indicator.pk, option_id, code, found, weight_id=indicator.weight_indicator_id)
            if got is None or got[1] == 0:
                return MISSING
            return UnitValue(got[0] / got[1], True, accepted=got[2], sources=found)
        return UnitValue(None, reason="not_aggregatable", sources=found)


class ValueLookup:
    """Values of one unit (and of the units it was formed from) for a set of periods, loaded in one query of
    plain tuples, answering "the unit's value of indicator X for period P" (the entry form, the plan page).

    `submissions` is the viewer's visibility; default reporting's `permissions.visible_submissions(user)`."""

    def __init__(
        self, *, user: Any, unit: AdminUnit, indicators: list[Indicator], period_codes: list[str] | None = None,
        year: int | None = None, submissions: QuerySet[Submission] | None = None,
    ) -> None:
        self.unit = unit
        self.sources = Sources()
        self.indicators = indicator_closure(indicators)
        unit_ids = {unit.pk, *unit.successions_in.values_list("predecessor_id", flat=True)}
        visible = submissions if submissions is not None else permissions.visible_submissions(user)
        values = stored_values(submissions=visible, unit_ids=unit_ids, indicator_ids=self.indicators,
                               period_codes=period_codes, year=year)
        self.period_codes: set[str] = {key[2] for key in values}
        self.rollup = RollUp(values, self.indicators, self.sources)

    def own(self, indicator: Indicator, option: Any, period_code: str) -> Decimal | None:
        got = self.rollup.stored(self.unit.pk, indicator.pk, option.pk if option else 0, period_code)
        return got.value if got else None

    def get(self, indicator: Indicator, option: Any, period_code: str) -> UnitValue:
        """The unit's own value; else, for a unit formed by a merger, the roll-up of its predecessors."""
        return self.rollup.value(self.unit, indicator, option.pk if option else 0, parse_period(period_code))


# --- the version of the published figures ----------------------------------------------------------------
# Accepted values change only when a submission is accepted or reopened (accepted data is locked). The workflow
# service bumps this version in that transaction (now, and again when it commits), so anything computed from
# accepted values alone — analytics' tables and dashboards for the Ministry and the public — may be cached under
# it and is fresh the moment the acceptance commits.

FIGURES_VERSION_KEY = "reporting:figures-version"


def figures_version() -> str:
    from django.core.cache import cache

    version = cache.get(FIGURES_VERSION_KEY)
    if version is None:
        import uuid

        cache.add(FIGURES_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(FIGURES_VERSION_KEY) or "0"
    return str(version)


def figures_changed() -> None:
    """Accepted figures changed (accept, reopen): forget everything cached under the old version."""
    import uuid

    from django.core.cache import cache
    from django.db import transaction

    cache.set(FIGURES_VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(FIGURES_VERSION_KEY, uuid.uuid4().hex, None))
