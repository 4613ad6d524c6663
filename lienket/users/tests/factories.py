"""Test data built directly with the ORM (no dependency on the reference loader)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lienket.conferences.models import Conference, ConferenceSeries
from lienket.regions.models import AdminUnit
from lienket.users.models import Membership, MinistryUnit, Role, User

PASSWORD = "Đúng-mật-khẩu-2025"
MERGER = dt.date(2025, 7, 1)
LAST_DAY = dt.date(2025, 6, 30)


@dataclass
class Reference:
    hanoi: AdminUnit
    yenbai: AdminUnit
    laocai: AdminUnit
    hagiang: AdminUnit
    phutho_old: AdminUnit
    phutho: AdminUnit
    tuyenquang_old: AdminUnit
    tuyenquang: AdminUnit
    region: AdminUnit
    market: MinistryUnit
    coordinating: MinistryUnit
    conference: Conference


def make_reference() -> Reference:
    units: dict[str, Any] = {
        "hanoi": AdminUnit.objects.create(code="01", name="Hà Nội", is_city=True),
        "yenbai": AdminUnit.objects.create(code="15", name="Yên Bái", valid_to=LAST_DAY),
        "laocai": AdminUnit.objects.create(code="15", name="Lào Cai", valid_from=MERGER),
        "hagiang": AdminUnit.objects.create(code="02", name="Hà Giang", valid_to=LAST_DAY),
        "phutho_old": AdminUnit.objects.create(code="25", name="Phú Thọ", valid_to=LAST_DAY),
        "phutho": AdminUnit.objects.create(code="25", name="Phú Thọ", valid_from=MERGER),
        "tuyenquang_old": AdminUnit.objects.create(code="08", name="Tuyên Quang", valid_to=LAST_DAY),
        "tuyenquang": AdminUnit.objects.create(code="08", name="Tuyên Quang", valid_from=MERGER),
        "region": AdminUnit.objects.create(code="R-DBSH", name="Đồng bằng sông Hồng", level=AdminUnit.Level.REGION),
    }
    market = MinistryUnit.objects.create(slug="vu-thi-truong-trong-nuoc", name="Vụ Thị trường trong nước")
    coordinating = MinistryUnit.objects.create(
        slug="cuc-cong-thuong-dia-phuong", name="Cục Công Thương địa phương", is_coordinator=True
    )
    series = ConferenceSeries.objects.create(key="north", name="Hội nghị hợp tác phát triển Công Thương các tỉnh phía Bắc")
    conference = Conference.objects.create(
        series=series, ordinal=11, year=2025, title="Hội nghị lần thứ XI", confidence=Conference.Confidence.CONFIRMED
    )
    return Reference(**units, market=market, coordinating=coordinating, conference=conference)


def make_user(
    username: str, role: Role | str | None = None, *, password: str = PASSWORD, full_name: str | None = None,
    email: str = "", **scope: Any,
) -> User:
    """The one user factory of the test suite: a user, and a membership of `role` with its `scope` (unit=,
    ministry_unit=, conference=); admins are staff and superusers. Other apps' factories build on it."""
    user = User.objects.create_user(
        username=username, password=password, full_name=username.title() if full_name is None else full_name, email=email,
    )
    if role is not None:
        Membership.objects.create(user=user, role=role, **scope)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    return user
