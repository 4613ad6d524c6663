"""API shapes of the regions domain. Numbers leave as JSON numbers, dates as YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class UnitOut(Schema):
    code: str
    name: str
    key: str
    level: str
    is_city: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    seat: str
    source: str = Field(description="The source as cited publicly")
    working_notes: str = Field("", description="Working notes on the source (staff only; empty otherwise)")


class SuccessionOut(Schema):
    code: str
    name: str
    key: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    effective: dt.date
    share: float
    source: str = Field(description="The source as cited publicly")
    working_notes: str = Field("", description="Working notes on the source (staff only; empty otherwise)")


class MembershipOut(Schema):
    group: str
    group_name: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str = Field(description="The source as cited publicly")
    working_notes: str = Field("", description="Working notes on the source (staff only; empty otherwise)")


class StatOut(Schema):
    year: int
    measure: str
    measure_label: str
    value: float
    source: str = Field(description="The source as cited publicly")
    working_notes: str = Field("", description="Working notes on the source (staff only; empty otherwise)")
    note: str


class UnitDetailOut(UnitOut):
    note: str
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]
    memberships: list[MembershipOut]
    stats: list[StatOut]
    history: list[UnitOut]


class GroupOut(Schema):
    key: str
    name: str
    name_en: str
    purpose: str
    parent: str | None
    stat_unit: str | None
    description: str


class SubregionOut(Schema):
    key: str
    name: str
    units: int
    members: list[str]
    area_km2: float
    population: int
    population_thousand: float
    density_per_km2: float | None
    area_share_pct: float | None
    population_share_pct: float | None
    area_share_of_group_pct: float | None
    population_share_of_group_pct: float | None


class CountryOut(Schema):
    area_km2: float
    population: int


class ProfileOut(Schema):
    units: int
    members: list[str]
    area_km2: float
    population: int
    population_thousand: float
    density_per_km2: float | None
    area_share_pct: float | None
    population_share_pct: float | None
    subregions: list[SubregionOut]
    date: dt.date
    year: int
    group: str
    country: CountryOut
    sources: list[str]
    notes: list[str]
