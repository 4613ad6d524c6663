"""The entry form's read-model: previous period, same period last year (summed over the former provinces for a
merged unit), % change, plan target and % of plan — with hand-computed expected values — and that another unit's
numbers are shown only to those allowed to see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lienket.regions.models import UnitSuccession
from lienket.reporting.entry import entry_form, entry_rows, input_number
from lienket.reporting.models import Submission, Target
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.values import ValueItem
from lienket.users.models import Role

from . import factories
from . import test_views_support as support


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path):
    support.use_vietnamese_catalogue(settings, tmp_path)


def put(actor, unit, period, **values):
    """Write values through the one write path; `MARKETS__I=2` is option I of MARKETS."""
    items = []
    for key, value in values.items():
        code, _sep, option = key.partition("__")
        items.append(ValueItem(unit=unit, period=period, indicator=code, option=option or None, value=value))
    datavalues_apply(actor=actor, items=items, source="form")


def by_key(rows):
    return {r.key: r for r in rows}


def accept(w, submission, director, officer):
    submission = submission_transition(submission=submission, actor=officer, action="submit")
    submission = submission_transition(submission=submission, actor=director, action="approve")
    return submission_transition(submission=submission, actor=w.users["coordinator"], action="accept")


def test_rows_show_previous_period_last_year_change_and_plan(w):
    # Given Hà Nội's values for March 2026, February 2026, January 2026 and March 2025, and 2026 targets
    officer = w.users["hanoi_officer"]
    put(officer, "01", "202503", RETAIL=1200, IIP=0)
    put(officer, "01", "202601", EXPORT=100)
    put(officer, "01", "202602", RETAIL=1000, EXPORT=120, IIP="103,2")
    put(officer, "01", "202603", RETAIL=1500, EXPORT=150, IIP="105,5")
    Target.objects.create(indicator=w.indicators["RETAIL"], unit=w.hanoi, year=2026, value=Decimal(6000))
    Target.objects.create(indicator=w.indicators["EXPORT"], unit=w.hanoi, year=2026, value=Decimal(1000))
    submission = Submission.objects.get(period__code="202603")

    # When the officer opens the March 2026 form
    rows = by_key(entry_rows(submission=submission, user=officer, lang="vi"))

    # Then RETAIL (cumulative): +50.0 % on February (1500/1000), +25.0 % on March 2025 (1500/1200), 25.0 % of 6000
    retail = rows["RETAIL"]
    assert (retail.value, retail.previous, retail.last_year) == (Decimal(1500), Decimal(1000), Decimal(1200))
    assert retail.change_previous_pct == Decimal("50.0")
    assert retail.change_last_year_pct == Decimal("25.0")
    assert (retail.target, retail.achieved, retail.plan_pct) == (Decimal(6000), Decimal(1500), Decimal("25.0"))
    assert "lũy kế" in retail.plan_basis or "Cumulative" in retail.plan_basis
    # EXPORT (monthly, not cumulative): year to date 100 + 120 + 150 = 370 of 1000 = 37.0 %; +25.0 % on February;
    # nothing last year → no change
    export = rows["EXPORT"]
    assert export.change_previous_pct == Decimal("25.0")
    assert export.last_year is None
    assert export.change_last_year_pct is None
    assert (export.achieved, export.plan_pct) == (Decimal(370), Decimal("37.0"))
    assert "3" in export.plan_basis
    # IIP: (105.5 − 103.2) ÷ 103.2 = 2.2287 % → 2.2; last year's 0 is no base for a % change; no target
    iip = rows["IIP"]
    assert iip.change_previous_pct == Decimal("2.2")
    assert iip.last_year == Decimal(0)
    assert iip.change_last_year_pct is None
    assert iip.plan_pct is None
    # and the rows come in the data set's order with what the form needs
    assert list(rows) == ["RETAIL", "EXPORT", "IIP"]
    assert (retail.version, retail.uom, retail.decimals, retail.input_value) == (1, "tỷ đồng", 1, "1500")


def test_year_to_date_sum_counts_only_months_up_to_the_period(w):
    officer = w.users["hanoi_officer"]
    put(officer, "01", "202601", EXPORT=10)
    put(officer, "01", "202602", EXPORT=20)
    put(officer, "01", "202604", EXPORT=999)  # after the period: not part of its year to date
    Target.objects.create(indicator=w.indicators["EXPORT"], unit=w.hanoi, year=2026, value=Decimal(200))
    submission = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202602", actor=officer)

    export = by_key(entry_rows(submission=submission, user=officer, lang="vi"))["EXPORT"]

    assert (export.achieved, export.plan_pct) == (Decimal(30), Decimal("15.0"))


def test_merged_province_compares_with_the_sum_of_its_former_provinces(w):
    # Given Phú Thọ and Vĩnh Phúc (merged into the new Phú Thọ on 1/7/2025) reported the first half of 2025
    for old in (w.phutho_old, w.vinhphuc_old):
        UnitSuccession.objects.create(predecessor=old, successor=w.phutho, effective=factories.MERGER, share=1)
    old_pt = factories.user("pt_cu", Role.PROVINCE_OFFICER, unit=w.phutho_old)
    old_pt_dir = factories.user("pt_cu_gd", Role.PROVINCE_DIRECTOR, unit=w.phutho_old)
    old_vp = factories.user("vp_cu", Role.PROVINCE_OFFICER, unit=w.vinhphuc_old)
    old_vp_dir = factories.user("vp_cu_gd", Role.PROVINCE_DIRECTOR, unit=w.vinhphuc_old)
    put(old_pt, w.phutho_old, "2025S1", RETAIL=300, EXPORT=40, MARKETS__I=2)
    put(old_vp, w.vinhphuc_old, "2025S1", RETAIL="200,5", MARKETS__I=3)  # no EXPORT from Vĩnh Phúc
    new_officer = w.users["phutho_officer"]
    put(new_officer, "25", "2026S1", RETAIL="601", EXPORT=50, MARKETS__I=4)
    submission = Submission.objects.get(unit=w.phutho, period__code="2026S1")

    # When the coordinator (who sees every province) opens the new Phú Thọ's form for the first half of 2026
    rows = by_key(entry_rows(submission=submission, user=w.users["coordinator"], lang="vi"))

    # Then last year is 300 + 200.5 = 500.5, marked as the former provinces' sum; 601 ÷ 500.5 − 1 = 20.08 % → 20.1
    retail = rows["RETAIL"]
    assert retail.last_year == Decimal("500.5")
    assert retail.last_year_from_predecessors is True
    assert retail.last_year_note == "tổng các tỉnh cũ"
    assert retail.change_last_year_pct == Decimal("20.1")
    # per disaggregation option too: 2 + 3 = 5 markets of class I, 4 now → −20.0 %
    markets = rows["MARKETS__I"]
    assert (markets.last_year, markets.change_last_year_pct) == (Decimal(5), Decimal("-20.0"))
    # a former province did not report EXPORT: no partial sum is passed off as last year's figure
    assert rows["EXPORT"].last_year is None
    assert rows["EXPORT"].last_year_note == ""

    # And the new province's own officer sees the former provinces' figures only once they were accepted
    assert by_key(entry_rows(submission=submission, user=new_officer, lang="vi"))["RETAIL"].last_year is None
    accept(w, Submission.objects.get(unit=w.phutho_old), old_pt_dir, old_pt)
    accept(w, Submission.objects.get(unit=w.vinhphuc_old), old_vp_dir, old_vp)
    assert by_key(entry_rows(submission=submission, user=new_officer, lang="vi"))["RETAIL"].last_year == Decimal("500.5")


def test_not_summable_indicator_of_a_merged_province_shows_no_last_year(w):
    # IIP is an index (aggregation "none"): the former provinces' indices cannot be added up
    UnitSuccession.objects.create(predecessor=w.phutho_old, successor=w.phutho, effective=factories.MERGER, share=1)
    old_pt = factories.user("pt_cu", Role.PROVINCE_OFFICER, unit=w.phutho_old)
    put(old_pt, w.phutho_old, "202505", IIP=104)
    submission = submission_open(dataset=w.monthly, unit=w.phutho, period_code="202605", actor=w.users["phutho_officer"])

    iip = by_key(entry_rows(submission=submission, user=w.users["coordinator"], lang="vi"))["IIP"]

    assert iip.last_year is None
    assert iip.last_year_from_predecessors is False


def test_other_province_sees_another_units_earlier_values_only_when_accepted(w):
    # Given Hà Nội's March 2026 report accepted, its February 2026 still a draft
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    put(officer, "01", "202602", RETAIL=1000)
    put(officer, "01", "202603", RETAIL=1500)
    march = accept(w, Submission.objects.get(period__code="202603"), director, officer)

    # When Phú Thọ's officer (who may read accepted reports) and the coordinator open March
    outsider = by_key(entry_rows(submission=march, user=w.users["phutho_officer"], lang="vi"))["RETAIL"]
    coordinator = by_key(entry_rows(submission=march, user=w.users["coordinator"], lang="vi"))["RETAIL"]

    # Then only the coordinator sees February's draft figure
    assert outsider.value == Decimal(1500)
    assert outsider.previous is None
    assert outsider.change_previous_pct is None
    assert coordinator.previous == Decimal(1000)


def test_validation_findings_are_placed_beside_their_fields(w):
    # Given occupied industrial-cluster area larger than the established area (rule CCN_OCC_LE_AREA, an error)
    officer = w.users["hanoi_officer"]
    put(officer, "01", "2026S1", CCN_AREA=10, CCN_OCCUPIED=20)
    submission = Submission.objects.get(period__code="2026S1")

    form = entry_form(submission=submission, user=officer, lang="vi")
    rows = by_key(form.rows)

    assert rows["CCN_AREA"].errors
    assert rows["CCN_OCCUPIED"].errors
    assert not rows["RETAIL"].errors
    assert form.errors


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (Decimal("1234.500000"), "vi", "1234,5"),
    (Decimal("1234.500000"), "en", "1234.5"),
    (Decimal("1000000"), "vi", "1000000"),
    (Decimal("-0.25"), "vi", "-0,25"),
    (None, "vi", ""),
])
def test_input_shows_the_stored_number_without_grouping(value, lang, expected):
    assert input_number(value, lang) == expected


def test_period_of_a_year_ago_is_previous_for_a_half_year(w):
    # For a 6-month report the "previous period" is the same span a year earlier (PeriodSpec.previous)
    officer = w.users["hanoi_officer"]
    put(officer, "01", "2025S1", RETAIL=400)
    put(officer, "01", "2026S1", RETAIL=500)
    submission = Submission.objects.get(period__code="2026S1")

    retail = by_key(entry_rows(submission=submission, user=officer, lang="vi"))["RETAIL"]

    assert retail.previous == retail.last_year == Decimal(400)
    assert retail.change_previous_pct == retail.change_last_year_pct == Decimal("25.0")
    assert dt.date(2026, 1, 1) <= submission.period.start
