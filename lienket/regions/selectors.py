"""Reads of the regions domain: units valid on a date, their history and successions, groups and region profiles.

Every read that depends on the map takes a date, because codes are reused: 15 is Yên Bái until 30/06/2025 and the
new Lào Cai from 01/07/2025. Profiles only add up GSO measures of one year; the figures stated in Resolution
202/2025/QH15 are another measure and are never mixed in.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lienket.core.errors import NotFound, ValidationFailed
from lienket.core.formats import format_date, parse_iso_date
from lienket.core.text import fold, is_ascii_int, nfc
from lienket.search.values import SearchDocument

from .codes import ErrorCode
from .models import AdminUnit, GroupMembership, UnitGroup, UnitStat, UnitSuccession

T = TypeVar("T")
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
GSO_MEASURES = (UnitStat.Measure.AREA, UnitStat.Measure.POPULATION)
MAX_SUCCESSION_DEPTH = 10

TWO_PLACES = Decimal("0.01")
FOUR_PLACES = Decimal("0.0001")


# --- reference-data cache ----------------------------------------------------------------------------------------
#
# Reference data (units, successions, statistics, groups) changes only when `load_reference` runs, so reads of it
# that do more than a lookup are cached in Django's cache under a version key that the loader replaces
# (`reference_cache_clear`). With a shared cache (REDIS_URL) that reaches every process at once; with the local-
# memory cache of development, other processes see the change when their entry expires (REFERENCE_CACHE_SECONDS).

REFERENCE_VERSION_KEY = "regions:reference:version"
_MISS = object()


def _reference_version() -> str:
    version = cache.get(REFERENCE_VERSION_KEY)
    if version is None:
        cache.add(REFERENCE_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(REFERENCE_VERSION_KEY) or "0"
    return str(version)


def reference_cache_key(*parts: object) -> str:
    """A key that changes when reference data is loaded (e.g. for a `{% cache %}` fragment of a page built
    from reference data only)."""
    return ":".join([_reference_version(), *(str(p) for p in parts)])


def reference_cached(name: str, args: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()`, cached until reference data is loaded again (errors are not cached)."""
    key = f"regions:reference:{_reference_version()}:{name}:" + ":".join(str(a) for a in args)
    value = cache.get(key, _MISS)
    if value is _MISS:
        value = compute()
        cache.set(key, value, getattr(settings, "REFERENCE_CACHE_SECONDS", 3600))
    return value  # type: ignore[return-value]


def reference_version() -> str:
    """The current version of reference data (one cache read): pass it to `reference_memo` for the reads of one
    request or computation."""
    return _reference_version()


_MEMO: dict[tuple[object, ...], object] = {}
_MEMO_VERSION = [""]
_MEMO_LIMIT = 20000


def reference_memo(version: str, name: str, args: tuple[object, ...], compute: Callable[[], T]) -> T:
    """`compute()` kept in this process for reference-data `version` (from `reference_version()`, read once by
    the caller): no cache round trip and no unpickling per call — for reads asked many times per request (a
    group's members on each period's date). The returned object is shared: callers must not change it."""
    if _MEMO_VERSION[0] != version:
        _MEMO.clear()
        _MEMO_VERSION[0] = version
    key = (name, *args)
    try:
        return _MEMO[key]  # type: ignore[return-value]
    except KeyError:
        if len(_MEMO) >= _MEMO_LIMIT:
            _MEMO.clear()
        value = _MEMO[key] = compute()
        return value


def reference_cache_clear() -> None:
    """Forget every cached reference-data read: now, and again when the loading transaction commits (so a
    request that read the old rows meanwhile cannot leave them cached)."""

    def bump() -> None:
        cache.set(REFERENCE_VERSION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


# --- dates ------------------------------------------------------------------------------------------------------


def today() -> dt.date:
    """Today's calendar date in Việt Nam (the server may run in UTC)."""
    return timezone.localdate(timezone=LOCAL_TZ)


def date_from_param(value: str | dt.date | None, *, field: str = "date", default: dt.date | None = None) -> dt.date:
    """A date from a query parameter (YYYY-MM-DD or dd/mm/yyyy); empty → `default` or today."""
    if isinstance(value, dt.date):
        return value
    if value is None or not value.strip():
        return default or today()
    return parse_iso_date(value, field=field)


def year_from_param(value: str | int | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    raw = value.strip()
    if not raw:
        return None
    if not is_ascii_int(raw) or not 1900 <= int(raw) <= 2100:
        raise ValidationFailed(
            _('year: "%(value)s" is not a year (use four digits, e.g. 2022)') % {"value": raw},
            {"field": "year", "value": raw},
            code=ErrorCode.INVALID_YEAR,
        )
    return int(raw)


def _membership_on(day: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


# --- units ------------------------------------------------------------------------------------------------------


def unit_list(
    *, date: dt.date, group: str | None = None, q: str | None = None, level: str | None = AdminUnit.Level.PROVINCE
) -> QuerySet[AdminUnit]:
    """Units valid on `date`, optionally members of `group` on that date and matching `q`.

    `q` matches accent-insensitively (Hoà Bình = Hòa Bình = hoa binh) on the name, or exactly on the code.
    """
    units = AdminUnit.objects.valid_on(date)
    if level:
        if level not in AdminUnit.Level.values:
            raise ValidationFailed(
                _('level: "%(value)s" is not one of %(choices)s')
                % {"value": level, "choices": ", ".join(AdminUnit.Level.values)},
                {"field": "level", "value": level},
                code=ErrorCode.INVALID_LEVEL,
            )
        units = units.filter(level=level)
    if group:
        units = units.filter(pk__in=_group_memberships_on(group_get(key=group), date).values("unit_id"))
    if q:
        folded = fold(q)
        if folded:
            units = units.filter(Q(name_folded__contains=folded) | Q(code=nfc(q)))
    return units.order_by("code", F("valid_from").asc(nulls_first=True))


def unit_history(*, code: str) -> QuerySet[AdminUnit]:
    """Every record that has carried `code`, oldest first."""
    return AdminUnit.objects.filter(code=nfc(code)).order_by(F("valid_from").asc(nulls_first=True))


def unit_get(*, code: str, date: dt.date | None = None) -> AdminUnit:
    """The unit with `code` valid on `date` (default: today in Việt Nam)."""
    day = date or today()
    code = nfc(code)
    unit = AdminUnit.objects.valid_on(day).filter(code=code).first()
    if unit is not None:
        return unit
    history = list(unit_history(code=code))
    if not history:
        raise NotFound(
            _("No administrative unit has the code %(code)s.") % {"code": code},
            {"code": code},
            code=ErrorCode.UNKNOWN_UNIT,
        )
    raise NotFound(
        _("No administrative unit has the code %(code)s on %(date)s. The code was used by: %(records)s.")
        % {
            "code": code,
            "date": format_date(day),
            "records": "; ".join(f"{u.name} ({u.period_label})" for u in history),
        },
        {"code": code, "date": day.isoformat(), "history": [u.key for u in history]},
        code=ErrorCode.UNIT_NOT_VALID_ON_DATE,
    )


def unit_predecessors(*, unit: AdminUnit) -> QuerySet[UnitSuccession]:
    """Successions into `unit` (the units it was formed from)."""
    return unit.successions_in.select_related("predecessor").order_by("predecessor__code")


def unit_successors(*, unit: AdminUnit) -> QuerySet[UnitSuccession]:
    """Successions out of `unit` (the units it became part of)."""
    return unit.successions_out.select_related("successor").order_by("successor__code")


def unit_memberships(*, unit: AdminUnit) -> QuerySet[GroupMembership]:
    return unit.group_memberships.select_related("group").order_by(
        "group__sort_order", F("valid_from").asc(nulls_first=True)
    )


def unit_stats(*, unit: AdminUnit) -> QuerySet[UnitStat]:
    return unit.stats.order_by("year", "measure")


# --- groups -----------------------------------------------------------------------------------------------------


def group_list() -> QuerySet[UnitGroup]:
    return UnitGroup.objects.select_related("parent", "stat_unit").order_by("sort_order", "key")


def group_get(*, key: str) -> UnitGroup:
    group = UnitGroup.objects.select_related("parent", "stat_unit").filter(key=nfc(key)).first()
    if group is None:
        known = ", ".join(UnitGroup.objects.order_by("sort_order", "key").values_list("key", flat=True))
        raise NotFound(
            _('There is no group "%(key)s". Known groups: %(known)s.') % {"key": key, "known": known or "–"},
            {"group": key},
            code=ErrorCode.UNKNOWN_GROUP,
        )
    return group


def _group_memberships_on(group: UnitGroup, day: dt.date) -> QuerySet[GroupMembership]:
    """Memberships valid on `day` whose unit record is valid on `day` too."""
    return (
        GroupMembership.objects.filter(group=group)
        .filter(_membership_on(day))
        .filter(unit__in=AdminUnit.objects.valid_on(day))
    )


def group_member_ids_on(*, day: dt.date, unit_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    """{group id: its member unit ids on `day`, ascending} — memberships valid on `day` whose unit record is valid
    then too (the rule of `_group_memberships_on`); with `unit_ids`, only the groups that one of them belongs to."""
    rows = (GroupMembership.objects.filter(_membership_on(day)).filter(unit__in=AdminUnit.objects.valid_on(day))
            .values_list("group_id", "unit_id"))
    out: dict[int, set[int]] = {}
    for group_id, unit_id in rows:
        out.setdefault(group_id, set()).add(unit_id)
    if unit_ids is not None:
        wanted = set(unit_ids)
        out = {g: ids for g, ids in out.items() if ids & wanted}
    return {g: sorted(ids) for g, ids in sorted(out.items())}


def group_members(*, group_key: str, date: dt.date) -> QuerySet[AdminUnit]:
    """The units that belong to the group on `date`, by code."""
    group = group_get(key=group_key)
    return AdminUnit.objects.filter(pk__in=_group_memberships_on(group, date).values("unit_id")).order_by("code")


# --- region profile ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFigures:
    """One member's GSO figures for the profile year; `derived_from_predecessors` when summed from older units."""

    unit: AdminUnit
    area_km2: Decimal
    population_thousand: Decimal
    derived_from_predecessors: bool
    predecessors: tuple[AdminUnit, ...]
    stats: tuple[UnitStat, ...]

    @property
    def density_per_km2(self) -> Decimal | None:
        return _density(self.population_thousand, self.area_km2)

    @property
    def sources(self) -> list[str]:
        return sorted({stat.source for stat in self.stats})

    @property
    def citations(self) -> list[str]:
        """The sources as the public pages cite them (see regions.loader.CITATIONS)."""
        return sorted({stat.citation or stat.source for stat in self.stats})


@dataclass(frozen=True)
class Figures:
    units: int
    members: list[str]
    area_km2: Decimal
    population_thousand: Decimal
    population: int
    density_per_km2: Decimal | None
    area_share_pct: Decimal | None
    population_share_pct: Decimal | None


@dataclass(frozen=True)
class SubregionProfile:
    key: str
    name: str
    name_en: str
    figures: Figures
    area_share_of_group_pct: Decimal | None
    population_share_of_group_pct: Decimal | None
    member_rows: list[MemberFigures]
    published: dict[str, object] | None  # the statistical region's own published totals, when valid on the date


@dataclass(frozen=True)
class RegionProfile:
    group: UnitGroup
    year: int
    date: dt.date
    date_is_default: bool
    figures: Figures
    country: AdminUnit
    country_area_km2: Decimal
    country_population_thousand: Decimal
    member_rows: list[MemberFigures]
    subregions: list[SubregionProfile]
    sources: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    years_available: list[int] = field(default_factory=list)

    @property
    def country_population(self) -> int:
        return _persons(self.country_population_thousand)

    def as_dict(self) -> dict[str, object]:
        """The API shape: numbers as int/float (rounded as documented), dates as ISO strings."""
        return {
            **_figures_dict(self.figures),
            "subregions": [
                {
                    "key": sub.key,
                    "name": sub.name,
                    **_figures_dict(sub.figures),
                    "area_share_of_group_pct": _float(sub.area_share_of_group_pct),
                    "population_share_of_group_pct": _float(sub.population_share_of_group_pct),
                }
                for sub in self.subregions
            ],
            "date": self.date,
            "year": self.year,
            "group": self.group.key,
            "country": {"area_km2": float(self.country_area_km2), "population": self.country_population},
            "sources": self.citations,
            "notes": self.notes,
        }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _figures_dict(fig: Figures) -> dict[str, object]:
    return {
        "units": fig.units,
        "members": fig.members,
        "area_km2": float(fig.area_km2),
        "population": fig.population,
        "population_thousand": float(fig.population_thousand),
        "density_per_km2": _float(fig.density_per_km2),
        "area_share_pct": _float(fig.area_share_pct),
        "population_share_pct": _float(fig.population_share_pct),
    }


def _persons(thousand: Decimal) -> int:
    return int((thousand * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _density(population_thousand: Decimal, area_km2: Decimal) -> Decimal | None:
    if not area_km2:
        return None
    return (population_thousand * 1000 / area_km2).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def stat_years() -> list[int]:
    """Years for which GSO area/population figures are loaded (cached until reference data is loaded)."""
    return reference_cached(
        "stat_years", (), lambda: sorted(set(UnitStat.objects.filter(measure__in=GSO_MEASURES).values_list("year", flat=True)))
    )


def groups_cached() -> list[UnitGroup]:
    """Every group with its parent and statistical region (group_list, cached until reference data is loaded)."""
    return reference_cached("groups", (), lambda: list(group_list()))


class _StatBook:
    """The GSO figures of one year, with fallback to predecessors for units formed after the figures."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.by_unit: dict[tuple[int, str], UnitStat] = {
            (stat.unit_id, stat.measure): stat
            for stat in UnitStat.objects.filter(year=year, measure__in=GSO_MEASURES).select_related("unit")
        }
        # every succession at once (a few dozen rows), instead of one query per merged unit and measure
        self.links: dict[int, list[UnitSuccession]] = {}
        for link in UnitSuccession.objects.select_related("predecessor").order_by("predecessor__code"):
            self.links.setdefault(link.successor_id, []).append(link)

    def figure(
        self, unit: AdminUnit, measure: str, depth: int = 0
    ) -> tuple[Decimal, list[UnitStat], list[AdminUnit]] | None:
        own = self.by_unit.get((unit.pk, measure))
        if own is not None:
            return own.value, [own], []
        if depth >= MAX_SUCCESSION_DEPTH:
            return None
        links = self.links.get(unit.pk, [])
        if not links:
            return None
        total, used, predecessors = Decimal(0), [], []
        for link in links:
            part = self.figure(link.predecessor, measure, depth + 1)
            if part is None:
                return None
            total += part[0] * link.share
            used += part[1]
            predecessors.append(link.predecessor)
        return total, used, predecessors

    def member(self, unit: AdminUnit) -> MemberFigures | None:
        area = self.figure(unit, UnitStat.Measure.AREA)
        population = self.figure(unit, UnitStat.Measure.POPULATION)
        if area is None or population is None:
            return None
        predecessors = {u.pk: u for u in area[2] + population[2]}
        return MemberFigures(
            unit=unit,
            area_km2=area[0],
            population_thousand=population[0],
            derived_from_predecessors=bool(predecessors),
            predecessors=tuple(sorted(predecessors.values(), key=lambda u: u.code)),
            stats=tuple(area[1] + population[1]),
        )

    def members(self, units: Iterable[AdminUnit]) -> list[MemberFigures]:
        rows, missing = [], []
        for unit in units:
            row = self.member(unit)
            if row is None:
                missing.append(unit)
            else:
                rows.append(row)
        if missing:
            raise ValidationFailed(
                _("No %(year)s area and population figures for %(units)s, nor for all of its predecessors.")
                % {"year": self.year, "units": ", ".join(f"{u.name} ({u.code}, {u.period_label})" for u in missing)},
                {"year": self.year, "units": [u.key for u in missing]},
                code=ErrorCode.MISSING_FIGURES,
            )
        return rows


def _figures(rows: list[MemberFigures], country_area: Decimal, country_population: Decimal) -> Figures:
    area = sum((r.area_km2 for r in rows), Decimal(0))
    population = sum((r.population_thousand for r in rows), Decimal(0))
    return Figures(
        units=len(rows),
        members=sorted(r.unit.code for r in rows),
        area_km2=area.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        population_thousand=population.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        population=_persons(population),
        density_per_km2=_density(population, area),
        area_share_pct=_pct(area, country_area),
        population_share_pct=_pct(population, country_population),
    )


def _profile_date(group: UnitGroup, year: int, date: dt.date | None) -> tuple[dt.date, str | None]:
    """The membership date: as given, else 31/12 of the year, else the nearest date with members (with a note)."""
    if date is not None:
        if not _group_memberships_on(group, date).exists():
            raise NotFound(
                _("The group %(group)s has no members on %(date)s.") % {"group": group.name, "date": format_date(date)},
                {"group": group.key, "date": date.isoformat()},
                code=ErrorCode.NO_MEMBERS,
            )
        return date, None
    default = dt.date(year, 12, 31)
    if _group_memberships_on(group, default).exists():
        return default, None
    candidates: set[dt.date] = set()
    for valid_from, valid_to in GroupMembership.objects.filter(group=group).values_list("valid_from", "valid_to"):
        candidates.update(d for d in (valid_from, valid_to) if d is not None)
    with_members = sorted((abs((d - default).days), d) for d in candidates if _group_memberships_on(group, d).exists())
    if not with_members:
        raise NotFound(
            _("The group %(group)s has no members.") % {"group": group.name}, {"group": group.key}, code=ErrorCode.NO_MEMBERS
        )
    used = with_members[0][1]
    note = _("The group had no members on %(default)s; the membership of %(used)s is used instead.") % {
        "default": format_date(default),
        "used": format_date(used),
    }
    return used, note


def _country_figures(day: dt.date, year: int, book: _StatBook) -> tuple[AdminUnit, Decimal, Decimal, list[UnitStat]]:
    country = AdminUnit.objects.valid_on(day).filter(level=AdminUnit.Level.COUNTRY).first()
    stats = {m: book.by_unit[(country.pk, m)] for m in GSO_MEASURES if (country.pk, m) in book.by_unit} if country else {}
    if country is None or len(stats) != len(GSO_MEASURES):
        raise ValidationFailed(
            _("No %(year)s area and population figures for the whole country, so shares cannot be computed.")
            % {"year": year},
            {"year": year},
            code=ErrorCode.MISSING_COUNTRY_FIGURES,
        )
    return (
        country,
        stats[UnitStat.Measure.AREA].value,
        stats[UnitStat.Measure.POPULATION].value,
        list(stats.values()),
    )


def region_profile(*, group_key: str, year: int | None = None, date: dt.date | None = None) -> RegionProfile:
    """Area, population, density and shares of a region group and its sub-regions for one statistical year.

    Members are the group's members on `date` (default 31/12 of `year`). A member formed after the figures were
    published (a merged unit) gets the sum of its predecessors' figures, times the share for partial successions.

    Cached until reference data is loaded again (reference_cache_clear); computed in a handful of queries.
    """
    groups = groups_cached()
    group = next((g for g in groups if g.key == nfc(group_key)), None) or group_get(key=group_key)
    years = stat_years()
    if year is None:
        if not years:
            raise NotFound(_("No area and population figures are loaded."), {"years_available": []}, code=ErrorCode.NO_DATA)
        year = years[-1]
    if year not in years:
        raise NotFound(
            _("No area and population figures for %(year)s. Years available: %(years)s.")
            % {"year": year, "years": ", ".join(str(y) for y in years) or "–"},
            {"year": year, "years_available": years},
            code=ErrorCode.NO_DATA,
        )
    return reference_cached(
        "profile", (group.key, year, date.isoformat() if date else "", translation.get_language() or ""),
        lambda: _region_profile(group, groups, years, year, date),
    )


def _region_profile(group: UnitGroup, groups: list[UnitGroup], years: list[int], year: int, date: dt.date | None) -> RegionProfile:
    day, date_note = _profile_date(group, year, date)
    book = _StatBook(year)
    country, country_area, country_population, country_stats = _country_figures(day, year, book)

    # the members of the group and of its sub-regions on the day, in one query
    children = sorted((g for g in groups if g.parent_id == group.pk), key=lambda g: (g.sort_order, g.key))
    members: dict[int, list[GroupMembership]] = {}
    for m in (
        GroupMembership.objects.filter(group_id__in=[group.pk, *[c.pk for c in children]])
        .filter(_membership_on(day)).filter(unit__in=AdminUnit.objects.valid_on(day))
        .select_related("unit").order_by("unit__code")
    ):
        members.setdefault(m.group_id, []).append(m)

    member_rows = book.members([m.unit for m in members.get(group.pk, [])])
    figures = _figures(member_rows, country_area, country_population)

    subregions = []
    for child in children:
        child_units = [m.unit for m in members.get(child.pk, [])]
        if not child_units:
            continue
        child_rows = book.members(child_units)
        child_figures = _figures(child_rows, country_area, country_population)
        subregions.append(
            SubregionProfile(
                key=child.key,
                name=child.name,
                name_en=child.name_en,
                figures=child_figures,
                area_share_of_group_pct=_pct(child_figures.area_km2, figures.area_km2),
                population_share_of_group_pct=_pct(child_figures.population_thousand, figures.population_thousand),
                member_rows=child_rows,
                published=_published_totals(child, day, book),
            )
        )

    used_stats = [s for row in member_rows for s in row.stats] + country_stats
    for sub in subregions:
        used_stats += [s for row in sub.member_rows for s in row.stats]
    sources = sorted({s.source for s in used_stats})
    memberships = [m.source for m in members.get(group.pk, [])]
    sources += sorted({src for src in memberships if src} - set(sources))
    citations = sorted({s.citation or s.source for s in used_stats})
    cited = [m.citation for m in members.get(group.pk, [])]
    citations += sorted({c for part in cited for c in part.split("; ") if c} - set(citations))

    notes: list[str] = []
    if date_note:
        notes.append(date_note)
    derived = [row for row in member_rows if row.derived_from_predecessors]
    if derived:
        notes.append(
            _(
                "%(units)s did not exist in %(year)s: their figures are the sums of their predecessors' %(year)s "
                "figures (derived from predecessors)."
            )
            % {"units": ", ".join(f"{r.unit.name} ({r.unit.code})" for r in derived), "year": year}
        )
        notes.append(
            _(
                "The area and population stated in Resolution 202/2025/QH15 are a different measure (the population "
                "is an administrative headcount) and are not used here."
            )
        )
    for stat in used_stats:
        if stat.note:
            text = f"{stat.unit.name} ({stat.unit.code}), {stat.get_measure_display()}: {_(stat.note)}"
            if text not in notes:
                notes.append(text)
    notes.append(
        _(
            "Totals are exact sums of the published unit figures, rounded only at the end. Articles may print them "
            "cut rather than rounded: for the 28 units in 2022 the seed article prints 150,058.5 km², 44.93 million "
            "people, 45.28 per cent of the area, 45.17 per cent of the population and 299 people/km²."
        )
    )
    return RegionProfile(
        group=group,
        year=year,
        date=day,
        date_is_default=date is None,
        figures=figures,
        country=country,
        country_area_km2=country_area,
        country_population_thousand=country_population,
        member_rows=member_rows,
        subregions=subregions,
        sources=sources,
        citations=citations,
        notes=notes,
        years_available=years,
    )


def _published_totals(group: UnitGroup, day: dt.date, book: _StatBook) -> dict[str, object] | None:
    """The statistical region's own published totals, shown beside the sum of its members when comparable."""
    region = group.stat_unit
    if region is None or not region.is_valid_on(day):
        return None
    area, population = book.by_unit.get((region.pk, UnitStat.Measure.AREA)), book.by_unit.get((region.pk, UnitStat.Measure.POPULATION))
    if area is None or population is None:
        return None
    return {
        "unit": region,
        "area_km2": area.value,
        "population_thousand": population.value,
        "source": ", ".join(sorted({area.source, population.source})),
        "citation": "; ".join(sorted({area.citation or area.source, population.citation or population.source})),
        "note": population.note or area.note,
    }


# --- across the 1/7/2025 merger: one mapping shared by every app --------------------------------------------------


@dataclass(frozen=True)
class UnitShare:
    """A unit and the fraction of another unit's territory it stands for (1 = the whole)."""

    unit: AdminUnit
    share: Decimal


def _successions() -> tuple[dict[int, list[UnitSuccession]], dict[int, list[UnitSuccession]]]:
    """Every succession, by predecessor and by successor (the table is tiny: one query)."""
    out: dict[int, list[UnitSuccession]] = {}
    into: dict[int, list[UnitSuccession]] = {}
    for s in UnitSuccession.objects.select_related("predecessor", "successor").order_by("pk"):
        out.setdefault(s.predecessor_id, []).append(s)
        into.setdefault(s.successor_id, []).append(s)
    return out, into


def _walk(unit: AdminUnit, day: dt.date, edges: dict[int, list[UnitSuccession]], forward: bool,
          share: Decimal, depth: int) -> list[UnitShare]:
    if unit.is_valid_on(day):
        return [UnitShare(unit, share)]
    if depth >= MAX_SUCCESSION_DEPTH:
        return []
    found: list[UnitShare] = []
    for s in edges.get(unit.pk, []):
        nxt = s.successor if forward else s.predecessor
        if (forward and s.effective > day) or (not forward and s.effective <= day):
            continue
        found.extend(_walk(nxt, day, edges, forward, share * s.share, depth + 1))
    return found


def _merge(found: Iterable[UnitShare]) -> list[UnitShare]:
    total: dict[int, UnitShare] = {}
    for item in found:
        seen = total.get(item.unit.pk)
        total[item.unit.pk] = UnitShare(item.unit, item.share + (seen.share if seen else 0))
    return sorted(total.values(), key=lambda u: u.unit.code)


def unit_successors_on(*, unit: AdminUnit, date: dt.date) -> list[UnitShare]:
    """The unit(s) that hold `unit`'s territory on `date`, looking forward: the unit itself while it is valid;
    for a unit dissolved before `date`, the unit(s) it became part of, each with the fraction of `unit` it took
    (`UnitSuccession.share`, multiplied along a chain). Empty for a date before the unit existed.
    The one mapping of "an old unit at a later date" (cooperation's parties, analytics, reporting)."""
    if unit.valid_from is not None and date < unit.valid_from:
        return []
    out, _into = _successions()
    return _merge(_walk(unit, date, out, True, Decimal(1), 0))


def unit_predecessors_on(*, unit: AdminUnit, date: dt.date) -> list[UnitShare]:
    """The unit(s) whose territory formed `unit`, as they were on `date` (a date before `unit` existed), each
    with the fraction of it that went into `unit`: a value of `unit` for that date is Σ value × share over them.
    The unit itself while it is valid; empty for a date after it was dissolved."""
    if unit.valid_to is not None and date > unit.valid_to:
        return []
    _out, into = _successions()
    return _merge(_walk(unit, date, into, False, Decimal(1), 0))


def unit_map_on(*, date: dt.date, units: Iterable[AdminUnit] | None = None) -> dict[int, list[UnitShare]]:
    """`unit_successors_on` for many units at once (two queries): {unit id: [UnitShare of units valid on date]}."""
    out, _into = _successions()
    chosen = list(units) if units is not None else list(AdminUnit.objects.all())
    return {
        u.pk: ([] if u.valid_from is not None and date < u.valid_from
               else _merge(_walk(u, date, out, True, Decimal(1), 0)))
        for u in chosen
    }
def search_document(unit: AdminUnit) -> SearchDocument:
    """A unit as an item of the search index (public)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # the index is in the site's language
        level = str(unit.get_level_display())
    body = " · ".join(p for p in [level, unit.period_label, unit.seat, unit.note] if p)
    return SearchDocument(
        kind="unit", key=unit.key, title=unit.name, body=body,
        url=reverse("regions:unit_detail", kwargs={"code": unit.code}),
        unit_id=unit.pk, unit_key=unit.key, unit_name=unit.name,
    )


def search_documents() -> Iterator[SearchDocument]:
    """Every unit, for `manage.py search_reindex` (settings.SEARCH_DOCUMENT_SOURCES)."""
    for unit in AdminUnit.objects.order_by("code", "valid_from"):
        yield search_document(unit)
