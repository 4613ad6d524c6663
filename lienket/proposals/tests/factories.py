"""A small proposals world on top of reporting's: Hà Nội and (new) Phú Thọ with their officers and directors,
the coordinator, two Ministry units with one person each, a secretariat, the admin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lienket.proposals import services
from lienket.proposals.models import Proposal
from lienket.reporting.tests.factories import world
from lienket.users.models import MinistryUnit, Role, User
from lienket.users.tests.factories import make_user


@dataclass
class PWorld:
    hanoi: Any
    phutho: Any
    market: MinistryUnit  # Vụ Thị trường trong nước
    local: MinistryUnit  # Cục Công Thương địa phương
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def pworld() -> PWorld:
    w = world()
    market = MinistryUnit.objects.get(slug="vu-thi-truong-trong-nuoc")
    local, _ = MinistryUnit.objects.get_or_create(slug="cuc-cong-thuong-dia-phuong", defaults={"name": "Cục Công Thương địa phương"})
    users = {
        "officer": w.users["hanoi_officer"], "director": w.users["hanoi_director"],
        "other_officer": w.users["phutho_officer"], "other_director": w.users["phutho_director"],
        "coordinator": w.users["coordinator"], "market_staff": w.users["ministry_unit"],
        "local_staff": make_user("local_staff", Role.MINISTRY_UNIT, ministry_unit=local, email="local@example.vn"),
        "admin": w.users["admin"],
    }
    return PWorld(w.hanoi, w.phutho, market, local, users)


def draft(pw: PWorld, *, title: str = "Hỗ trợ vốn nâng cấp chợ biên giới", unit: Any = None, actor: Any = None,
          **extra: Any) -> Proposal:
    unit = unit or pw.hanoi
    return services.proposal_create(
        actor=actor or pw.officer, title=title, body=extra.pop("body", "Đề nghị Bộ hỗ trợ vốn nâng cấp chợ."),
        field=extra.pop("field", "border_trade"), kind=extra.pop("kind", "funding"), unit=unit, **extra,
    )


def advance(pw: PWorld, p: Proposal, to: str, *, deadline: dt.date | None = None, lead: Any = None,
            co_units: tuple[Any, ...] = ()) -> Proposal:
    """Move a draft along the happy path up to `to` (submitted, received, assigned, answered, closed)."""
    steps = [("submitted", "submit", pw.director if p.submitting_unit_id == pw.hanoi.pk else pw.other_director),
             ("received", "receive", pw.coordinator), ("assigned", "assign", pw.coordinator),
             ("answered", "answer", None), ("closed", "accept", pw.director if p.submitting_unit_id == pw.hanoi.pk else pw.other_director)]
    for status, action, actor in steps:
        kwargs: dict[str, Any] = {}
        if action == "assign":
            kwargs = {"lead_unit": lead or pw.market, "deadline": deadline, "co_units": co_units}
        if action == "answer":
            actor = pw.market_staff if p.lead_unit_id == pw.market.pk else pw.local_staff
            kwargs = {"answer": "Bộ đã bố trí vốn trong kế hoạch năm sau."}
        p = services.proposal_transition(proposal=p, actor=actor, action=action, expected_version=p.version, **kwargs)
        if status == to:
            return p
    return p
