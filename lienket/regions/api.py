"""Public API of the reference data: units on a date, one unit with its history, groups, region profiles.

No authentication: the data is public reference data. Dates arrive as text and are parsed by
lienket.core.formats.parse_iso_date, so a bad date is a 422 with a clear message rather than ninja's default.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from lienket.core.api import ERRORS

from . import selectors
from .models import AdminUnit, UnitSuccession
from .schemas import GroupOut, ProfileOut, UnitDetailOut, UnitOut

router = Router(tags=["regions"])


def _notes(request: HttpRequest, obj: Any) -> str:
    """Working notes on a source are for staff; the public sees the clean citation only (issue #16)."""
    return obj.source if getattr(request.user, "is_staff", False) else ""


def _cite(obj: Any) -> str:
    return obj.citation or obj.source


def _unit(unit: AdminUnit, request: HttpRequest) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "key": unit.key,
        "level": unit.level,
        "is_city": unit.is_city,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "seat": unit.seat,
        "source": _cite(unit),
        "working_notes": _notes(request, unit),
    }


def _succession(link: UnitSuccession, other: AdminUnit, request: HttpRequest) -> dict[str, Any]:
    return {
        "code": other.code,
        "name": other.name,
        "key": other.key,
        "valid_from": other.valid_from,
        "valid_to": other.valid_to,
        "effective": link.effective,
        "share": float(link.share),
        "source": _cite(link),
        "working_notes": _notes(request, link),
    }


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Units valid on a date")
def units(
    request: HttpRequest,
    date: str | None = None,
    group: str | None = None,
    q: str | None = None,
    level: str = AdminUnit.Level.PROVINCE,
) -> list[dict[str, Any]]:
    """Units valid on `date` (YYYY-MM-DD, default today in Việt Nam), optionally members of `group` on that date,
    optionally matching `q` (accent-insensitive name, or exact code). `level`: province (default), region, country."""
    day = selectors.date_from_param(date)
    return [_unit(u, request) for u in selectors.unit_list(date=day, group=group or None, q=q, level=level or None)]


@router.get("/units/{code}", response={200: UnitDetailOut, **ERRORS}, summary="One unit on a date, with its history")
def unit_detail(request: HttpRequest, code: str, date: str | None = None) -> dict[str, Any]:
    """The unit that carries `code` on `date` (default today), with predecessors, successors, group memberships,
    statistics (each with its source) and every record that has carried the code."""
    unit = selectors.unit_get(code=code, date=selectors.date_from_param(date))
    return {
        **_unit(unit, request),
        "note": _(unit.note) if unit.note else "",
        "predecessors": [_succession(link, link.predecessor, request) for link in selectors.unit_predecessors(unit=unit)],
        "successors": [_succession(link, link.successor, request) for link in selectors.unit_successors(unit=unit)],
        "memberships": [
            {
                "group": m.group.key,
                "group_name": m.group.name,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
                "source": _cite(m),
                "working_notes": _notes(request, m),
            }
            for m in selectors.unit_memberships(unit=unit)
        ],
        "stats": [
            {
                "year": s.year,
                "measure": s.measure,
                "measure_label": s.get_measure_display(),
                "value": float(s.value),
                "source": _cite(s),
                "working_notes": _notes(request, s),
                "note": _(s.note) if s.note else "",
            }
            for s in selectors.unit_stats(unit=unit)
        ],
        "history": [_unit(u, request) for u in selectors.unit_history(code=unit.code)],
    }


@router.get("/groups", response={200: list[GroupOut], **ERRORS}, summary="Region groups")
def groups(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "key": g.key,
            "name": g.name,
            "name_en": g.name_en,
            "purpose": g.purpose,
            "parent": g.parent.key if g.parent else None,
            "stat_unit": g.stat_unit.code if g.stat_unit else None,
            "description": _(g.description) if g.description else "",
        }
        for g in selectors.group_list()
    ]


@router.get("/profile", response={200: ProfileOut, **ERRORS}, summary="Area, population and shares of a group")
def profile(
    request: HttpRequest,
    group: str = "north",
    year: int | None = Query(None, ge=1000, le=9999, description="Four-digit year; default the latest loaded"),
    date: str | None = None,
) -> dict[str, Any]:
    """GSO area and population of `year` (default: the latest loaded) summed over the group's members on `date`
    (default 31/12 of `year`), with density, shares of the country and a breakdown by sub-region."""
    day = selectors.date_from_param(date) if date and date.strip() else None
    return selectors.region_profile(group_key=group, year=year, date=day).as_dict()
