"""bench/analytics.py's hand-written SQL (the floor the pivot is measured against) runs on the engine under test and
gives the engine's numbers — also when every value is a whole number (SQLite stores those as integers, and its
integer ÷ integer would truncate the ratio). bench/national.py picks its default scale by engine."""

from __future__ import annotations

from decimal import Decimal

from bench import analytics, national
from lienket.reporting.models import DataSetElement
from lienket.reporting.tests.factories import indicator


def test_the_floor_sql_agrees_with_the_engine_on_whole_numbers(w):
    num = indicator("NATL_0001", "Tử số", "tỷ đồng", decimals=1)
    den = indicator("NATL_0002", "Mẫu số", "tỷ đồng", decimals=1)
    for k, ind in enumerate((num, den), 10):
        DataSetElement.objects.get_or_create(dataset=w.monthly, indicator=ind, defaults={"sort_order": k})
    for m in range(1, 13):
        for unit, n, d in ((w.hanoi, 7, 2), (w.vinhphuc_old, 7, 2), (w.phutho_old, 5, 3)):
            w.put(unit, f"2024{m:02d}", NATL_0001=n, NATL_0002=d)
    num, den, _ratio = analytics._ratio_indicator()
    groups = {"DBSH": w.subregion.pk, "TDMNPB": w.subregion.parent.children.get(key="TDMNPB").pk}
    periods = [f"2024{m:02d}" for m in range(1, 13)]
    coordinator = w.users["coordinator"]
    cases = analytics._floor_cases(num, den, groups, periods)
    assert [code for _name, code, _sql, _params in cases] == ["NATL_0001", analytics.RATIO_CODE]
    for _name, code, sql, params in cases:
        floor = analytics._floor(sql, params)()
        assert len(floor) == 24  # 2 sub-regions × 12 months
        for how in ("totals", "units", "cached"):  # the groups' stored sums, the units' values, as served
            table = analytics._pivot(coordinator, code, "202401..202412", how=how)()
            assert analytics._same(table, floor, groups) == "same (24 cells)", how
    ratio = analytics._floor(cases[1][2], cases[1][3])()
    assert Decimal(ratio[(groups["DBSH"], "202401")]) == Decimal(350)  # 14 ÷ 4 × 100, not 3 × 100


def test_national_default_scale_by_engine():
    assert national.default_scale(national.DEFAULT_URL) == 1.0
    assert national.default_scale(national.SQLITE_URL) == national.SQLITE_SCALE
    assert national._indicator_count(national.SQLITE_SCALE) == 26  # × 5 values × 3 852 unit-months = 500 760
