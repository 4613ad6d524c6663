"""The coordinator's all-units workbook opens on a summary sheet: units as rows, indicators as columns with
their units of measure, a region row where the indicator adds up, and an A4 landscape print setup (print area,
repeated header rows and unit columns, fit to width, row heights for wrapped names). Read back with openpyxl;
printed through LibreOffice (PDF) where soffice is installed."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lienket.regions.models import AdminUnit
from lienket.reporting.excel import summary, template
from lienket.reporting.models import DataValue, Period, Submission

from .factories import indicator, unit

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PERIOD = "2026S1"
LONG_NAMES = ["Thành phố Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế", "Tỉnh Điện Biên (tên rất dài để xuống dòng)"]


def _store(dataset: Any, units: list[AdminUnit], values: dict[tuple[str, str], Decimal | int]) -> None:
    """values[(unit code, indicator code)]: stored directly (the summary reads what is stored)."""
    period = Period.for_code(PERIOD)
    for u in units:
        sub, _created = Submission.objects.get_or_create(dataset=dataset, unit=u, period=period)
        for (code, ind), value in values.items():
            if code == u.code:
                DataValue.objects.create(submission=sub, unit=u, period=period, indicator_id=_ind(ind), value=Decimal(value))


def _ind(code: str) -> int:
    from lienket.reporting.models import Indicator

    return Indicator.objects.get(code=code).pk


def _workbook(w: Any) -> tuple[bytes, list[AdminUnit]]:
    units = [w.hanoi, w.phutho, *(unit(f"9{n}", name) for n, name in enumerate(LONG_NAMES))]
    _store(w.half_year, units, {
        ("01", "RETAIL"): Decimal("1234.5"), ("25", "RETAIL"): 100, ("90", "RETAIL"): Decimal("0.5"),
        ("01", "CCN_AREA"): 200, ("25", "CCN_AREA"): 50, ("01", "MARKETS"): 12,
    })
    return template.template_build(dataset=w.half_year, units=units, period_code=PERIOD), units


def test_the_all_units_workbook_opens_on_a_summary_of_every_unit_with_region_totals(w):
    data, units = _workbook(w)

    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]

    assert wb.sheetnames[1:-1] == [f"BC-6THANG - {u.name}"[:31].rstrip(" -'") for u in units]
    header = [c.value for c in ws[summary.HEADER_ROW]]
    assert header[:2] == ["STT", "Đơn vị"] or header[:2] == ["No.", "Unit"]
    assert [h.split("\n")[0] for h in header[2:]] == ["RETAIL", "EXPORT", "CCN_AREA", "CCN_OCCUPIED", "MARKETS"]
    assert [c.value for c in ws[summary.HEADER_ROW + 1]][2:] == ["tỷ đồng", "triệu USD", "ha", "ha", "chợ"]
    rows = {r[1]: r[2:] for r in ws.iter_rows(min_row=summary.HEADER_ROW + 2, values_only=True) if r[1]}
    assert rows["Hà Nội"][0] == Decimal("1234.5") or rows["Hà Nội"][0] == 1234.5
    assert rows["Phú Thọ"][0] == 100
    assert rows["Hà Nội"][4] == 12  # a disaggregated indicator: its reported total
    total_label = next(k for k in rows if k.startswith(("Region total", "Toàn vùng")))
    assert rows[total_label][0] == pytest.approx(1335.0)  # 1234,5 + 100 + 0,5
    assert rows[total_label][2] == 250
    assert rows[total_label][1] in {"no values", "chưa có số liệu"}  # EXPORT: nobody reported it
    coverage = next(k for k in rows if k.startswith(("Units with", "Số đơn vị")))
    assert rows[coverage][0] == f"3/{len(units)}"
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]  # no formula anywhere


def test_the_summary_prints_on_a4_landscape_with_repeated_headers_fitted_to_the_width(w):
    data, units = _workbook(w)

    ws = load_workbook(io.BytesIO(data)).worksheets[0]

    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows.replace("$", "") == "5:6"
    assert ws.print_title_cols.replace("$", "") == "A:B"
    last_row = summary.HEADER_ROW + 2 + len(units) + 3
    assert str(ws.print_area).replace("$", "").endswith(f"A5:G{last_row}")  # the title is in the page header
    assert "BC-6THANG" in ws.oddHeader.left.text
    assert ws.freeze_panes == "C7"
    long_row = summary.HEADER_ROW + 2 + len(units) - 1  # the long name wraps: its row is taller
    assert ws.row_dimensions[long_row].height >= 2 * summary.LINE_HEIGHT
    assert ws.row_dimensions[summary.HEADER_ROW].height >= 2 * summary.LINE_HEIGHT
    unit_sheet = load_workbook(io.BytesIO(data)).worksheets[1]
    assert int(unit_sheet.page_setup.paperSize) == 9
    assert unit_sheet.page_setup.orientation == "landscape"


def test_region_values_follow_the_indicators_aggregation(w):
    area, occupied = w.indicators["CCN_AREA"], w.indicators["CCN_OCCUPIED"]
    rate = w.indicators["CCN_RATE"]
    index = w.indicators["IIP"]
    weighted = indicator("AVG_PRICE", "Giá bình quân", "nghìn đồng", aggregation="weighted_average", weight_indicator=area)
    units = [w.hanoi, w.phutho]
    values = {
        (w.hanoi.pk, area.pk, 0): (Decimal(200), False, ""), (w.phutho.pk, area.pk, 0): (Decimal(50), False, ""),
        (w.hanoi.pk, occupied.pk, 0): (Decimal(150), False, ""), (w.phutho.pk, occupied.pk, 0): (Decimal(10), False, ""),
        (w.hanoi.pk, index.pk, 0): (Decimal(105), False, ""), (w.phutho.pk, index.pk, 0): (Decimal(110), False, ""),
        (w.hanoi.pk, weighted.pk, 0): (Decimal(10), False, ""), (w.phutho.pk, weighted.pk, 0): (Decimal(20), False, ""),
    }

    assert summary.region_value(area, units, values) == 250
    assert summary.region_value(rate, units, values) == Decimal(160) / Decimal(250) * 100  # not the mean of 75 % and 20 %
    assert summary.region_value(weighted, units, values) == Decimal(200 * 10 + 50 * 20) / 250
    assert summary.region_value(index, units, values) is None  # an index does not add up


def test_a_single_unit_template_has_no_summary(w):
    wb = load_workbook(io.BytesIO(template.template_build(dataset=w.half_year, units=[w.hanoi], period_code=PERIOD)))

    assert wb.sheetnames == ["BC-6THANG - Hà Nội", "_lienket"]


def _pdf(data: bytes, root: Path) -> Path:
    assert SOFFICE is not None
    (root / "in").mkdir()
    (root / "in" / "workbook.xlsx").write_bytes(data)
    subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
        [SOFFICE, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={(root / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(root), str(root / "in" / "workbook.xlsx")],
        env={**os.environ, "HOME": str(root)}, check=True, capture_output=True, timeout=240,
    )
    return root / "workbook.pdf"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: `make browser` installs libreoffice-calc-nogui")
def test_the_workbook_prints_to_a4_landscape_pages_through_libreoffice(w):
    data, _units = _workbook(w)

    with tempfile.TemporaryDirectory(prefix="lk-pdf-") as tmp:
        pdf = _pdf(data, Path(tmp)).read_bytes()
        shots = os.environ.get("LIENKET_SHOTS_DIR")
        if shots and shutil.which("pdftoppm"):  # for looking at the pages (see docs/reporting.md)
            Path(shots).mkdir(parents=True, exist_ok=True)
            (Path(shots) / "summary-workbook.pdf").write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(Path(tmp) / "workbook.pdf"),  # noqa: S603, S607
                            str(Path(shots) / "summary-workbook")], check=True, timeout=120)

    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes
    for width, height in boxes:  # every page A4 landscape: 842 × 595 points
        assert (round(float(width)), round(float(height))) == (842, 595)
