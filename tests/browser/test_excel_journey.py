"""The Excel round trip in a real browser: the officer downloads the template from the form, fills it in Excel
(here openpyxl), uploads it, reads the dry run, applies it, and finds the values in the form."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from lienket.reporting.models import DataValue
from lienket.reporting.tests.factories import PASSWORD, world

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(data: bytes, values: dict[str, str]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = next(s for s in wb.worksheets if s.sheet_state == "visible")
    for row in ws.iter_rows(min_row=1, max_col=8):
        code = next((c.value for c in row[:3] if isinstance(c.value, str) and c.value in values), None)
        if code:
            ws.cell(row=row[0].row, column=6, value=values[code])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_officer_downloads_fills_uploads_checks_and_applies_the_template(page, tmp_path):
    # Given the Hà Nội officer on the March 2026 monthly form
    world()
    login(page, "hanoi_officer", PASSWORD)
    page.goto("/reporting/form/BC-THANG/01/202603/")

    # When they download the template and fill two values in it
    with page.expect_download() as download_info:
        page.get_by_test_id("template-download").click()
    template = download_info.value.path().read_bytes()
    filled = tmp_path / "bieu-thang-3.xlsx"
    filled.write_bytes(_fill(template, {"RETAIL": "1234.5", "EXPORT": "56.7"}))

    # And upload it from the form (dry run first, the default)
    page.get_by_test_id("excel-upload").click()
    page.set_input_files("#file", str(filled))
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()

    # Then the dry run says what would be created and nothing is written yet
    expect(page.get_by_test_id("count-created")).to_have_text("2")
    assert DataValue.objects.count() == 0

    # When they apply it
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.get_by_test_id("import-status")).to_have_class(re.compile(r"\bdone\b"))

    # Then the values are stored exactly and the form shows them
    stored = {dv.indicator.code: dv.value for dv in DataValue.objects.select_related("indicator")}
    assert stored == {"RETAIL": Decimal("1234.5"), "EXPORT": Decimal("56.7")}
    page.goto("/reporting/form/BC-THANG/01/202603/")
    assert page.get_by_test_id("value-RETAIL").input_value() in {"1234,5", "1.234,5"}
