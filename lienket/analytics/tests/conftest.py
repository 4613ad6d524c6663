"""A small analytics world on top of reporting's: Hà Nội, old Phú Thọ + Vĩnh Phúc → new Phú Thọ (1/7/2025),
a sub-region, stored values written straight into the tables with the status each test needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lienket.regions.models import AdminUnit, GroupMembership, UnitGroup, UnitStat, UnitSuccession
from lienket.reporting.aggregates import rollup_submission
from lienket.reporting.models import DataSet, DataValue, Indicator, Period, Submission
from lienket.reporting.tests.factories import MERGER, World, indicator, world


class Put:
    def __init__(self, w: World) -> None:
        self.w = w
        self.coordinator = w.users["coordinator"]

    def __call__(self, unit: AdminUnit, code: str, status: str = "accepted", option: Any = None,
                 dataset: DataSet | None = None, **values: Any) -> Submission:
        period = Period.for_code(code)
        ds = dataset or self.w.monthly
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        actor = self.coordinator
        extra: dict[str, Any] = {}
        if status in ("submitted", "approved", "accepted"):
            extra.update(submitted_at=now, submitted_by=actor)
        if status in ("approved", "accepted"):
            extra.update(approved_at=now, approved_by=actor)
        if status == "accepted":
            extra.update(accepted_at=now, accepted_by=actor)
        sub, _ = Submission.objects.get_or_create(dataset=ds, unit=unit, period=period, defaults={"status": status, **extra})
        for code_, value in values.items():
            ind = Indicator.objects.get(code=code_)
            DataValue.objects.create(submission=sub, unit=unit, period=period, indicator=ind, option=option,
                                     value=Decimal(str(value)))
        rollup_submission(sub.pk)  # written around the workflow: keep the published-figures table in line
        return sub


@pytest.fixture
def w(db, clock) -> World:
    w = world()
    # the shares of the 2025 merger: both former provinces wholly into the new Phú Thọ
    for old in (w.phutho_old, w.vinhphuc_old):
        UnitSuccession.objects.get_or_create(predecessor=old, successor=w.phutho, defaults={"effective": MERGER, "share": 1})
    sub, _ = UnitGroup.objects.get_or_create(key="DBSH", defaults={"name": "Đồng bằng sông Hồng", "purpose": "subregion",
                                                                    "parent": w.north})
    for u in (w.hanoi, w.vinhphuc_old):
        GroupMembership.objects.get_or_create(group=sub, unit=u, valid_from=None, defaults={"valid_to": u.valid_to})
    mn, _ = UnitGroup.objects.get_or_create(key="TDMNPB", defaults={"name": "Trung du và miền núi phía Bắc",
                                                                     "purpose": "subregion", "parent": w.north})
    GroupMembership.objects.get_or_create(group=mn, unit=w.phutho_old, valid_from=None, defaults={"valid_to": w.phutho_old.valid_to})
    GroupMembership.objects.get_or_create(group=mn, unit=w.phutho, valid_from=MERGER)
    w.indicators["WAGE"] = indicator("WAGE", "Thu nhập bình quân", "triệu đồng", aggregation="weighted_average",
                                     weight_indicator=indicator("WORKERS", "Số lao động", "người", decimals=0), decimals=2)
    w.indicators["WORKERS"] = Indicator.objects.get(code="WORKERS")
    for u, pop, area in ((w.hanoi, "8500", "3360"), (w.phutho_old, "1500", "3535"), (w.vinhphuc_old, "1200", "1236")):
        UnitStat.objects.create(unit=u, year=2024, measure="population_thousand", value=Decimal(pop), source="GSO")
        UnitStat.objects.create(unit=u, year=2024, measure="area_km2", value=Decimal(area), source="GSO")
    w.put = Put(w)  # type: ignore[attr-defined]
    w.subregion = sub  # type: ignore[attr-defined]
    return w


def api_get(client: Any, **params: Any) -> Any:
    return client.get("/api/v1/analytics", params)
