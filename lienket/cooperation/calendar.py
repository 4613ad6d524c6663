"""The regional trade-promotion calendar: the month grid, clash warnings and iCalendar export.

Clash: two activities whose dates overlap, held in the same unit or in neighbouring units. Neighbours come from
fixtures/adjacency_north.csv (the 28 units as they stood until 30/6/2025, see fixtures/SOURCES.md); a unit formed
on 1/7/2025 covers the territories of its predecessors (`regions.selectors.unit_predecessors_on`), so its
neighbours are derived, never listed twice.
"""

from __future__ import annotations

import calendar as pycalendar
import csv
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event

from lienket.regions.models import AdminUnit
from lienket.regions.selectors import unit_predecessors_on

from .models import Activity

ADJACENCY_FILE = Path(__file__).resolve().parent / "fixtures" / "adjacency_north.csv"
PRODID = "-//LienKet//Lich xuc tien thuong mai vung//VI"


@functools.cache
def adjacency() -> frozenset[frozenset[str]]:
    """Pairs of pre-2025 GSO codes that share a border."""
    with ADJACENCY_FILE.open(encoding="utf-8") as fh:
        return frozenset(frozenset((row["a"], row["b"])) for row in csv.DictReader(fh))


def territory(unit: AdminUnit) -> frozenset[str]:
    """The pre-2025 codes a unit row covers: its own code, or its predecessors' for a unit formed by a merger."""
    if unit.valid_from is None:
        return frozenset({unit.code})
    before = unit_predecessors_on(unit=unit, date=unit.valid_from - dt.timedelta(days=1))
    return frozenset(s.unit.code for s in before) or frozenset({unit.code})


def relation(a: frozenset[str], b: frozenset[str]) -> str | None:
    """"same" when the territories overlap, "neighbour" when two of their parts share a border, else None."""
    if a & b:
        return "same"
    pairs = adjacency()
    if any(frozenset((x, y)) in pairs for x in a for y in b):
        return "neighbour"
    return None


@dataclass(frozen=True)
class Clash:
    first: Activity
    second: Activity
    relation: str  # "same" or "neighbour"


def clashes(activities: Iterable[Activity]) -> list[Clash]:
    """Overlapping activities in the same or neighbouring units (a sweep over start dates)."""
    acts = sorted(activities, key=lambda a: (a.start_on, a.pk))
    territories: dict[int, frozenset[str]] = {}

    def terr(a: Activity) -> frozenset[str]:
        if a.place_id not in territories:
            territories[a.place_id] = territory(a.place)
        return territories[a.place_id]

    found = []
    open_: list[Activity] = []
    for act in acts:
        open_ = [o for o in open_ if o.end_on >= act.start_on]
        for other in open_:
            rel = relation(terr(other), terr(act))
            if rel is not None:
                found.append(Clash(other, act, rel))
        open_.append(act)
    return found


def clash_ids(found: list[Clash]) -> set[int]:
    return {c.first.pk for c in found} | {c.second.pk for c in found}


# --- month grid ----------------------------------------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    activities: list[Activity]


def month_grid(year: int, month: int, activities: Iterable[Activity]) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the activities running on it."""
    acts = list(activities)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([Day(d, d.month == month, [a for a in acts if a.start_on <= d <= a.end_on]) for d in week])
    return weeks


# --- iCalendar -----------------------------------------------------------------------------------------------------


def ics(activities: Iterable[Activity], *, base_url: str, name: str) -> bytes:
    """An iCalendar (RFC 5545) file: one all-day VEVENT per activity (DTEND exclusive), UID stable per activity."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for a in activities:
        event = Event()
        event.add("uid", f"activity-{a.pk}@lienket")
        event.add("summary", a.title)
        event.add("dtstart", a.start_on)
        event.add("dtend", a.end_on + dt.timedelta(days=1))
        event.add("dtstamp", a.created_at)
        event.add("location", a.place.name)
        event.add("categories", [a.get_kind_display()])
        event.add("description", f"{a.programme.title}\n{a.description}".strip())
        event.add("url", f"{base_url}/hop-tac/{a.programme_id}/")
        cal.add_component(event)
    return cal.to_ical()
