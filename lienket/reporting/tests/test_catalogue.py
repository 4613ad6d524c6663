"""The default catalogue: loads idempotently, its invariants hold, and its data sets follow the reporting rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lienket.regions.models import UnitGroup
from lienket.reporting.catalogue import CatalogueError, catalogue_problems, load_catalogue
from lienket.reporting.models import (
    DataSet,
    DataSetElement,
    Disaggregation,
    DisaggregationOption,
    Indicator,
    ValidationRule,
)
from lienket.reporting.periods import parse_period
from lienket.reporting.selectors import reporting_units
from lienket.reporting.validation.expressions import expression_check, expression_codes


@pytest.fixture
def catalogue(reference_data):
    return load_catalogue()


def _row_counts() -> tuple[int, ...]:
    return (
        Indicator.objects.count(), DataSet.objects.count(), DataSetElement.objects.count(), ValidationRule.objects.count(),
        Disaggregation.objects.count(), DisaggregationOption.objects.count(),
    )


def test_catalogue_loads_and_a_second_load_changes_nothing(catalogue):
    before = _row_counts()

    again = load_catalogue()

    assert catalogue["indicators"]["created"] == Indicator.objects.count() >= 20
    assert catalogue["datasets"]["created"] == 4
    assert all(row["created"] == row["updated"] == 0 for row in again.values())
    assert _row_counts() == before


def test_every_weighted_and_ratio_indicator_has_its_parts(catalogue):
    weighted = Indicator.objects.filter(aggregation="weighted_average")
    ratios = Indicator.objects.filter(aggregation="ratio")

    assert weighted.exists()
    assert ratios.exists()
    for ind in weighted:
        assert ind.weight_indicator is not None, ind.code
        assert ind.weight_indicator.aggregation == "sum", ind.code
    for ind in ratios:
        assert ind.numerator is not None, ind.code
        assert ind.denominator is not None, ind.code
        assert ind.numerator.aggregation == ind.denominator.aggregation == "sum", ind.code
    rate = Indicator.objects.get(code="CCN_RATE")
    assert (rate.numerator.code, rate.denominator.code, rate.ratio_factor) == ("CCN_OCCUPIED", "CCN_AREA", Decimal(100))


def test_one_data_set_per_indicator_per_period_type(catalogue):
    seen: dict[tuple[str, str], str] = {}
    for code, ptype, ds in DataSetElement.objects.values_list("indicator__code", "dataset__period_type", "dataset__code"):
        assert (code, ptype) not in seen, f"{code} in {seen.get((code, ptype))} and {ds}"
        seen[(code, ptype)] = ds
    assert catalogue_problems() == []


def test_every_indicator_is_defined_in_both_languages_with_a_source(catalogue):
    for ind in Indicator.objects.all():
        assert all([ind.name, ind.name_en, ind.definition, ind.definition_en]), ind.code
        assert all([ind.unit_of_measure, ind.unit_of_measure_en]), ind.code
        assert ind.source or ind.definition_is_own, ind.code
        assert "LienKet" in ind.definition_en or not ind.definition_is_own, ind.code


def test_iip_is_not_additive_and_stocks_take_the_last_value(catalogue):
    iip = Indicator.objects.get(code="IIP")
    assert (iip.aggregation, iip.time_aggregation, iip.value_type) == ("none", "none", "index")
    assert "0901" in iip.source
    assert (iip.min_value, iip.max_value) == (Decimal(0), Decimal(1000))
    for code in ("MARKETS", "SUPERMARKETS", "MALLS", "CCN_ESTABLISHED", "CCN_AREA", "OCOP_PRODUCTS"):
        assert Indicator.objects.get(code=code).time_aggregation == "last", code
    assert Indicator.objects.get(code="RETAIL_YTD").cumulative_ytd
    assert Indicator.objects.get(code="MARKETS").disaggregation.code == "market-class"
    assert list(Indicator.objects.get(code="IPV").disaggregation.options.values_list("code", flat=True)) == ["state", "non-state", "fdi"]


def test_gross_output_at_2010_prices_covers_the_years_until_2020(catalogue):
    old = Indicator.objects.get(code="IPV_2010")
    iip = Indicator.objects.get(code="IIP")

    assert old.used_to == dt.date(2020, 12, 31)
    assert old.used_from is None
    assert iip.used_from == dt.date(2021, 1, 1)


def test_rules_parse_and_name_indicators_their_data_set_holds(catalogue):
    assert ValidationRule.objects.count() >= 10
    for rule in ValidationRule.objects.all():
        assert expression_check(rule.expression) == [], rule.code
        if rule.dataset is not None:
            held = set(rule.dataset.indicators.values_list("code", flat=True))
            assert expression_codes(rule.expression) <= held, rule.code
    assert ValidationRule.objects.get(code="CCN_OCC_LE_AREA").expression == "CCN_OCCUPIED <= CCN_AREA"


def test_data_sets_are_due_on_the_20th_and_follow_the_merger(catalogue):
    monthly = DataSet.objects.get(code="BC-THANG")
    half = DataSet.objects.get(code="BC-6THANG")
    nine = DataSet.objects.get(code="BC-9THANG")
    year = DataSet.objects.get(code="BC-NAM")

    assert monthly.due_date(parse_period("202611")) == dt.date(2026, 11, 20)
    assert half.due_date(parse_period("2025S1")) == dt.date(2025, 6, 20)
    assert year.due_date(parse_period("2025")) == dt.date(2025, 12, 20)
    assert monthly.edit_deadline(parse_period("202611")) == dt.date(2026, 12, 10)
    assert all(ds.reporting_group.key == "north" for ds in (monthly, half, nine, year))
    assert reporting_units(dataset=half, period=parse_period("2025S1")).count() == 28
    assert reporting_units(dataset=monthly, period=parse_period("202506")).count() == 28
    assert reporting_units(dataset=monthly, period=parse_period("202507")).count() == 18
    assert reporting_units(dataset=nine, period=parse_period("2025N9")).count() == 18
    assert monthly.elements.filter(estimate_by_default=True).count() == monthly.elements.count()


def test_load_without_reference_data_is_refused_and_writes_nothing(db):
    with pytest.raises(CatalogueError, match="load_reference"):
        load_catalogue()

    assert Indicator.objects.count() == 0
    assert Disaggregation.objects.count() == 0


def test_no_update_keeps_an_administrators_edits(catalogue):
    DataSet.objects.filter(code="BC-THANG").update(edit_days_after_due=30)
    Indicator.objects.filter(code="ELEC").update(name="Điện thương phẩm (sửa)")

    kept = load_catalogue(update=False)
    assert DataSet.objects.get(code="BC-THANG").edit_days_after_due == 30
    assert kept["datasets"]["updated"] == 0

    refreshed = load_catalogue()
    assert DataSet.objects.get(code="BC-THANG").edit_days_after_due == 20
    assert Indicator.objects.get(code="ELEC").name == "Sản lượng điện thương phẩm"
    assert refreshed["datasets"]["updated"] == 1
    assert refreshed["indicators"]["updated"] == 1


def test_load_refuses_an_indicator_collected_twice_for_a_period_type(catalogue):
    extra = DataSet.objects.create(code="BC-THANG-2", name="Trùng", period_type="month",
                                   reporting_group=UnitGroup.objects.get(key="north"))
    DataSetElement.objects.create(dataset=extra, indicator=Indicator.objects.get(code="RETAIL"))

    with pytest.raises(CatalogueError, match="RETAIL is collected by BC-THANG, BC-THANG-2"):
        load_catalogue()
    assert catalogue_problems() == ["RETAIL is collected by BC-THANG, BC-THANG-2 for month periods"]


def test_load_catalogue_command_prints_counts(reference_data):
    out = StringIO()

    call_command("load_catalogue", stdout=out)
    call_command("load_catalogue", stdout=out)

    text = out.getvalue()
    assert "indicators" in text
    assert "Catalogue loaded (0 rows created or updated)." in text


def test_load_catalogue_command_reports_a_clear_error(db):
    with pytest.raises(CommandError, match="load_reference"):
        call_command("load_catalogue", stdout=StringIO())
