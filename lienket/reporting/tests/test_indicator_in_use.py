"""One definition of "in use" (Indicator.in_use / in_use_q): active and within its years, for the writer, the
validator and the forms alike — an inactive indicator is neither written nor silently skipped by validation."""

from __future__ import annotations

import datetime as dt

import pytest

from lienket.core.errors import ValidationFailed
from lienket.reporting.models import DataValue, Indicator
from lienket.reporting.periods import parse_period
from lienket.reporting.selectors import dataset_elements
from lienket.reporting.services import ValueItem, datavalues_apply

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("is_active", "used_from", "used_to", "expected"),
    [
        (True, None, None, True),
        (False, None, None, False),
        (True, None, dt.date(2020, 12, 31), False),
        (True, dt.date(2027, 1, 1), None, False),
        (True, dt.date(2026, 3, 31), dt.date(2026, 3, 1), True),  # touching the period counts
        (False, dt.date(2020, 1, 1), dt.date(2030, 1, 1), False),
    ],
)
def test_in_use_and_its_filter_agree(w, is_active, used_from, used_to, expected):
    # given an indicator in some state
    Indicator.objects.filter(code="EXPORT").update(is_active=is_active, used_from=used_from, used_to=used_to)
    ind = Indicator.objects.get(code="EXPORT")
    # then the method and the query filter give the same answer
    assert ind.in_use(START, END) is expected
    assert Indicator.objects.filter(Indicator.in_use_q(START, END), pk=ind.pk).exists() is expected


def test_an_inactive_indicator_cannot_be_written(w):
    # given an indicator switched off in the catalogue
    Indicator.objects.filter(code="EXPORT").update(is_active=False)
    # when a value is sent for it
    with pytest.raises(ValidationFailed) as exc:
        datavalues_apply(actor=w.users["hanoi_officer"], items=[
            ValueItem(unit="01", period="202603", indicator="EXPORT", value=1, ref="r1")], source="api")
    # then it is refused and nothing is written
    assert exc.value.details["errors"][0]["code"] == "not_in_use"
    assert DataValue.objects.count() == 0


def test_the_entry_form_leaves_out_an_inactive_indicator(w):
    Indicator.objects.filter(code="EXPORT").update(is_active=False)

    codes = [el.indicator.code for el in dataset_elements(dataset=w.monthly, period=parse_period("202603"))]

    assert "EXPORT" not in codes
    assert "RETAIL" in codes
