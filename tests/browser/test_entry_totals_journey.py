"""The total of a disaggregated indicator in a real browser: the officer sees the total row above its parts, types
a total smaller than the parts and is told so on the total row, before trying to submit. Screenshots of the form
(desktop and phone) go to $LIENKET_SCREENSHOTS when it is set, for a person to look at."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from lienket.reporting.models import DataSetElement, DataValue, Disaggregation, DisaggregationOption, Indicator
from lienket.reporting.tests.factories import PASSWORD, world

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ipv(w) -> Indicator:
    sector = Disaggregation.objects.create(code="economic-sector", name="Loại hình kinh tế", name_en="Type of ownership")
    for i, (code, name) in enumerate([("state", "Kinh tế nhà nước"), ("non-state", "Kinh tế ngoài nhà nước"),
                                      ("fdi", "Khu vực có vốn đầu tư nước ngoài")]):
        DisaggregationOption.objects.create(disaggregation=sector, code=code, name=name, sort_order=i)
    ind = Indicator.objects.create(
        code="IPV", name="Giá trị sản xuất công nghiệp", unit_of_measure="tỷ đồng", decimals=1, aggregation="sum",
        time_aggregation="sum", min_value=Decimal(0), disaggregation=sector,
    )
    DataSetElement.objects.create(dataset=w.monthly, indicator=ind, sort_order=10)
    return ind


def test_officer_sees_the_total_row_and_is_told_when_the_parts_exceed_it(browser, live_server):
    w = world()
    _ipv(w)
    shots = os.environ.get("LIENKET_SCREENSHOTS")
    for width, height in ((1366, 768), (390, 844)):
        context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        page = context.new_page()
        login(page, "hanoi_officer", PASSWORD)
        page.goto("/reporting/form/BC-THANG/01/202603/")

        total = page.get_by_test_id("value-IPV")
        for key, value in (("IPV", "50.000"), ("IPV-state", "40.000"), ("IPV-non-state", "38.000"), ("IPV-fdi", "20.000")):
            field = page.get_by_test_id(f"value-{key}")
            field.fill(value)
            field.press("Tab")
            page.get_by_test_id(f"saved-{key}").wait_for()

        row = page.get_by_test_id("row-IPV")
        assert "Tổng số" in row.inner_text()
        assert total.input_value() == "50000"
        row.get_by_text("nhỏ hơn tổng các phần chia ra 98.000,0").wait_for()
        if shots:
            page.locator(":focus").blur()
            row.scroll_into_view_if_needed()
            page.evaluate("document.querySelectorAll('.table-wrap').forEach(el => { el.scrollLeft = 0; })")
            page.screenshot(path=str(Path(shots) / f"entry-total-{width}x{height}.png"), full_page=False)
            page.screenshot(path=str(Path(shots) / f"entry-total-{width}x{height}-full.png"), full_page=True)
        context.close()
    assert DataValue.objects.get(indicator__code="IPV", option__isnull=True).value == Decimal(50000)
