"""The engine against hand-computed figures: every aggregation rule, YTD, partial totals, the merger roll-up,
"not comparable", year-on-year across the boundary change, threshold counts, derived measures, visibility."""

from decimal import Decimal

import pytest

from lienket.analytics.query import Query, query_parse
from lienket.analytics.selectors import analytics_table
from lienket.reporting.models import Target
from lienket.reporting.periods import parse_period

Q2 = Decimal("0.01")


def cells(table):
    """{(row key, column key): Cell}"""
    return {(r.key, c.key): cell for r in table.rows for c, cell in zip(table.columns, r.cells, strict=True)}


def run(w, user=None, **params):
    return cells(analytics_table(user=user or w.users["coordinator"], query=query_parse(params)))


def export_2024_01(w):
    w.put(w.hanoi, "202401", EXPORT=100)
    w.put(w.phutho_old, "202401", EXPORT=20)
    w.put(w.vinhphuc_old, "202401", EXPORT=30)


@pytest.mark.django_db
def test_sum_is_the_sum_of_members_and_complete(w):
    export_2024_01(w)
    got = run(w, indicator="EXPORT", period="202401")
    total = got[("north", "EXPORT||202401")]
    assert (total.value, total.status, total.present, total.expected) == (Decimal(150), "ok", 3, 3)
    assert sorted(total.units) == ["Hà Nội", "Phú Thọ", "Vĩnh Phúc"]
    assert total.missing == []
    assert "tổng" in total.rule


@pytest.mark.django_db
def test_a_total_with_a_missing_member_is_partial_and_names_it(w):
    w.put(w.hanoi, "202401", EXPORT=100)
    w.put(w.phutho_old, "202401", EXPORT=20)
    total = run(w, indicator="EXPORT", period="202401")[("north", "EXPORT||202401")]
    assert (total.value, total.status, total.partial_label[:4], total.missing) == (Decimal(120), "partial", "2/3 ", ["Vĩnh Phúc"])


@pytest.mark.django_db
def test_ratio_is_recomputed_from_summed_parts_never_averaged(w):
    # occupied / area: HN 50/100, PT 10/40, VP 30/60 → Σ 90 / Σ 200 × 100 = 45 (the mean of 50, 25, 50 would be 41,67)
    for u, occ, area in ((w.hanoi, 50, 100), (w.phutho_old, 10, 40), (w.vinhphuc_old, 30, 60)):
        w.put(u, "2024S1", dataset=w.half_year, CCN_OCCUPIED=occ, CCN_AREA=area)
    got = run(w, indicator="CCN_RATE", period="2024S1")
    assert got[("north", "CCN_RATE||2024S1")].value == Decimal(45)
    assert got[("01", "CCN_RATE||2024S1")].value == Decimal(50)


@pytest.mark.django_db
def test_weighted_average_uses_the_weight_indicator_of_the_same_unit_and_period(w):
    # (10 × 1000 + 6 × 500 + 8 × 500) ÷ 2000 = 8,5
    for u, wage, workers in ((w.hanoi, 10, 1000), (w.phutho_old, 6, 500), (w.vinhphuc_old, 8, 500)):
        w.put(u, "202401", WAGE=wage, WORKERS=workers)
    assert run(w, indicator="WAGE", period="202401")[("north", "WAGE||202401")].value == Decimal("8.5")


@pytest.mark.django_db
def test_stock_takes_the_last_value_of_the_period(w):
    for code, v in (("202401", 100), ("202402", 110), ("202403", 120)):
        w.put(w.hanoi, code, CCN_AREA=v)
    assert run(w, indicator="CCN_AREA", period="2024Q1", unit="01")[("01", "CCN_AREA||2024Q1")].value == Decimal(120)


@pytest.mark.django_db
def test_an_index_is_shown_per_unit_and_refused_as_a_total(w):
    w.put(w.hanoi, "202401", IIP="105.5")
    w.put(w.phutho_old, "202401", IIP="98")
    w.put(w.vinhphuc_old, "202401", IIP="110")
    got = run(w, indicator="IIP", period="202401")
    total = got[("north", "IIP||202401")]
    assert (total.value, total.status) == (None, "refused")
    assert any("index without weights" in n or "chỉ số" in n.lower() for n in total.notes)
    assert got[("01", "IIP||202401")].value == Decimal("105.5")


@pytest.mark.django_db
def test_ytd_of_a_cumulative_indicator_is_its_latest_value_and_of_a_monthly_one_the_sum(w):
    for code, retail, export in (("202401", 1000, 100), ("202402", 2100, 110), ("202403", 3300, 120)):
        w.put(w.hanoi, code, RETAIL=retail, EXPORT=export)
    got = run(w, indicator="RETAIL,EXPORT", period="202403", unit="01", measure="ytd")
    assert got[("01", "RETAIL||202403")].value == Decimal(3300)  # never 1000 + 2100 + 3300
    assert got[("01", "EXPORT||202403")].value == Decimal(330)
    q1 = run(w, indicator="RETAIL,EXPORT", period="2024Q1", unit="01")
    assert (q1[("01", "RETAIL||2024Q1")].value, q1[("01", "EXPORT||2024Q1")].value) == (Decimal(3300), Decimal(330))


@pytest.mark.django_db
def test_a_new_unit_before_the_merger_is_the_sum_of_its_predecessors_ratios_from_parts(w):
    export_2024_01(w)
    for u, occ, area in ((w.phutho_old, 10, 40), (w.vinhphuc_old, 30, 60)):
        w.put(u, "2024S1", dataset=w.half_year, CCN_OCCUPIED=occ, CCN_AREA=area)
    got = run(w, indicator="EXPORT", period="202401", unit="25@2025-07-01")
    cell = got[("25@2025-07-01", "EXPORT||202401")]
    assert (cell.value, cell.derived) == (Decimal(50), True)
    assert any("Vĩnh Phúc" in n for n in cell.notes)
    rate = run(w, indicator="CCN_RATE", period="2024S1", unit="25@2025-07-01")[("25@2025-07-01", "CCN_RATE||2024S1")]
    assert rate.value == Decimal(40)  # (10 + 30) ÷ (40 + 60) × 100


@pytest.mark.django_db
def test_an_old_unit_after_the_merger_is_not_comparable(w):
    w.put(w.phutho, "202601", EXPORT=60)
    q = Query([w.indicators["EXPORT"]], [parse_period("202601")], units=[w.vinhphuc_old])
    cell = cells(analytics_table(user=w.users["coordinator"], query=q))[("26", "EXPORT||202601")]
    assert (cell.value, cell.status) == (None, "not_comparable")


@pytest.mark.django_db
def test_year_on_year_across_the_boundary_change(w):
    # 2025-01: HN 100, PT 20, VP 30 (28-unit group) ; 2026-01: HN 120, new PT 60 (18-unit group)
    w.put(w.hanoi, "202501", EXPORT=100)
    w.put(w.phutho_old, "202501", EXPORT=20)
    w.put(w.vinhphuc_old, "202501", EXPORT=30)
    w.put(w.hanoi, "202601", EXPORT=120)
    w.put(w.phutho, "202601", EXPORT=60)
    got = run(w, indicator="EXPORT", period="202601", measure="yoy")
    assert got[("25@2025-07-01", "EXPORT||202601")].value == Decimal(20)  # 60 ÷ (20 + 30) − 1
    assert got[("25@2025-07-01", "EXPORT||202601")].derived is True
    assert got[("north", "EXPORT||202601")].value == Decimal(20)  # 180 ÷ 150 − 1
    assert run(w, indicator="EXPORT", period="202601", measure="yoy_abs")[("north", "EXPORT||202601")].value == Decimal(30)


@pytest.mark.django_db
def test_group_membership_is_taken_at_the_periods_date(w):
    export_2024_01(w)
    w.put(w.hanoi, "202601", EXPORT=120)
    got = run(w, indicator="EXPORT", period="202401,202601")
    assert got[("north", "EXPORT||202401")].expected == 3
    assert got[("north", "EXPORT||202601")].expected == 2
    assert got[("north", "EXPORT||202601")].missing == ["Phú Thọ"]


@pytest.mark.django_db
def test_threshold_counts_against_a_number_and_the_groups_rate(w):
    w.put(w.hanoi, "202401", IIP="105")
    w.put(w.phutho_old, "202401", IIP="99")
    w.put(w.vinhphuc_old, "202401", IIP="112")
    total = run(w, indicator="IIP", period="202401", measure="count_above", threshold="100")[("north", "IIP||202401")]
    assert (total.value, sorted(total.units)) == (Decimal(2), ["Hà Nội", "Vĩnh Phúc"])
    for u, occ, area in ((w.hanoi, 50, 100), (w.phutho_old, 10, 40), (w.vinhphuc_old, 30, 60)):
        w.put(u, "2024S1", dataset=w.half_year, CCN_OCCUPIED=occ, CCN_AREA=area)
    above = run(w, indicator="CCN_RATE", period="2024S1", measure="count_above", threshold="group")
    assert above[("north", "CCN_RATE||2024S1")].value == Decimal(2)  # 50 and 50 above the group's 45


@pytest.mark.django_db
def test_share_rank_plan_and_per_km2(w):
    export_2024_01(w)
    for code, v in (("202402", 110), ("202403", 120)):
        w.put(w.hanoi, code, EXPORT=v)
    Target.objects.create(indicator=w.indicators["EXPORT"], unit=w.hanoi, year=2024, value=Decimal(1000))
    assert run(w, indicator="EXPORT", period="202401", measure="share")[("01", "EXPORT||202401")].value.quantize(Q2) == Decimal("66.67")
    ranks = run(w, indicator="EXPORT", period="202401", measure="rank")
    assert [ranks[(k, "EXPORT||202401")].value for k in ("01", "26", "25")] == [1, 2, 3]
    assert run(w, indicator="EXPORT", period="202403", unit="01", measure="plan_pct")[("01", "EXPORT||202403")].value == Decimal(33)
    km2 = run(w, indicator="EXPORT", period="202401", unit="01", measure="per_km2")[("01", "EXPORT||202401")]
    assert km2.value.quantize(Decimal("0.000001")) == Decimal("0.029762")  # 100 ÷ 3 360 km²
    assert any("2024" in n for n in km2.notes)


@pytest.mark.django_db
def test_subregions_and_the_group_are_never_mixed(w):
    export_2024_01(w)
    got = run(w, indicator="EXPORT", period="202401", by="subregion")
    assert got[("DBSH", "EXPORT||202401")].value == Decimal(130)  # HN + VP
    assert got[("TDMNPB", "EXPORT||202401")].value == Decimal(20)
    assert got[("north", "EXPORT||202401")].value == Decimal(150)


@pytest.mark.django_db
def test_visibility_ministry_sees_accepted_only_a_province_its_own_marked(w):
    w.put(w.hanoi, "202401", status="submitted", EXPORT=100)
    w.put(w.phutho_old, "202401", EXPORT=20)
    w.put(w.vinhphuc_old, "202401", EXPORT=30)
    ministry = run(w, indicator="EXPORT", period="202401")
    assert ministry[("north", "EXPORT||202401")].value == Decimal(50)
    assert ministry[("north", "EXPORT||202401")].missing == ["Hà Nội"]
    own = run(w, w.users["hanoi_officer"], indicator="EXPORT", period="202401")
    assert own[("01", "EXPORT||202401")].value == Decimal(100)
    assert own[("01", "EXPORT||202401")].unaccepted
    assert own[("north", "EXPORT||202401")].unaccepted
    other = run(w, w.users["phutho_officer"], indicator="EXPORT", period="202401")
    assert other[("01", "EXPORT||202401")].value is None


@pytest.mark.django_db
def test_bad_parameters_name_the_parameter(w):
    from lienket.core.errors import ApplicationError

    for params, name in (({"period": "202401"}, "indicator"), ({"indicator": "NOPE", "period": "202401"}, "indicator"),
                         ({"indicator": "EXPORT", "period": "2024x"}, "period"),
                         ({"indicator": "EXPORT", "period": "202401", "by": "x"}, "by"),
                         ({"indicator": "EXPORT", "period": "202401", "measure": "count_above"}, "threshold"),
                         ({"indicator": "EXPORT", "period": "202401", "group": "nope"}, "group")):
        with pytest.raises(ApplicationError) as exc:
            query_parse(params)
        assert exc.value.status == 400
        assert exc.value.details == {"parameter": name}


@pytest.mark.django_db
def test_a_period_range_expands(w):
    q = query_parse({"indicator": "EXPORT", "period": "202411..202502"})
    assert [p.code for p in q.periods] == ["202411", "202412", "202501", "202502"]


@pytest.mark.django_db
def test_an_accepted_value_shows_at_once_although_published_figures_are_cached(w):
    from lienket.reporting.services import submission_transition

    w.put(w.phutho_old, "202401", EXPORT=20)
    w.put(w.vinhphuc_old, "202401", EXPORT=30)
    sub = w.put(w.hanoi, "202401", status="approved", EXPORT=100)
    assert run(w, indicator="EXPORT", period="202401")[("north", "EXPORT||202401")].value == Decimal(50)  # now cached
    submission_transition(submission=sub, actor=w.users["coordinator"], action="accept")
    assert run(w, indicator="EXPORT", period="202401")[("north", "EXPORT||202401")].value == Decimal(150)
    submission_transition(submission=sub, actor=w.users["coordinator"], action="reopen", reason="sửa số")
    assert run(w, indicator="EXPORT", period="202401")[("north", "EXPORT||202401")].value == Decimal(50)
