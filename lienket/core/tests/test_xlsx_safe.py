"""One rule for text that a spreadsheet would run as a formula, used by the CSV and the XLSX exports; and the
removal of macros from uploaded workbooks."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lienket.core import xlsx_safe

RISKY = ['=HYPERLINK("http://evil.example","x")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=1+1"]
PLAIN = ["sơ bộ", "1.234,5", "x", "", "a=b", " =1"]
LIENKET = Path(__file__).resolve().parents[2]


def _save(rows: list[list[object]]) -> bytes:
    wb = xlsx_safe.new_workbook()
    ws = wb.create_sheet("s")
    for row in rows:
        xlsx_safe.append(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_risky_text_is_written_as_a_string_cell_marked_as_quoted_and_unchanged():
    data = _save([[text] for text in RISKY])

    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    assert b"<f " not in sheet
    cells = [row[0] for row in load_workbook(io.BytesIO(data))["s"].iter_rows()]
    # The standard library's XML reader turns a CR into LF, lxml's keeps it (openpyxl uses lxml when installed);
    # the text is otherwise exactly what was written, no apostrophe added.
    assert [c.value.replace("\r", "\n") for c in cells] == [t.replace("\r", "\n") for t in RISKY]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_plain_text_and_numbers_are_written_as_they_are():
    data = _save([[*PLAIN, 3, 2.5, None]])

    [row] = load_workbook(io.BytesIO(data))["s"].iter_rows()
    assert [c.value for c in row][:5] == [*PLAIN[:3], None, "a=b"]
    assert [c.value for c in row][5:8] == [" =1", 3, 2.5]
    assert not any(c.quotePrefix for c in row)


def test_characters_xml_cannot_hold_are_dropped_and_text_is_cut_to_excels_limit():
    data = _save([["a\x00b\x1fc", "y" * 40000]])

    [row] = load_workbook(io.BytesIO(data))["s"].iter_rows()
    assert row[0].value == "abc"
    assert len(row[1].value) == xlsx_safe.CELL_MAX_CHARS


@pytest.mark.parametrize("text", [*RISKY, *PLAIN, "'=1", "''x", "'plain"])
def test_csv_quoting_marks_exactly_the_risky_text_and_round_trips(text):
    quoted = xlsx_safe.csv_quote(text)

    assert quoted.startswith("'") == (xlsx_safe.formula_risk(text) or text.startswith("'"))
    assert xlsx_safe.csv_unquote(quoted) == text


def test_no_module_writes_workbooks_without_the_safe_writer():
    """openpyxl writes any str starting with "=" as a formula: every XLSX export must build its workbook and
    cells with lienket.core.xlsx_safe (reading with load_workbook is fine)."""
    offenders = []
    for path in LIENKET.rglob("*.py"):
        if "tests" in path.parts or path.name == "xlsx_safe.py" or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                names = {a.name for a in node.names}
                if names & {"Workbook", "WriteOnlyCell"}:
                    offenders.append(f"{path.relative_to(LIENKET)}: from {node.module} import {', '.join(sorted(names))}")
            elif isinstance(node, ast.Attribute) and node.attr in {"WriteOnlyCell"}:
                offenders.append(f"{path.relative_to(LIENKET)}: {node.attr}")
    assert offenders == []


# ---------------------------------------------------------------------------------------------------------
# macros


def _xlsm(*, extra: dict[str, bytes] | None = None) -> bytes:
    """A macro-enabled package: an ordinary workbook plus xl/vbaProject.bin, its relationship and content types."""
    plain = _save([["a", 1]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(xlsx_safe.SHEET_MAIN_TYPE.encode(), b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                body = body.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/'
                                    b'2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
            dst.writestr(info, body)
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Attribute VB_Name = \"Module1\"\nSub AutoOpen()\nShell \"calc\"\nEnd Sub")
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def test_strip_macros_removes_the_vba_project_and_leaves_a_plain_workbook():
    stripped, removed = xlsx_safe.strip_macros(_xlsm())

    assert removed == ["xl/vbaProject.bin"]
    with zipfile.ZipFile(io.BytesIO(stripped)) as zf:
        names = zf.namelist()
        types = zf.read("[Content_Types].xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    assert "xl/vbaProject.bin" not in names
    assert b"macroEnabled" not in types
    assert b"vbaProject" not in types
    assert xlsx_safe.SHEET_MAIN_TYPE.encode() in types
    assert b"vbaProject" not in rels
    wb = load_workbook(io.BytesIO(stripped))
    assert wb["s"]["A1"].value == "a"
    assert wb.vba_archive is None


def test_a_workbook_without_macros_or_bytes_that_are_not_a_zip_come_back_unchanged():
    plain = _save([["a"]])

    assert xlsx_safe.strip_macros(plain) == (plain, [])
    assert xlsx_safe.strip_macros(b"not a zip") == (b"not a zip", [])


def test_excel_4_macro_sheets_are_refused_not_stripped():
    with pytest.raises(xlsx_safe.MacroRefused) as exc:
        xlsx_safe.strip_macros(_xlsm(extra={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}))

    assert exc.value.parts == ["xl/macrosheets/sheet1.xml"]
