"""The analytics engine: a Query (indicators × periods × units or a group × options × measure) answered from the
stored values the viewer may see, every cell with how it was obtained.

Rules (each indicator's own, from the catalogue):
* across units — sum; ratio recomputed from Σ numerator ÷ Σ denominator × factor; weighted average by the weight
  indicator's values of the same unit and period; `none` (an index without weights) shown per unit, refused as
  a total;
* over time — a longer period not stored as such comes from its months: non-cumulative sums are summed, a
  cumulative (lũy kế) value is never summed (the last month's value is the year-to-date), stocks take the last
  value, `none` is refused;
* across the 1/7/2025 merger — `lienket.reporting.aggregates` (the one roll-up); group membership is taken at the
  period's end date (the conference group has 28 units before and 18 after);
* a total is complete only when every member's value is present, otherwise partial with the missing listed.

Visibility: `reporting.permissions.figures_visible_submissions`, the one rule for every analytics path (read as
accepted values from the published-figures table `AcceptedValue` ∪ a province's own unaccepted ones:
`reporting.aggregates.published_values`).
Decimal end to end; rounding happens only in display (`Cell.display`).

Over 500 lines on purpose: the rules above and the measures built on them are one piece of arithmetic that is
read and checked together (tests/test_engine.py follows the same order).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from lienket.core.formats import format_number
from lienket.regions.models import AdminUnit, GroupMembership, UnitGroup, UnitStat
from lienket.regions.selectors import reference_cached, reference_memo, reference_version
from lienket.reporting.aggregates import (
    GroupTotal,
    RollUp,
    Sources,
    UnitValue,
    figures_version,
    indicator_closure,
    members_key,
    published_totals,
    published_values,
    source_unit_ids,
)
from lienket.reporting.models import DataValue, DisaggregationOption, Indicator, Target
from lienket.reporting.periods import PeriodSpec, PeriodType, month
from lienket.reporting.permissions import figures_view_is_public

from .query import Query

HUNDRED = Decimal(100)
CACHE_SECONDS = 600  # a bound only: the figures' version changes on every accept/reopen
Agg = Indicator.Aggregation
TimeAgg = Indicator.TimeAggregation


@dataclass
class Got:
    """A value with the facts behind it."""

    value: Decimal | None
    units: list[AdminUnit] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    expected: int = 1
    derived: bool = False
    unaccepted: bool = False
    not_comparable: bool = False
    refused: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def present(self) -> int:
        return self.expected - len(self.missing)


@dataclass
class Entity:
    key: str
    label: str
    kind: str  # unit | subregion | group
    unit: AdminUnit | None = None
    group: UnitGroup | None = None


@dataclass
class Cell:
    value: Decimal | None
    decimals: int
    status: str  # ok | partial | missing | refused | not_comparable
    rule: str
    units: list[str]
    periods: list[str]
    missing: list[str]
    notes: list[str]
    present: int
    expected: int
    derived: bool = False
    unaccepted: bool = False

    def display(self, lang: str = "vi") -> str:
        if self.value is None:
            return {"refused": _("not aggregatable"), "not_comparable": _("not comparable")}.get(self.status, "—")
        return format_number(self.value, self.decimals, lang)

    @property
    def partial_label(self) -> str:
        return _("%(n)s/%(m)s units") % {"n": self.present, "m": self.expected} if self.status == "partial" else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else str(self.value),
            "display": self.display(),
            "status": self.status,
            "partial": self.partial_label,
            "derived": self.derived,
            "unaccepted": self.unaccepted,
            "explanation": {"rule": self.rule, "units": self.units, "periods": self.periods, "missing": self.missing,
                            "notes": self.notes, "present": self.present, "expected": self.expected},
        }


def measure_uom(indicator: Indicator, measure: str, lang: str = "vi") -> str:
    if measure in ("yoy", "plan_pct", "share"):
        return "%"
    if measure == "rank":
        return _("rank")
    if measure == "count_above":
        return _("units")
    uom = indicator.uom(lang)
    if measure == "per_capita":
        return _("%(uom)s per person") % {"uom": uom}
    if measure == "per_km2":
        return _("%(uom)s per km²") % {"uom": uom}
    return uom


def measure_decimals(indicator: Indicator, measure: str) -> int:
    if measure in ("rank", "count_above"):
        return 0
    if measure in ("yoy", "plan_pct", "share"):
        return 1
    if measure in ("per_capita", "per_km2"):
        return 6
    return int(indicator.decimals)


def months_of(spec: PeriodSpec) -> list[PeriodSpec]:
    return [month(spec.year, m) for m in range(spec.start.month, spec.end.month + 1)] if spec.start.year == spec.end.year else []


def ytd_span(spec: PeriodSpec) -> list[PeriodSpec]:
    return [month(spec.year, m) for m in range(1, spec.end.month + 1)]


class Engine:
    """One query's data, loaded once: stored values of every unit the answer needs for the periods asked, the same
    periods a year earlier and the months inside them."""

    def __init__(self, *, user: Any, query: Query, totals: bool = True) -> None:
        """`totals=False`: never read the groups' stored sums (the tests compare both ways)."""
        self.user = user
        self.query = query
        self.lang = "vi"
        self.sources = Sources(shared=True)
        self.indicators = indicator_closure(query.indicators)
        self._ref = reference_version()  # reference data read through the process memo for this version
        self._members: dict[tuple[int, dt.date], list[AdminUnit]] = {}
        self._members_keys: dict[tuple[int, dt.date], str] = {}
        self._rules: dict[tuple[int, bool], str] = {}
        days: set[dt.date] = set()
        codes: set[str] = set()
        # only the periods the measure needs: the asked ones (and their months when not stored as such), the
        # same periods a year earlier for a change, the months from January for a year-to-date
        wants_last_year = query.measure in ("yoy", "yoy_abs")
        wants_ytd = query.measure in ("ytd", "plan_pct")
        for spec in query.periods:
            for s in (spec, spec.same_period_last_year()) if wants_last_year else (spec,):
                days.add(s.end)
                codes.add(s.code)
                for m in (ytd_span(s) if wants_ytd else months_of(s) if s.period_type != PeriodType.MONTH else []):
                    codes.add(m.code)
                    days.add(m.end)
        self.entities = self._entities()
        self._days, self._codes = days, codes
        self._option_ids = {o.pk for o in query.options if o is not None}
        self._rollup: RollUp | None = None
        self._units_by_id: dict[int, AdminUnit] = {}
        groups = self._groups()
        # the groups' sums kept in the accepting transaction (AcceptedTotal): a regional pivot reads these rows
        # only; the units' values are read when a cell needs them (`rollup`)
        self.totals = published_totals(
            user=user, group_ids=[g.pk for g in groups], indicator_ids=self.indicators, period_codes=codes,
            option_ids=self._option_ids, with_total=None in query.options) if groups and totals else None
        self.generated_at = timezone.now()

    @cached_property
    def all_units(self) -> dict[int, AdminUnit]:
        return reference_memo(self._ref, "analytics.units", (), lambda: {u.pk: u for u in AdminUnit.objects.all()})

    @cached_property
    def national(self) -> AdminUnit | None:
        return next((u for u in self.all_units.values() if u.level == AdminUnit.Level.COUNTRY), None)

    @property
    def rollup(self) -> RollUp:
        """The stored values of every unit the answer may need (read on first use)."""
        if self._rollup is None:
            units: dict[int, AdminUnit] = {}
            for ent in self.entities:
                if ent.unit is not None:
                    units[ent.unit.pk] = ent.unit
            for g in self._groups():
                for day in self._days:
                    for u in self.members(g, day):
                        units[u.pk] = u
            if self.national is not None:
                units[self.national.pk] = self.national
            ids = source_unit_ids(units.values(), self._days, self.sources)
            values = published_values(user=self.user, unit_ids=ids, indicator_ids=self.indicators,
                                      period_codes=self._codes, option_ids=self._option_ids,
                                      with_total=None in self.query.options)
            self._units_by_id = {pk: self.all_units[pk] for pk in ids if pk in self.all_units}
            self._rollup = RollUp(values, self.indicators, self.sources)
        return self._rollup

    @property
    def units_by_id(self) -> dict[int, AdminUnit]:
        self.rollup  # noqa: B018 - read the values (and these units) on first use
        return self._units_by_id

    # --- who is in the answer ---------------------------------------------------------------------------

    def _groups(self) -> list[UnitGroup]:
        return [e.group for e in self.entities if e.group is not None]

    def members(self, group: UnitGroup, day: dt.date) -> list[AdminUnit]:
        """The group's members on `day` (membership and unit record both valid then), by code; kept in the process
        for the current reference data (a shared list: not to be changed)."""
        key = (group.id, day)  # `id`, not the `pk` property: asked once per cell
        found = self._members.get(key)
        if found is None:
            found = self._members[key] = reference_memo(self._ref, "analytics.members", key,
                                                        lambda: self._members_on(group, day))
        return found

    def _members_on(self, group: UnitGroup, day: dt.date) -> list[AdminUnit]:
        memberships = reference_cached("analytics.memberships", (group.pk,),
                                       lambda: list(GroupMembership.objects.filter(group=group).select_related("unit")))
        found = {m.unit.pk: m.unit for m in memberships
                 if (m.valid_from is None or m.valid_from <= day) and (m.valid_to is None or m.valid_to >= day)
                 and m.unit.is_valid_on(day)}
        return sorted(found.values(), key=lambda u: u.code)

    def _entities(self) -> list[Entity]:
        q = self.query
        if q.units:
            return [Entity(u.key, u.name, "unit", unit=u) for u in q.units]
        if q.group is None:
            return []
        total = Entity(q.group.key, q.group.name, "group", group=q.group)
        if q.by == "subregion":
            subs = reference_memo(self._ref, "analytics.subregions", (q.group.pk,), lambda: list(
                UnitGroup.objects.filter(parent=q.group, purpose=UnitGroup.Purpose.SUBREGION).order_by("sort_order", "key")))
            return [*(Entity(g.key, g.name, "subregion", group=g) for g in subs), total]
        if q.by == "unit":
            return [*(Entity(u.key, u.name, "unit", unit=u) for u in self.members(q.group, q.periods[-1].end)), total]
        return [total]

    # --- one unit ---------------------------------------------------------------------------------------

    def _unit_stored(self, unit: AdminUnit, ind: Indicator, opt: int, spec: PeriodSpec) -> Got:
        got: UnitValue = self.rollup.value(unit, ind, opt, spec)
        if got.not_comparable:
            return Got(None, [unit], [spec.code], [unit.name], not_comparable=True,
                       notes=[_("%(unit)s no longer existed; its successor's figure is not split back.") % {"unit": unit.name}])
        names = [self.units_by_id[uid] for uid, _share in got.sources if uid in self.units_by_id]
        if got.value is None:
            return Got(None, names or [unit], [spec.code], [unit.name], refused=got.reason)
        notes = []
        if got.from_predecessors:
            shares = ", ".join(f"{self.units_by_id[uid].name} × {format_number(share.normalize(), None, self.lang)}"
                               for uid, share in got.sources if uid in self.units_by_id)
            notes.append(_("Derived: %(unit)s did not exist yet; sum of the units it was formed from (%(parts)s).")
                         % {"unit": unit.name, "parts": shares})
        return Got(got.value, names, [spec.code], [], derived=got.from_predecessors, unaccepted=not got.accepted, notes=notes)

    def unit_value(self, unit: AdminUnit, ind: Indicator, opt: int, spec: PeriodSpec) -> Got:
        """The unit's value for `spec`: stored, else from its months by the indicator's rule over time, else (a
        ratio) from its numerator and denominator."""
        got = self._unit_stored(unit, ind, opt, spec)
        if got.value is not None or got.not_comparable or got.refused:
            return got
        if ind.aggregation == Agg.RATIO and ind.numerator_id and ind.denominator_id:
            num = self.unit_value(unit, self.indicators[ind.numerator_id], opt, spec)
            den = self.unit_value(unit, self.indicators[ind.denominator_id], opt, spec)
            if num.value is not None and den.value:
                return Got(num.value / den.value * ind.ratio_factor, num.units, sorted({*num.periods, *den.periods}), [],
                           derived=num.derived or den.derived, unaccepted=num.unaccepted or den.unaccepted,
                           notes=[*num.notes])
        if spec.period_type == PeriodType.MONTH:
            return got
        months = months_of(spec)
        if ind.cumulative_ytd:
            if spec.start.month != 1:
                return Got(None, [unit], [spec.code], [unit.name], refused="cumulative_span")
            last = self._unit_stored(unit, ind, opt, months[-1])
            last.notes.append(_("Cumulative (lũy kế) indicator: the value of %(period)s, never a sum of months.")
                              % {"period": months[-1].label(self.lang)})
            return last
        if ind.time_aggregation == TimeAgg.LAST:
            return self._unit_stored(unit, ind, opt, months[-1])
        if ind.time_aggregation in (TimeAgg.SUM, TimeAgg.AVERAGE):
            parts = [self._unit_stored(unit, ind, opt, m) for m in months]
            if any(p.value is None for p in parts):
                return Got(None, [unit], [m.code for m in months], [unit.name])
            total = sum((p.value for p in parts if p.value is not None), Decimal(0))
            if ind.time_aggregation == TimeAgg.AVERAGE:
                total /= len(parts)
            return Got(total, got.units, [m.code for m in months], [], derived=any(p.derived for p in parts),
                       unaccepted=any(p.unaccepted for p in parts), notes=parts[0].notes)
        return Got(None, [unit], [spec.code], [unit.name], refused="not_over_time")

    def unit_ytd(self, unit: AdminUnit, ind: Indicator, opt: int, spec: PeriodSpec) -> Got:
        if ind.cumulative_ytd or ind.time_aggregation == TimeAgg.LAST:
            got = self.unit_value(unit, ind, opt, month(spec.year, spec.end.month)) if spec.period_type != PeriodType.MONTH \
                else self.unit_value(unit, ind, opt, spec)
            if got.value is None and spec.start.month == 1:
                got = self.unit_value(unit, ind, opt, spec)
            return got
        if ind.time_aggregation == TimeAgg.SUM:
            span = ytd_span(spec)
            parts = [self._unit_stored(unit, ind, opt, m) for m in span]
            if all(p.value is not None for p in parts):
                total = sum((p.value for p in parts if p.value is not None), Decimal(0))
                return Got(total, [unit], [m.code for m in span], [], derived=any(p.derived for p in parts),
                           unaccepted=any(p.unaccepted for p in parts),
                           notes=[_("Year to date: sum of the months %(first)s – %(last)s.")
                                  % {"first": span[0].label(self.lang), "last": span[-1].label(self.lang)}])
            if spec.start.month == 1:
                return self.unit_value(unit, ind, opt, spec)
            return Got(None, [unit], [m.code for m in span], [unit.name])
        return Got(None, [unit], [spec.code], [unit.name], refused="not_over_time")

    # --- across units -------------------------------------------------------------------------------------

    def combine(self, ind: Indicator, members: list[AdminUnit], fetch: Any) -> Got:
        """The group's value from its members' (`fetch(unit, indicator)` → Got) by the indicator's rule."""
        if ind.aggregation == Agg.NONE:
            return Got(None, members, [], [], expected=len(members), refused="none")
        if ind.aggregation == Agg.RATIO:
            num_ind, den_ind = self.indicators[ind.numerator_id], self.indicators[ind.denominator_id]  # type: ignore[index]
            pairs = [(u, fetch(u, num_ind), fetch(u, den_ind)) for u in members]
            ok = [(u, n, d) for u, n, d in pairs if n.value is not None and d.value is not None]
            missing = [u.name for u, n, d in pairs if n.value is None or d.value is None]
            num = sum((n.value for _u, n, _d in ok), Decimal(0))
            den = sum((d.value for _u, _n, d in ok), Decimal(0))
            value = num / den * ind.ratio_factor if ok and den else None
            return Got(value, [u for u, _n, _d in ok], sorted({p for _u, n, d in ok for p in (*n.periods, *d.periods)}),
                       missing, expected=len(members), derived=any(n.derived or d.derived for _u, n, d in ok),
                       unaccepted=any(n.unaccepted or d.unaccepted for _u, n, d in ok),
                       notes=[_("Σ %(num)s = %(n)s; Σ %(den)s = %(d)s.") % {
                           "num": num_ind.code, "den": den_ind.code,
                           "n": format_number(num, None, self.lang), "d": format_number(den, None, self.lang)}])
        weights: list[Got] = []
        if ind.aggregation == Agg.WEIGHTED_AVERAGE:
            w_ind = self.indicators[ind.weight_indicator_id]  # type: ignore[index]
            weights = [fetch(u, w_ind) for u in members]
        gots = [fetch(u, ind) for u in members]
        ok_idx = [i for i, g in enumerate(gots) if g.value is not None and (not weights or weights[i].value is not None)]
        missing = [members[i].name for i in range(len(members)) if i not in ok_idx]
        if ind.aggregation == Agg.WEIGHTED_AVERAGE:
            wsum = sum((weights[i].value or Decimal(0) for i in ok_idx), Decimal(0))
            vsum = sum(((gots[i].value or Decimal(0)) * (weights[i].value or Decimal(0)) for i in ok_idx), Decimal(0))
            value = vsum / wsum if wsum else None
        else:
            value = sum((gots[i].value for i in ok_idx), Decimal(0)) if ok_idx else None  # type: ignore[misc]
        notes = [gots[i].notes[0] for i in ok_idx if gots[i].derived and gots[i].notes]
        return Got(value, [members[i] for i in ok_idx], sorted({p for i in ok_idx for p in gots[i].periods}), missing,
                   expected=len(members), derived=any(gots[i].derived for i in ok_idx),
                   unaccepted=any(gots[i].unaccepted for i in ok_idx), notes=notes)

    def base(self, ent: Entity, ind: Indicator, opt: int, spec: PeriodSpec, *, ytd: bool = False) -> Got:
        fetch_one = self.unit_ytd if ytd else self.unit_value
        if ent.unit is not None:
            return fetch_one(ent.unit, ind, opt, spec)
        if ent.group is None:
            return Got(None)
        members = self.members(ent.group, spec.end)
        if not ytd:
            got = self._from_totals(ent.group, members, ind, opt, spec)
            if got is not None:
                return got
        return self.combine(ind, members, lambda u, i: fetch_one(u, i, opt, spec))

    def _from_totals(self, group: UnitGroup, members: list[AdminUnit], ind: Indicator, opt: int, spec: PeriodSpec) -> Got | None:
        """What `combine` answers, read from the group's stored sums (`AcceptedTotal`) — only where they give exactly
        that: a sum, or a ratio of two sums missing the same members; computed for these very members; and, when
        some are missing, for a month (for a longer period a missing member's value may still come from its
        months). None otherwise: the caller combines the units' values."""
        if self.totals is None or not members:
            return None
        mkey = self._members_keys.get((group.id, spec.end))
        if mkey is None:
            mkey = self._members_keys[(group.id, spec.end)] = reference_memo(
                self._ref, "analytics.members_key", (group.id, spec.end), lambda: members_key(u.id for u in members))

        def row(i: Indicator) -> GroupTotal | None:
            t = self.totals.get((group.id, i.id, spec.code, opt)) if self.totals is not None else None
            if t is None or t.members_key != mkey or (t.missing and spec.period_type != PeriodType.MONTH):
                return None
            return t

        notes: list[str] = []
        if ind.aggregation == Agg.SUM:
            t = row(ind)
            if t is None:
                return None
            value: Decimal | None = t.total
            missing = t.missing
        elif ind.aggregation == Agg.RATIO and ind.numerator_id and ind.denominator_id:
            num_ind, den_ind = self.indicators[ind.numerator_id], self.indicators[ind.denominator_id]
            if num_ind.aggregation != Agg.SUM or den_ind.aggregation != Agg.SUM:
                return None
            tn, td = row(num_ind), row(den_ind)
            if tn is None or td is None or tn.missing != td.missing:
                return None
            value = tn.total / td.total * ind.ratio_factor if td.total else None
            missing = tn.missing
            notes.append(_("Σ %(num)s = %(n)s; Σ %(den)s = %(d)s.") % {
                "num": num_ind.code, "den": den_ind.code,
                "n": format_number(tn.total, None, self.lang), "d": format_number(td.total, None, self.lang)})
        else:
            return None
        if not missing:
            return Got(value, members, [spec.code], [], expected=len(members), notes=notes)
        return Got(value, [u for u in members if u.pk not in missing], [spec.code],
                   [u.name for u in members if u.pk in missing], expected=len(members), notes=notes)

    # --- measures -------------------------------------------------------------------------------------------

    def rule_text(self, ind: Indicator, ent: Entity) -> str:
        key = (ind.id, ent.kind == "unit")
        if key not in self._rules:
            self._rules[key] = self._rule_text(ind, ent)
        return self._rules[key]

    def _rule_text(self, ind: Indicator, ent: Entity) -> str:
        times: dict[str, str] = {
            TimeAgg.SUM: _("months summed"), TimeAgg.LAST: _("last value in the period"),
            TimeAgg.AVERAGE: _("average of months"), TimeAgg.NONE: _("not aggregated over time"),
        }
        time = times[ind.time_aggregation] if not ind.cumulative_ytd else _("cumulative (lũy kế): never summed over months")
        if ent.kind == "unit":
            return _("The unit's own value; over time: %(time)s.") % {"time": time}
        acrosses: dict[str, str] = {
            Agg.SUM: _("sum of the members' values"),
            Agg.RATIO: _("Σ numerator ÷ Σ denominator × %(factor)s (never an average of the members' ratios)")
            % {"factor": format_number(ind.ratio_factor.normalize(), None, self.lang)},
            Agg.WEIGHTED_AVERAGE: _("average weighted by %(weight)s") % {
                "weight": self.indicators[ind.weight_indicator_id].code if ind.weight_indicator_id else ""},
            Agg.NONE: _("not aggregatable (an index without weights): shown per unit only"),
        }
        across = acrosses[ind.aggregation]
        return _("Across units: %(across)s; over time: %(time)s.") % {"across": across, "time": time}

    def cell(self, ent: Entity, ind: Indicator, opt: int, spec: PeriodSpec) -> Cell:
        m = self.query.measure
        got = self.base(ent, ind, opt, spec, ytd=(m in ("ytd", "plan_pct")))
        rule = self.rule_text(ind, ent)
        value = got.value
        notes = list(got.notes)
        refused = got.refused
        if m in ("yoy", "yoy_abs") and value is not None:
            last = self.base(ent, ind, opt, spec.same_period_last_year())
            notes += [n for n in last.notes if n not in notes]
            if last.value is None or (m == "yoy" and last.value == 0):
                value = None
                got.missing = got.missing or [_("%(period)s (same period last year)") % {"period": last.periods[0] if last.periods else ""}]
            else:
                value = (value / last.value - 1) * HUNDRED if m == "yoy" else value - last.value
                rule = _("Change against %(period)s: ") % {"period": spec.same_period_last_year().label(self.lang)} + rule
                got.unaccepted = got.unaccepted or last.unaccepted
                got.derived = got.derived or last.derived
        elif m == "plan_pct" and value is not None:
            target = self.target(ent, ind, opt, spec)
            if target is None or target == 0:
                value = None
                notes.append(_("No annual target for %(year)s.") % {"year": spec.year})
            else:
                value = value / target * HUNDRED
                rule = _("Year to date ÷ annual target %(year)s × 100; ") % {"year": spec.year} + rule
        elif m in ("per_capita", "per_km2") and value is not None:
            if ind.aggregation != Agg.SUM:
                value, refused = None, "per_capita"
            else:
                measure = UnitStat.Measure.POPULATION if m == "per_capita" else UnitStat.Measure.AREA
                stat, year = self.stat(ent, measure, spec)
                if stat is None or stat == 0:
                    value = None
                    notes.append(_("No statistics for this unit."))
                else:
                    value = value / (stat * 1000 if m == "per_capita" else stat)
                    notes.append(_("%(what)s of %(year)s (GSO).") % {
                        "what": _("Average population") if m == "per_capita" else _("Natural area"), "year": year})
        elif m == "share" and value is not None:
            whole = self._whole(ind, opt, spec)
            value = value / whole * HUNDRED if whole else None
            rule = _("Share of the group's total; ") + rule
        elif m == "rank" and value is not None:
            if ent.kind == "group":
                value = None
            else:
                peers = [self.base(e, ind, opt, spec).value for e in self.entities if e.kind != "group"]
                base_value = got.value or Decimal(0)
                value = Decimal(1 + len([p for p in peers if p is not None and p > base_value]))
                rule = _("Rank among the units shown, 1 = highest; ") + rule
        elif m == "count_above":
            return self._count_cell(ent, ind, opt, spec)
        status = "ok"
        if refused:
            status = "refused"
            notes.append(self.refusal_text(refused, ind))
        elif got.not_comparable:
            status = "not_comparable"
        elif value is None:
            status = "missing"
        elif got.missing:
            status = "partial"
        return Cell(value, measure_decimals(ind, m), status, rule, [u.name for u in got.units], got.periods,
                    got.missing, notes, got.present, got.expected, got.derived, got.unaccepted)

    def refusal_text(self, reason: str, ind: Indicator) -> str:
        return {
            "none": _("%(code)s is an index without weights: it is not summed or averaged across units.") % {"code": ind.code},
            "not_aggregatable": _("%(code)s cannot be derived from former units (an index without weights).") % {"code": ind.code},
            "not_over_time": _("%(code)s is not aggregated over time.") % {"code": ind.code},
            "cumulative_span": _("A cumulative (lũy kế) value is never split into a span that does not start in January."),
            "per_capita": _("Per capita and per km² apply to sums only."),
        }.get(reason, reason)

    def _whole(self, ind: Indicator, opt: int, spec: PeriodSpec) -> Decimal | None:
        groups = [e for e in self.entities if e.kind == "group"]
        if groups:
            return self.base(groups[0], ind, opt, spec).value
        vals = [self.base(e, ind, opt, spec).value for e in self.entities]
        return sum((v for v in vals if v is not None), Decimal(0)) if ind.aggregation == Agg.SUM else None

    def target(self, ent: Entity, ind: Indicator, opt: int, spec: PeriodSpec) -> Decimal | None:
        units = [ent.unit] if ent.unit is not None else self.members(ent.group, spec.end)  # type: ignore[arg-type]
        rows = dict(Target.objects.filter(indicator=ind, year=spec.year, unit__in=units)
                    .filter(option_id=opt or None).values_list("unit_id", "value"))
        if len(rows) != len(units):
            return None
        return sum(rows.values(), Decimal(0))

    def stat(self, ent: Entity, measure: str, spec: PeriodSpec) -> tuple[Decimal | None, int | None]:
        units = [ent.unit] if ent.unit is not None else self.members(ent.group, spec.end)  # type: ignore[arg-type]
        ids: list[tuple[int, Decimal]] = []
        for u in units:
            mode, found = self.sources.of(u, spec.end)
            ids.extend(found if mode == Sources.PREDECESSORS else [(u.pk, Decimal(1))])
        stats = UnitStat.objects.filter(unit_id__in=[i for i, _s in ids], measure=measure, year__lte=spec.year)
        years = sorted(set(stats.values_list("year", flat=True)))
        if not years:
            stats = UnitStat.objects.filter(unit_id__in=[i for i, _s in ids], measure=measure)
            years = sorted(set(stats.values_list("year", flat=True)))
            if not years:
                return None, None
            year = years[0]
        else:
            year = years[-1]
        by_unit: dict[int, Decimal] = dict(stats.filter(year=year).values_list("unit_id", "value"))
        if any(i not in by_unit for i, _s in ids):
            return None, year
        return sum((by_unit[i] * s for i, s in ids), Decimal(0)), year

    def _count_cell(self, ent: Entity, ind: Indicator, opt: int, spec: PeriodSpec) -> Cell:
        q = self.query
        notes: list[str] = []
        if q.threshold == "group":
            gent = next((e for e in self.entities if e.kind == "group"), None)
            level = self.base(gent, ind, opt, spec).value if gent else None
            notes.append(_("Threshold: the group's value."))
        elif q.threshold == "national":
            level = self.unit_value(self.national, ind, opt, spec).value if self.national else None
            notes.append(_("Threshold: the national value."))
        else:
            level = q.threshold  # type: ignore[assignment]
        rule = _("Units with a value above %(level)s") % {"level": "—" if level is None else format_number(level, None, self.lang)}
        members = [ent.unit] if ent.unit is not None else self.members(ent.group, spec.end)  # type: ignore[arg-type]
        if level is None:
            return Cell(None, 0, "missing", rule, [], [spec.code], [], [*notes, _("The threshold has no value.")], 0, len(members))
        gots = [(u, self.unit_value(u, ind, opt, spec)) for u in members]
        above = [u.name for u, g in gots if g.value is not None and g.value > level]
        missing = [u.name for u, g in gots if g.value is None]
        notes.append(_("%(n)s of %(m)s units above.") % {"n": len(above), "m": len(members)})
        return Cell(Decimal(len(above)), 0, "partial" if missing else "ok", rule, above, [spec.code], missing, notes,
                    len(members) - len(missing), len(members), any(g.derived for _u, g in gots),
                    any(g.unaccepted for _u, g in gots))


@dataclass
class Column:
    key: str
    label: str
    uom: str
    indicator: Indicator
    period: PeriodSpec | None
    entity: Entity | None
    option: DisaggregationOption | None


@dataclass
class Row:
    key: str
    label: str
    kind: str
    cells: list[Cell]


@dataclass
class Table:
    """Exactly what the pivot page shows and every export writes."""

    query: Query
    title: str
    row_header: str
    columns: list[Column]
    rows: list[Row]
    generated_at: dt.datetime
    source: str

    def grid(self) -> list[tuple[Row, list[tuple[Column, Cell]]]]:
        """Each row with its (column, cell) pairs (templates)."""
        return [(r, list(zip(self.columns, r.cells, strict=True))) for r in self.rows]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query.params(),
            "generated_at": self.generated_at.isoformat(),
            "source": self.source,
            "columns": [{"key": c.key, "label": c.label, "unit_of_measure": c.uom, "indicator": c.indicator.code,
                         "period": c.period.code if c.period else None, "entity": c.entity.key if c.entity else None,
                         "option": c.option.code if c.option else None} for c in self.columns],
            "rows": [{"key": r.key, "label": r.label, "kind": r.kind, "cells": [c.as_dict() for c in r.cells]} for r in self.rows],
        }


def _option_label(opt: DisaggregationOption | None) -> str:
    return opt.name if opt is not None else ""


def published_cache() -> bool:
    """Whether answers of published figures are cached: only with a cache every process shares (REDIS_URL), since
    the version that invalidates them is replaced in the process that accepted (setting ANALYTICS_PUBLISHED_CACHE)."""
    return bool(getattr(settings, "ANALYTICS_PUBLISHED_CACHE", bool(getattr(settings, "REDIS_URL", ""))))


def analytics_table(*, user: Any, query: Query, lang: str = "vi") -> Table:
    """Answer `query` as `user` may see it, laid out with `query.by` in the rows. For viewers of the published
    figures (everybody but a province's own people) the answer is cached under the figures' version, which the
    workflow service replaces when a submission is accepted or reopened — fresh as soon as that commits."""
    if not (published_cache() and figures_view_is_public(user)):
        return _analytics_table(user=user, query=query, lang=lang)
    key = "analytics:table:" + hashlib.sha256(
        repr((figures_version(), lang, sorted(query.params().items()))).encode()).hexdigest()
    table = cache.get(key)
    if table is None:
        table = _analytics_table(user=user, query=query, lang=lang)
        cache.set(key, table, CACHE_SECONDS)
    return table


def _analytics_table(*, user: Any, query: Query, lang: str = "vi", totals: bool = True) -> Table:
    engine = Engine(user=user, query=query, totals=totals)
    engine.lang = lang
    q = query
    columns: list[Column] = []
    rows: list[Row] = []

    def label(ind: Indicator, *parts: str) -> str:
        return " · ".join([ind.short_name or ind.label(lang), *[p for p in parts if p]])

    if q.by in ("unit", "subregion"):
        for ind in q.indicators:
            for opt in q.options:
                for spec in q.periods:
                    columns.append(Column(f"{ind.code}|{opt.code if opt else ''}|{spec.code}", label(ind, _option_label(opt), spec.label(lang)),
                                          measure_uom(ind, q.measure, lang), ind, spec, None, opt))
        for ent in engine.entities:
            rows.append(Row(ent.key, ent.label, ent.kind,
                            [engine.cell(ent, c.indicator, c.option.pk if c.option else 0, c.period) for c in columns]))  # type: ignore[arg-type]
        row_header = _("Unit") if q.by == "unit" else _("Sub-region")
    elif q.by == "period":
        for ind in q.indicators:
            for opt in q.options:
                for ent in engine.entities:
                    columns.append(Column(f"{ind.code}|{opt.code if opt else ''}|{ent.key}", label(ind, _option_label(opt), ent.label),
                                          measure_uom(ind, q.measure, lang), ind, None, ent, opt))
        for spec in q.periods:
            rows.append(Row(spec.code, spec.label(lang), "period",
                            [engine.cell(c.entity, c.indicator, c.option.pk if c.option else 0, spec) for c in columns]))  # type: ignore[arg-type]
        row_header = _("Period")
    else:
        for ind in q.indicators:
            for spec in q.periods:
                for ent in engine.entities:
                    columns.append(Column(f"{ind.code}|{spec.code}|{ent.key}", label(ind, spec.label(lang), ent.label),
                                          measure_uom(ind, q.measure, lang), ind, spec, ent, None))
        for opt in q.options:
            rows.append(Row(opt.code if opt else "total", opt.name if opt else _("Total"), "option",
                            [engine.cell(c.entity, c.indicator, opt.pk if opt else 0, c.period) for c in columns]))  # type: ignore[arg-type]
        row_header = _("Breakdown")
    title = ", ".join(i.label(lang) for i in q.indicators)
    source = _("LienKet — figures reported by the provinces and accepted by the Ministry of Industry and Trade")
    return Table(q, title, row_header, columns, rows, engine.generated_at, source)


def indicator_choices() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).order_by("sort_order", "code"))


def accepted_at(*, indicator_ids: list[int], unit_ids: list[int], period_codes: list[str]) -> dict[tuple[int, str], dt.datetime | None]:
    """When each (unit, period) figure of these indicators was accepted (the public page states it)."""
    rows = (DataValue.objects.filter(indicator_id__in=indicator_ids, unit_id__in=unit_ids, period__code__in=period_codes,
                                     submission__status="accepted")
            .values_list("unit_id", "period__code", "submission__accepted_at"))
    return {(u, p): a for u, p, a in rows}


def key_indicators(limit: int = 6) -> list[Indicator]:
    """The dashboards' indicators: those collected by an active data set, catalogue order (indices included:
    they are shown per unit and counted against thresholds)."""
    inds = (Indicator.objects.filter(is_active=True, elements__dataset__is_active=True).distinct()
            .order_by("sort_order", "code"))
    return list(inds[:limit])


def latest_period(*, period_type: str = "month") -> str | None:
    """The latest period of `period_type` with an accepted value (what the dashboards open on)."""
    return (DataValue.objects.filter(submission__status="accepted", period__period_type=period_type)
            .order_by("-period__start").values_list("period__code", flat=True).first())
