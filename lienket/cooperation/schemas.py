"""In/Out schemas of /api/v1/cooperation/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field as PField

from lienket.core.api import MAX_SMALL_INT

Role = Literal["lead", "member", "sponsor"]
Kind = Literal["bilateral", "multilateral", "business", "ministry"]
FieldName = Literal["trade_promotion", "distribution", "industry", "energy", "ecommerce", "investment"]
Status = Literal["planned", "active", "completed", "suspended", "ended_early"]
ActivityKindName = Literal["fair", "trade_week", "business_matching", "training", "investment_promotion",
                           "study_visit"]
Amount = Decimal


class PartyInSchema(Schema):
    ref: str = PField(..., max_length=80, description="unit:<unit key> (resolved on the start date), "
                                                       "ministry:<slug> or org:<slug>")
    role: Role = "member"


class ObjectiveInSchema(Schema):
    id: int | None = PField(None, ge=1, le=2**63 - 1)
    title: str = PField(..., min_length=1, max_length=300)
    unit_of_measure: str = PField(..., min_length=1, max_length=40)
    target_value: Amount = PField(..., gt=0, lt=Decimal(10) ** 15, max_digits=18, decimal_places=3)
    weight: Amount = PField(Decimal(1), gt=0, lt=10000, max_digits=7, decimal_places=3)


class DocumentInSchema(Schema):
    title: str = PField(..., min_length=1, max_length=300)
    url: str = PField("", max_length=200)
    issued_on: dt.date | None = None


class ProgrammeIn(Schema):
    title: str = PField(..., min_length=1, max_length=300)
    kind: Kind
    field: FieldName
    description: str = PField("", max_length=20000)
    signed_on: dt.date | None = None
    start_on: dt.date
    end_on: dt.date | None = None
    status: Status = "planned"
    is_published: bool = False
    parties: list[PartyInSchema] = PField(..., min_length=1, max_length=100)
    objectives: list[ObjectiveInSchema] = PField(default_factory=list, max_length=50)
    documents: list[DocumentInSchema] = PField(default_factory=list, max_length=50)


class ProgrammePatch(Schema):
    version: int = PField(..., ge=1, le=MAX_SMALL_INT)
    title: str | None = PField(None, min_length=1, max_length=300)
    kind: Kind | None = None
    field: FieldName | None = None
    description: str | None = PField(None, max_length=20000)
    signed_on: dt.date | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    is_published: bool | None = None
    parties: list[PartyInSchema] | None = PField(None, min_length=1, max_length=100)
    objectives: list[ObjectiveInSchema] | None = PField(None, max_length=50)


class StatusIn(Schema):
    version: int = PField(..., ge=1, le=MAX_SMALL_INT)
    status: Status
    on: dt.date | None = None
    reason: str = PField("", max_length=500)


class ResultInSchema(Schema):
    objective_id: int = PField(..., ge=1, le=2**63 - 1)
    actual: Amount = PField(..., ge=0, lt=Decimal(10) ** 15, max_digits=18, decimal_places=3)
    note: str = PField("", max_length=300)


class ActivityIn(Schema):
    programme_id: int = PField(..., ge=1, le=2**63 - 1)
    kind: ActivityKindName
    title: str = PField(..., min_length=1, max_length=300)
    start_on: dt.date
    end_on: dt.date
    place: str = PField(..., min_length=1, max_length=40, description="Unit key, resolved on start_on")
    participants: list[str] = PField(default_factory=list, max_length=100,
                                     description="Party keys of the programme (unit:<id>, ministry:<id>, org:<id>)")
    results: list[ResultInSchema] = PField(default_factory=list, max_length=50)
    description: str = PField("", max_length=20000)


class ActivityPatch(Schema):
    """The whole activity as edited (fields, participants and results replace the stored ones)."""

    version: int = PField(..., ge=1, le=MAX_SMALL_INT)
    kind: ActivityKindName
    title: str = PField(..., min_length=1, max_length=300)
    start_on: dt.date
    end_on: dt.date
    place: str = PField(..., min_length=1, max_length=40, description="Unit key, resolved on start_on")
    participants: list[str] = PField(default_factory=list, max_length=100)
    results: list[ResultInSchema] = PField(default_factory=list, max_length=50)
    description: str = PField("", max_length=20000)


class PartyOut(Schema):
    key: str
    kind: str
    name: str
    role: str
    unit_key: str | None = None
    now_part_of: list[str] = []


class ObjectiveOut(Schema):
    id: int
    title: str
    unit_of_measure: str
    target_value: Decimal
    actual: Decimal
    ratio: Decimal
    weight: Decimal
    weight_share: Decimal
    contribution: Decimal


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    on: dt.date
    reason: str


class ProgrammeOut(Schema):
    id: int
    title: str
    kind: str
    field: str
    status: str
    description: str
    signed_on: dt.date | None
    start_on: dt.date
    end_on: dt.date | None
    is_published: bool
    is_sample: bool
    version: int
    url: str
    can_edit: bool
    progress: Decimal | None
    parties: list[PartyOut]


class LibraryLinkOut(Schema):
    id: int
    number: str
    title: str
    url: str


class ProgrammeDetailOut(ProgrammeOut):
    objectives: list[ObjectiveOut]
    timeline: list[StatusChangeOut]
    documents: list[LibraryLinkOut] = PField(
        description="Library documents whose numbers the programme's documents (or description) write, that you may see"
    )


class ProgrammePageOut(Schema):
    count: int
    limit: int
    offset: int
    programmes: list[ProgrammeOut]


class ResultOut(Schema):
    objective_id: int
    actual: Decimal
    note: str


class ActivityOut(Schema):
    id: int
    programme_id: int
    programme_title: str
    kind: str
    title: str
    start_on: dt.date
    end_on: dt.date
    place: str
    place_key: str
    participants: list[str]
    results: list[ResultOut]
    is_sample: bool


class ActivityPageOut(Schema):
    count: int
    limit: int
    offset: int
    activities: list[ActivityOut]


class NodeOut(Schema):
    key: str
    kind: str
    code: str
    name: str
    member: bool
    degree: int
    weighted_degree: float
    betweenness: float
    eigenvector: float
    community: int | None
    rank: int | None


class EdgeOut(Schema):
    source: str
    target: str
    weight: float
    programmes: int
    activities: int


class HubsOut(Schema):
    revealed: list[str]
    proposed: list[str]
    proposed_source: str


class NetworkOut(Schema):
    date_from: str = PField(..., alias="from")
    to: str
    field: str | None
    published_only: bool
    data_version: int
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    hubs: HubsOut
    isolated: list[str]

    model_config = {"populate_by_name": True}
