"""Test factories for reporting: a small but realistic world (units across the 2025 merger, a catalogue,
data sets, users of every role). Plain functions — no ORM mocks, everything hits the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lienket.regions.models import AdminUnit, GroupMembership, UnitGroup
from lienket.reporting.models import (
    DataSet,
    DataSetElement,
    Disaggregation,
    DisaggregationOption,
    Indicator,
    ValidationRule,
)
from lienket.users.models import MinistryUnit, Role, User
from lienket.users.tests.factories import make_user

MERGER = dt.date(2025, 7, 1)
BEFORE = dt.date(2025, 6, 30)
PASSWORD = "Test-pass-2025!"


def unit(code: str, name: str, *, valid_from: dt.date | None = None, valid_to: dt.date | None = None) -> AdminUnit:
    obj, _ = AdminUnit.objects.get_or_create(
        code=code, valid_from=valid_from, defaults={"name": name, "valid_to": valid_to, "level": AdminUnit.Level.PROVINCE}
    )
    return obj


def user(username: str, role: str | None = None, *, unit: AdminUnit | None = None, **extra: Any) -> User:
    """A user of `role` for reporting tests, built by the suite's one user factory (users' `make_user`)."""
    scope: dict[str, Any] = {}
    if role == Role.MINISTRY_UNIT:
        scope["ministry_unit"], _ = MinistryUnit.objects.get_or_create(
            slug="vu-thi-truong-trong-nuoc", defaults={"name": "Vụ Thị trường trong nước"})
    elif role not in (None, Role.ADMIN):
        scope["unit"] = unit
    return make_user(username, role, password=PASSWORD, full_name=username, email=f"{username}@example.vn", **scope)


def indicator(code: str, name: str, uom: str, aggregation: str = "sum", time_aggregation: str = "sum", **extra: Any) -> Indicator:
    obj, _ = Indicator.objects.get_or_create(
        code=code,
        defaults={"name": name, "name_en": extra.pop("name_en", code), "unit_of_measure": uom,
                  "aggregation": aggregation, "time_aggregation": time_aggregation, **extra},
    )
    return obj


@dataclass
class World:
    hanoi: AdminUnit
    phutho_old: AdminUnit
    vinhphuc_old: AdminUnit
    phutho: AdminUnit  # new Phú Thọ from 1/7/2025
    north: UnitGroup
    monthly: DataSet
    half_year: DataSet
    indicators: dict[str, Indicator]
    users: dict[str, User] = field(default_factory=dict)


def catalogue() -> dict[str, Indicator]:
    market_class, _ = Disaggregation.objects.get_or_create(code="market-class", defaults={"name": "Hạng chợ", "name_en": "Market class"})
    for i, (code, name) in enumerate([("I", "Chợ hạng I"), ("II", "Chợ hạng II"), ("III", "Chợ hạng III")]):
        DisaggregationOption.objects.get_or_create(disaggregation=market_class, code=code, defaults={"name": name, "sort_order": i})
    inds = {
        "RETAIL": indicator("RETAIL", "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "tỷ đồng", decimals=1,
                            cumulative_ytd=True, min_value=Decimal(0)),
        "EXPORT": indicator("EXPORT", "Kim ngạch xuất khẩu", "triệu USD", decimals=1, min_value=Decimal(0)),
        "IIP": indicator("IIP", "Chỉ số sản xuất công nghiệp (so với cùng kỳ)", "%", aggregation="none",
                         time_aggregation="none", value_type="index", decimals=2, min_value=Decimal(0), max_value=Decimal(1000)),
        "CCN_AREA": indicator("CCN_AREA", "Diện tích cụm công nghiệp đã thành lập", "ha", time_aggregation="last", decimals=2, min_value=Decimal(0)),
        "CCN_OCCUPIED": indicator("CCN_OCCUPIED", "Diện tích cụm công nghiệp đã cho thuê", "ha", time_aggregation="last", decimals=2, min_value=Decimal(0)),
        "MARKETS": indicator("MARKETS", "Số chợ", "chợ", time_aggregation="last", value_type="integer", decimals=0,
                             min_value=Decimal(0), disaggregation=market_class),
    }
    inds["CCN_RATE"] = indicator(
        "CCN_RATE", "Tỷ lệ lấp đầy cụm công nghiệp", "%", aggregation="ratio", time_aggregation="last", value_type="percentage",
        numerator=inds["CCN_OCCUPIED"], denominator=inds["CCN_AREA"], ratio_factor=Decimal(100), decimals=1,
    )
    return inds


# The tests write periods from January 2024 on and run with the clock frozen at 10/4/2026 (the `clock` fixture):
# every such period is still editable then (202401 is due 20/1/2024 + 1000 days = 16/10/2026).
EDIT_DAYS = 1000


def dataset(code: str, period_type: str, group: UnitGroup, inds: list[Indicator], **extra: Any) -> DataSet:
    ds, created = DataSet.objects.get_or_create(
        code=code, defaults={"name": f"Báo cáo {code}", "name_en": f"Report {code}", "period_type": period_type,
                             "reporting_group": group, "edit_days_after_due": EDIT_DAYS, **extra},
    )
    if created:
        for i, ind in enumerate(inds):
            DataSetElement.objects.create(dataset=ds, indicator=ind, sort_order=i)
    return ds


def world(*, with_users: bool = True) -> World:
    hanoi = unit("01", "Hà Nội")
    phutho_old = unit("25", "Phú Thọ", valid_to=BEFORE)
    vinhphuc_old = unit("26", "Vĩnh Phúc", valid_to=BEFORE)
    phutho = unit("25", "Phú Thọ", valid_from=MERGER)
    north, _ = UnitGroup.objects.get_or_create(key="north", defaults={"name": "Khu vực phía Bắc", "purpose": "conference"})
    for u, vf, vt in [(hanoi, None, None), (phutho_old, None, BEFORE), (vinhphuc_old, None, BEFORE), (phutho, MERGER, None)]:
        GroupMembership.objects.get_or_create(group=north, unit=u, valid_from=vf, defaults={"valid_to": vt})
    inds = catalogue()
    monthly = dataset("BC-THANG", "month", north, [inds["RETAIL"], inds["EXPORT"], inds["IIP"]])
    half = dataset("BC-6THANG", "half_year", north, [inds["RETAIL"], inds["EXPORT"], inds["CCN_AREA"], inds["CCN_OCCUPIED"], inds["MARKETS"]])
    ValidationRule.objects.get_or_create(
        code="CCN_OCC_LE_AREA", defaults={"name": "Diện tích đã cho thuê ≤ diện tích đã thành lập",
                                          "expression": "CCN_OCCUPIED <= CCN_AREA", "severity": "error",
                                          "message": "Diện tích đã cho thuê không được lớn hơn diện tích cụm công nghiệp"},
    )
    w = World(hanoi, phutho_old, vinhphuc_old, phutho, north, monthly, half, inds)
    if with_users:
        w.users = {
            "hanoi_officer": user("hanoi_officer", Role.PROVINCE_OFFICER, unit=hanoi),
            "hanoi_director": user("hanoi_director", Role.PROVINCE_DIRECTOR, unit=hanoi),
            "phutho_officer": user("phutho_officer", Role.PROVINCE_OFFICER, unit=phutho),
            "phutho_director": user("phutho_director", Role.PROVINCE_DIRECTOR, unit=phutho),
            "coordinator": user("coordinator", Role.MINISTRY_COORDINATOR),
            "ministry_unit": user("ministry_unit", Role.MINISTRY_UNIT),
            "admin": user("admin", Role.ADMIN),
        }
    return w
