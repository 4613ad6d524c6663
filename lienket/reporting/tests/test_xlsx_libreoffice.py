"""The Excel round trip through LibreOffice Calc: download the template, fill it, let LibreOffice save it (as
provinces without Microsoft Office do), upload it and look at what was stored. Skipped, with the reason
shown, where `soffice` is not installed (`make browser` installs libreoffice-calc-nogui)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lienket.reporting.excel import mapping
from lienket.reporting.models import DataSetElement, DataValue

from .test_xlsx import build, upload

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: `make browser` installs libreoffice-calc-nogui",
)
PERIOD = "2026S1"
_converted: dict[str, bytes] = {}


def libreoffice_resave(data: bytes, name: str = "bieu.xlsx") -> bytes:
    """Open the workbook in LibreOffice Calc and save it as .xlsx again, as a user would. A profile and HOME of
    its own, so that it runs as root and next to other LibreOffice processes."""
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory(prefix="lk-soffice-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        (root / "out").mkdir()
        (root / "in" / name).write_bytes(data)
        env = {**os.environ, "HOME": str(root)}
        subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [SOFFICE, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={(root / 'profile').as_uri()}",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(root / "out"), str(root / "in" / name)],
            env=env, check=True, capture_output=True, timeout=180,
        )
        return (root / "out" / name).read_bytes()


def _rows_by_code(ws: Any) -> dict[tuple[str, str], int]:
    """(indicator code, breakdown label) → row, read from the template itself rather than assumed."""
    return {
        (str(ws[f"B{r}"].value), str(ws[f"E{r}"].value or "")): r
        for r in range(mapping.FIRST_DATA_ROW, ws.max_row + 1) if ws[f"B{r}"].value
    }


def _filled(w: Any) -> bytes:
    """The 6-month template of Hà Nội (with the IIP added to the data set), filled in with openpyxl and saved
    by LibreOffice: a formula without a saved result, a percent-formatted cell, a total row and its options."""
    DataSetElement.objects.get_or_create(dataset=w.half_year, indicator=w.indicators["IIP"], defaults={"sort_order": 99})
    if "filled" not in _converted:  # the same file for every test of the module: one LibreOffice run
        wb = load_workbook(io.BytesIO(build(w, w.hanoi, period=PERIOD, dataset=w.half_year)))
        ws = wb.worksheets[0]
        row = _rows_by_code(ws)
        ws[f"F{row['RETAIL', '']}"] = "=1000+234.5"  # a formula: openpyxl saves no result, LibreOffice computes it
        ws[f"F{row['EXPORT', '']}"] = 56.7
        ws[f"F{row['IIP', '']}"] = 1.125  # typed as 112,5% in a percent-formatted cell
        ws[f"F{row['IIP', '']}"].number_format = "0.0%"
        ws[f"F{row['MARKETS', 'Tổng số']}"] = 10  # the total row of a disaggregated indicator
        for label, n in (("Chợ hạng I", 2), ("Chợ hạng II", 3), ("Chợ hạng III", 5)):
            ws[f"F{row['MARKETS', label]}"] = n
        buf = io.BytesIO()
        wb.save(buf)
        _converted["filled"] = libreoffice_resave(buf.getvalue())
    return _converted["filled"]


def _stored() -> dict[tuple[str, str], Decimal]:
    return {(i, o or ""): v for i, o, v in DataValue.objects.values_list("indicator__code", "option__code", "value")}


def test_a_template_saved_by_libreoffice_imports_with_the_formulas_computed_result(w):
    data = _filled(w)

    job = upload(w.users["hanoi_officer"], data, filename="bieu-6thang.xlsx")

    assert job.status == "done", job.errors
    assert job.errors == []
    stored = _stored()
    assert stored["RETAIL", ""] == Decimal("1234.5")  # the result LibreOffice computed and saved
    assert stored["EXPORT", ""] == Decimal("56.7")
    assert (stored["MARKETS", "I"], stored["MARKETS", "II"], stored["MARKETS", "III"]) == (2, 3, 5)
    [warning] = [wn for wn in job.summary["warnings"] if wn["code"] == "formula_value_used"]
    assert "=1000+234.5" in warning["message"]
    assert warning["cell"].startswith("F")


def test_a_template_saved_by_libreoffice_keeps_text_cells_and_the_hidden_mapping(w):
    data = _filled(w)

    wb = load_workbook(io.BytesIO(data))

    # LibreOffice has no "very hidden": the mapping comes back merely hidden; its signature still guards it.
    assert wb[mapping.MAPPING_SHEET].sheet_state in {"hidden", "veryHidden"}
    assert wb.worksheets[0]["B7"].value == "RETAIL"


def test_a_percent_formatted_cell_saved_by_libreoffice_is_stored_as_percent_points(w):
    job = upload(w.users["hanoi_officer"], _filled(w), filename="bieu-6thang.xlsx")

    assert job.status == "done", job.errors
    assert _stored()["IIP", ""] == Decimal("112.5")  # not 1.125


def test_the_total_row_of_a_disaggregated_indicator_is_stored_and_matches_its_options(w):
    job = upload(w.users["hanoi_officer"], _filled(w), filename="bieu-6thang.xlsx")

    assert job.status == "done", job.errors
    stored = _stored()
    assert stored["MARKETS", ""] == 10
    assert stored["MARKETS", "I"] + stored["MARKETS", "II"] + stored["MARKETS", "III"] == stored["MARKETS", ""]
