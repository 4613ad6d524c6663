"""A small cooperation world on the real reference data (units, Ministry units, the shared organisations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lienket.regions.models import AdminUnit
from lienket.users.models import MinistryUnit, Role, User
from lienket.users.tests.factories import make_user

from ..models import Programme
from ..services import activity_create, programme_create
from ..values import ObjectiveIn, PartyIn, ResultIn


@dataclass
class CoopWorld:
    hanoi: AdminUnit
    nghean: AdminUnit
    bacninh: AdminUnit  # from 1/7/2025 (Bắc Giang + old Bắc Ninh)
    bacgiang: AdminUnit  # until 30/6/2025
    phutho: AdminUnit  # from 1/7/2025
    market: MinistryUnit
    users: dict[str, User]


def unit(key: str) -> AdminUnit:
    code, _sep, start = key.partition("@")
    if start:
        return AdminUnit.objects.get(code=code, valid_from=dt.date.fromisoformat(start))
    return AdminUnit.objects.get(code=code, valid_from__isnull=True)


def coop_world() -> CoopWorld:
    hanoi, nghean = unit("01"), unit("40")
    bacninh, bacgiang, phutho = unit("24@2025-07-01"), unit("24"), unit("25@2025-07-01")
    market = MinistryUnit.objects.get(slug="vu-thi-truong-trong-nuoc")
    users = {
        "hanoi": make_user("hn.officer", Role.PROVINCE_OFFICER, unit=hanoi),
        "bacninh": make_user("bn.officer", Role.PROVINCE_OFFICER, unit=bacninh),
        "phutho": make_user("pt.officer", Role.PROVINCE_OFFICER, unit=phutho),
        "coordinator": make_user("coordinator", Role.MINISTRY_COORDINATOR),
        "ministry": make_user("market.officer", Role.MINISTRY_UNIT, ministry_unit=market),
    }
    return CoopWorld(hanoi, nghean, bacninh, bacgiang, phutho, market, users)


def programme(actor: Any, *, parties: list[tuple[str, str]], start: dt.date = dt.date(2026, 1, 1),
              end: dt.date | None = dt.date(2026, 12, 31), published: bool = True,
              objectives: list[tuple[str, str, str, str]] | None = None, title: str = "Tuần hàng liên kết") -> Programme:
    return programme_create(
        actor=actor, title=title, kind="bilateral", field="trade_promotion", start_on=start, end_on=end,
        parties=[PartyIn(ref, role) for ref, role in parties], is_published=published,
        objectives=[ObjectiveIn(t, u, Decimal(target), Decimal(w)) for t, u, target, w in objectives or []],
    )


def activity(actor: Any, prog: Programme, *, place: str, start: dt.date, end: dt.date | None = None,
             results: dict[int, str] | None = None, participants: list[str] | None = None, title: str = "Hội chợ"):
    return activity_create(
        actor=actor, programme_id=prog.pk, kind="fair", title=title, start_on=start, end_on=end or start, place=place,
        participants=participants if participants is not None else [p.key for p in prog.parties.all()],
        results=[ResultIn(k, Decimal(v)) for k, v in (results or {}).items()],
    )
