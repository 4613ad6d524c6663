"""Value types passed from forms and the API to the services (pure; no database)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PartyIn:
    """`ref`: `unit:<unit key>` (resolved on the programme's start date: `24` is Bắc Giang in 2024 and Bắc Ninh
    from 1/7/2025; `24@2025-07-01` names the new Bắc Ninh), `ministry:<slug>` or `org:<slug>`."""

    ref: str
    role: str = "member"


@dataclass(frozen=True)
class ObjectiveIn:
    title: str
    unit_of_measure: str
    target_value: Decimal
    weight: Decimal = Decimal(1)
    id: int | None = None  # an existing objective (update)


@dataclass(frozen=True)
class DocumentIn:
    title: str
    url: str = ""
    issued_on: str = ""


@dataclass(frozen=True)
class ResultIn:
    objective_id: int
    actual: Decimal
    note: str = ""
