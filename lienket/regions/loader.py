"""Load the project's reference data (lienket/regions/fixtures/*.csv and friends) into the database.

Idempotent: every row is upserted on its natural key (code + valid_from, unit + year + measure, ...), and a
row whose values already match is left alone, so a second run reports everything as unchanged. Text is
NFC-normalised on the way in. Each figure keeps its source; nothing is adjusted to match a printed figure.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_noop

from lienket.core.text import nfc

from . import selectors
from .models import AdminUnit, GroupMembership, UnitGroup, UnitStat, UnitSuccession

FIXTURES = Path(__file__).resolve().parent / "fixtures"

MERGER_DAY = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = dt.date(2025, 6, 30)
STAT_YEAR = 2022
RESOLUTION_YEAR = 2025

CITY_CODES = {"01", "31"}  # Hà Nội, Hải Phòng (before and after 01/07/2025), the northern centrally-run cities

SRC_GSO = "GSO-E0201"
SRC_GSO_POP = "GSO-E0203-07"
SRC_RESOLUTION = "NQ-202-2025"

# Stored in English and marked for translation: templates show them with {% translate note %}.
NOTE_HA_TINH_POPULATION = gettext_noop(
    "Table E02.01 repeats Hà Tĩnh's 2023 value (1,323.75 thousand) for 2022; this figure (1,317.25 thousand) comes "
    "from table E02.03-07 and agrees with its breakdown by sex and by urban/rural area."
)
NOTE_BTB_DHMT_POPULATION = gettext_noop(
    "Published regional total of table E02.01: it includes Hà Tĩnh at 1,323.75 thousand (the 2023 value repeated), "
    "not the 1,317.25 thousand of table E02.03-07."
)
NOTE_COUNTRY_AREA = gettext_noop("Includes about 12.7 km² not assigned to any province in 2021–2022.")
NOTE_RESOLUTION_POPULATION = gettext_noop(
    "Administrative headcount stated in Resolution 202/2025/QH15 (includes temporary residents): not comparable "
    "with the GSO average population and never added to it."
)
NOTE_RESOLUTION_AREA = gettext_noop(
    "Area stated in Resolution 202/2025/QH15; it agrees with the sum of the former units' 2022 areas within 7 km²."
)
NOTE_REGION_UNIT = gettext_noop(
    "Socio-economic region as defined before 2025 (Resolution 81/2023/QH15); the regions were redefined after "
    "01/07/2025, and the new composition is not modelled as a unit."
)

GROUPS: list[dict[str, Any]] = [
    {
        "key": "north",
        "name": "Khu vực phía Bắc",
        "name_en": "Northern region",
        "purpose": UnitGroup.Purpose.CONFERENCE,
        "parent": None,
        "stat_unit": None,
        "sort_order": 0,
        "description": gettext_noop(
            "The provinces and cities taking part in the conference of the northern Departments of Industry "
            "and Trade: 28 until 30/06/2025, 18 from 01/07/2025 (the 15 northern units plus Thanh Hóa, Nghệ An "
            "and Hà Tĩnh)."
        ),
    },
    {
        "key": "TDMNPB",
        "name": "Trung du và miền núi phía Bắc",
        "name_en": "Northern midlands and mountains",
        "purpose": UnitGroup.Purpose.SUBREGION,
        "parent": "north",
        "stat_unit": "R-TDMNPB",
        "sort_order": 1,
        "description": gettext_noop(
            "Until 30/06/2025 as in Resolution 81/2023/QH15; from 01/07/2025 the northern units not in the Red River "
            "Delta (not confirmed by a legal text)."
        ),
    },
    {
        "key": "DBSH",
        "name": "Đồng bằng sông Hồng",
        "name_en": "Red River Delta",
        "purpose": UnitGroup.Purpose.SUBREGION,
        "parent": "north",
        "stat_unit": "R-DBSH",
        "sort_order": 2,
        "description": gettext_noop(
            "Until 30/06/2025 as in Resolution 81/2023/QH15; from 01/07/2025 Hà Nội, Hải Phòng, Quảng Ninh, Bắc Ninh, "
            "Hưng Yên and Ninh Bình (stated by the Prime Minister on 20/09/2025)."
        ),
    },
    {
        "key": "BTB3",
        "name": "Bắc Trung Bộ (Thanh Hóa, Nghệ An, Hà Tĩnh)",
        "name_en": "North Central (Thanh Hóa, Nghệ An, Hà Tĩnh)",
        "purpose": UnitGroup.Purpose.SUBREGION,
        "parent": "north",
        "stat_unit": None,  # the statistical region (R-BTB-DHMT) is much wider than these three
        "sort_order": 3,
        "description": gettext_noop(
            "The three North Central provinces that take part in the northern conference; only part of the "
            "statistical region North Central and Central Coast."
        ),
    },
]

M = TypeVar("M", bound=models.Model)


class ReferenceDataError(ValueError):
    """The fixture files contradict each other; fix the files, not the loader."""


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {nfc(key): nfc(value) for key, value in row.items()}


def parse_date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _same(obj: models.Model, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            if getattr(obj, field.attname) != (value.pk if value is not None else None):
                return False
        elif getattr(obj, name) != value:
            return False
    return True


class Upserter:
    """update_or_create on a natural key, skipping rows that already hold the same values, with counts."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}

    def __call__(self, label: str, model: type[M], keys: dict[str, Any], values: dict[str, Any]) -> M:
        counter = self.counts.setdefault(label, Counter(created=0, updated=0, unchanged=0))
        for name, value in values.items():
            field = model._meta.get_field(name)
            max_length = getattr(field, "max_length", None)
            if max_length and isinstance(value, str) and len(value) > max_length:
                raise ReferenceDataError(f"{label} {keys}: {name} is longer than {max_length} characters")
        existing = model._default_manager.filter(**keys).first()
        if existing is not None and _same(existing, values):
            counter["unchanged"] += 1
            return existing
        obj, created = model._default_manager.update_or_create(defaults=values, **keys)
        counter["created" if created else "updated"] += 1
        return obj

    def result(self) -> dict[str, dict[str, int]]:
        return {label: dict(counter) for label, counter in self.counts.items()}


def _unit_on(code: str, day: dt.date) -> AdminUnit:
    units = list(AdminUnit.objects.valid_on(day).filter(code=code))
    if len(units) != 1:
        raise ReferenceDataError(f"expected one unit with code {code} on {day.isoformat()}, found {len(units)}")
    return units[0]


def _load_units(upsert: Upserter) -> None:
    after = {row["code"]: row for row in read_csv(FIXTURES / "units_2025.csv")}
    for row in read_csv(FIXTURES / "units_pre2025.csv"):
        code, valid_to = row["code"], parse_date(row["valid_to"])
        if valid_to is None:
            successor = after.get(code)
            if successor is None or successor["formed_from"].split() != [code] or successor["name"] != row["name"]:
                raise ReferenceDataError(f"unit {code} {row['name']} continues unchanged but units_2025.csv disagrees")
            source = f"{SRC_GSO}; {successor['source']}"
        else:
            source = f"{SRC_GSO}; {SRC_RESOLUTION}; QD-19-2025-TTg"
        upsert(
            "units",
            AdminUnit,
            {"code": code, "valid_from": None},
            {
                "name": row["name"],
                "level": AdminUnit.Level.PROVINCE,
                "is_city": code in CITY_CODES,
                "valid_to": valid_to,
                "seat": "",
                "source": source,
                "note": "",
            },
        )
    for row in after.values():
        if row["formed_from"].split() == [row["code"]]:
            continue  # not rearranged: the pre-2025 record stays valid across 01/07/2025
        valid_from = parse_date(row["valid_from"])
        if valid_from != MERGER_DAY:
            raise ReferenceDataError(f"merged unit {row['code']} should start on {MERGER_DAY.isoformat()}")
        upsert(
            "units",
            AdminUnit,
            {"code": row["code"], "valid_from": valid_from},
            {
                "name": row["name"],
                "level": AdminUnit.Level.PROVINCE,
                "is_city": row["code"] in CITY_CODES,
                "valid_to": None,
                "seat": row["seat_in_former"],
                "source": row["source"],
                "note": "",
            },
        )
    for row in read_csv(FIXTURES / "national_2022.csv"):
        is_country = row["level"] == "country"
        source = row["source"].split(" (")[0]
        upsert(
            "units",
            AdminUnit,
            {"code": row["code"], "valid_from": None},
            {
                "name": row["name"],
                "level": AdminUnit.Level.COUNTRY if is_country else AdminUnit.Level.REGION,
                "is_city": False,
                "valid_to": None if is_country else LAST_DAY_BEFORE_MERGER,
                "seat": "",
                "source": source if is_country else f"NQ-81-2023-QH15; {source}",
                "note": "" if is_country else NOTE_REGION_UNIT,
            },
        )


def _load_successions(upsert: Upserter) -> None:
    formed_from = {row["code"]: set(row["formed_from"].split()) for row in read_csv(FIXTURES / "units_2025.csv")}
    seen: dict[str, set[str]] = {}
    for row in read_csv(FIXTURES / "successions_2025.csv"):
        effective = parse_date(row["effective"])
        if effective is None:
            raise ReferenceDataError(f"succession {row['old_code']} → {row['new_code']} has no date")
        predecessor = _unit_on(row["old_code"], effective - dt.timedelta(days=1))
        successor = _unit_on(row["new_code"], effective)
        if predecessor.pk == successor.pk:
            raise ReferenceDataError(f"succession {row['old_code']} → {row['new_code']} links a unit to itself")
        share = Decimal(1) if row["share"] == "whole" else Decimal(row["share"])
        seen.setdefault(row["new_code"], set()).add(row["old_code"])
        upsert(
            "successions",
            UnitSuccession,
            {"predecessor": predecessor, "successor": successor},
            {"effective": effective, "share": share, "source": row["source"]},
        )
    for code, olds in seen.items():
        if formed_from.get(code) != olds:
            raise ReferenceDataError(f"successions into {code} ({sorted(olds)}) disagree with units_2025.csv")


def _stat(upsert: Upserter, unit: AdminUnit, year: int, measure: str, value: str, source: str, note: str = "") -> None:
    upsert(
        "stats",
        UnitStat,
        {"unit": unit, "year": year, "measure": measure},
        {"value": Decimal(value), "source": source, "note": note},
    )


def _load_stats(upsert: Upserter) -> None:
    for row in read_csv(FIXTURES / "units_pre2025.csv"):
        unit = _unit_on(row["code"], LAST_DAY_BEFORE_MERGER)
        _stat(upsert, unit, STAT_YEAR, UnitStat.Measure.AREA, row["area_km2_2022"], SRC_GSO)
        # Hà Tĩnh's population comes from table E02.03-07 (E02.01 repeats the 2023 value), with a note saying so.
        source, note = (SRC_GSO_POP, NOTE_HA_TINH_POPULATION) if SRC_GSO_POP in row["source"] else (SRC_GSO, "")
        _stat(upsert, unit, STAT_YEAR, UnitStat.Measure.POPULATION, row["population_2022_thousand"], source, note)
    for row in read_csv(FIXTURES / "national_2022.csv"):
        unit = AdminUnit.objects.get(code=row["code"], valid_from__isnull=True)
        population_note = NOTE_BTB_DHMT_POPULATION if "Hà Tĩnh" in row["source"] else ""
        area_note = NOTE_COUNTRY_AREA if row["level"] == "country" else ""
        _stat(upsert, unit, STAT_YEAR, UnitStat.Measure.AREA, row["area_km2_2022"], SRC_GSO, area_note)
        _stat(
            upsert,
            unit,
            STAT_YEAR,
            UnitStat.Measure.POPULATION,
            row["population_2022_thousand"],
            SRC_GSO,
            population_note,
        )
    for row in read_csv(FIXTURES / "units_2025.csv"):
        if not row["area_km2_resolution"]:
            continue
        unit = _unit_on(row["code"], MERGER_DAY)
        _stat(
            upsert,
            unit,
            RESOLUTION_YEAR,
            UnitStat.Measure.RESOLUTION_AREA,
            row["area_km2_resolution"],
            SRC_RESOLUTION,
            NOTE_RESOLUTION_AREA,
        )
        _stat(
            upsert,
            unit,
            RESOLUTION_YEAR,
            UnitStat.Measure.RESOLUTION_POPULATION,
            row["population_resolution"],
            SRC_RESOLUTION,
            NOTE_RESOLUTION_POPULATION,
        )


def _load_groups(upsert: Upserter) -> None:
    groups: dict[str, UnitGroup] = {}
    for spec in GROUPS:
        stat_unit = (
            AdminUnit.objects.get(code=spec["stat_unit"], valid_from__isnull=True) if spec["stat_unit"] else None
        )
        groups[spec["key"]] = upsert(
            "groups",
            UnitGroup,
            {"key": spec["key"]},
            {
                "name": spec["name"],
                "name_en": spec["name_en"],
                "purpose": spec["purpose"],
                "parent": groups[spec["parent"]] if spec["parent"] else None,
                "stat_unit": stat_unit,
                "description": spec["description"],
                "sort_order": spec["sort_order"],
            },
        )
    for row in read_csv(FIXTURES / "groups.csv"):
        group = groups.get(row["group"])
        if group is None:
            raise ReferenceDataError(f"groups.csv names an unknown group {row['group']!r}")
        valid_from, valid_to = parse_date(row["valid_from"]), parse_date(row["valid_to"])
        # The unit record valid during the membership: before the merger the one of 30/06/2025, after it the one
        # of 01/07/2025.
        day = valid_from or valid_to
        if day is None:
            raise ReferenceDataError(f"membership {row['group']}/{row['member_code']} has no period")
        upsert(
            "memberships",
            GroupMembership,
            {"group": group, "unit": _unit_on(row["member_code"], day), "valid_from": valid_from},
            {"valid_to": valid_to, "source": row["source"]},
        )


@transaction.atomic
def load_regions() -> dict[str, dict[str, int]]:
    """Load (or refresh) the units, successions, statistics and groups; returns {entity: {created, updated,
    unchanged}}. The whole reference data set (with the Ministry units and the conferences, which sit above
    regions in the import order) is loaded by lienket.demo.reference.load_reference()."""
    upsert = Upserter()
    _load_units(upsert)
    _load_successions(upsert)
    _load_stats(upsert)
    _load_groups(upsert)
    selectors.reference_cache_clear()  # cached profiles, groups and years are stale now
    return upsert.result()
