"""Files people really send: the template saved by LibreOffice Calc as .ods (its default) or as .xls (Excel
97-2003), read by python-calamine behind the same validate-whole / dry-run / cell-error path as .xlsx. The
LibreOffice files are written by `soffice --headless --convert-to`; those tests are skipped, with the reason,
where soffice is not installed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lienket.reporting.excel import reader as excel_reader
from lienket.reporting.excel import workbook
from lienket.reporting.excel.imports import import_job_create
from lienket.reporting.models import DataValue, ImportJob
from lienket.reporting.services import datavalues_apply
from lienket.reporting.values import ValueItem

from .test_xlsx import PERIOD, build, db_dump, fill, upload

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: `make browser` installs libreoffice-calc-nogui",
)
FILTERS = {"ods": "ods:calc8", "xls": "xls:MS Excel 97"}


def libreoffice_convert(files: dict[str, bytes], target: str) -> dict[str, bytes]:
    """Let LibreOffice open every file and save it as `target` (ods, xls) in one run, as a user does with
    "Save as". A profile and HOME of its own, so that it runs next to other LibreOffice processes."""
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory(prefix="lk-soffice-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        (root / "out").mkdir()
        for name, data in files.items():
            (root / "in" / name).write_bytes(data)
        subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [SOFFICE, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={(root / 'profile').as_uri()}",
             "--convert-to", FILTERS[target], "--outdir", str(root / "out"), *(str(root / "in" / n) for n in files)],
            env={**os.environ, "HOME": str(root)}, check=True, capture_output=True, timeout=240,
        )
        return {name: (root / "out" / f"{name.rsplit('.', 1)[0]}.{target}").read_bytes() for name in files}


_cache: dict[tuple[str, str], bytes] = {}


def _rows_by_code(ws: Any) -> dict[str, int]:
    return {str(ws[f"B{r}"].value): r for r in range(7, ws.max_row + 1) if ws[f"B{r}"].value and not ws[f"E{r}"].value}


def _inserted_row(data: bytes) -> bytes:
    """The user inserts an empty row above EXPORT (row 8) and fills the values below it."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    ws.insert_rows(8)
    ws["F9"], ws["F10"] = 20, 30  # EXPORT and IIP, now one row lower
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def converted(w: Any, name: str, target: str) -> bytes:
    """The files of this module as LibreOffice saved them: every one converted in a single soffice run per format
    (the template is built with the same stored values each time, so the files stay valid across tests)."""
    key = (name, target)
    if key not in _cache:
        template = build(w, w.hanoi)
        sources = {
            "changed.xlsx": fill(template, {"F7": 1234.5, "H7": "sửa theo số liệu mới", "F8": 20}),
            "inserted.xlsx": _inserted_row(template),
        }
        for source, out in libreoffice_convert(sources, target).items():
            _cache[(source.removesuffix(".xlsx"), target)] = out
    return _cache[key]


def _stored() -> dict[str, tuple[Decimal, str]]:
    return {i: (v, c) for i, v, c in DataValue.objects.filter(option=None).values_list("indicator__code", "value", "comment")}


def _given_stored_values(w: Any) -> None:
    datavalues_apply(actor=w.users["hanoi_officer"], items=[
        ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value=10),
        ValueItem(unit="01", period=PERIOD, indicator="EXPORT", value=20),
        ValueItem(unit="01", period=PERIOD, indicator="IIP", value=30),
    ], source="form")


# ---------------------------------------------------------------------------------------------------------
# .ods and .xls written by LibreOffice


@needs_soffice
@pytest.mark.parametrize("target", ["ods", "xls"])
def test_a_template_resaved_by_libreoffice_with_a_value_changed_imports_that_change_only(w, target):
    _given_stored_values(w)
    data = converted(w, "changed", target)
    officer = w.users["hanoi_officer"]

    job = upload(officer, data, dry_run=True, filename=f"bieu-01.{target}")

    assert job.status == ImportJob.Status.VALIDATED, job.errors
    assert (job.summary["created"], job.summary["changed"], job.summary["unchanged"]) == (0, 1, 2)
    assert _stored()["RETAIL"] == (Decimal(10), "")  # a dry run writes nothing
    job = upload(officer, data, filename=f"bieu-01.{target}")

    assert job.status == ImportJob.Status.DONE, job.errors
    assert _stored() == {"RETAIL": (Decimal("1234.5"), "sửa theo số liệu mới"), "EXPORT": (Decimal(20), ""),
                         "IIP": (Decimal(30), "")}


@needs_soffice
@pytest.mark.parametrize("target", ["ods", "xls"])
def test_a_row_inserted_in_libreoffice_is_refused_with_every_moved_cell_counted_and_nothing_written(w, target):
    _given_stored_values(w)
    before = db_dump()

    job = upload(w.users["hanoi_officer"], converted(w, "inserted", target), filename=f"bieu-01.{target}")

    assert job.status == ImportJob.Status.INVALID
    # EXPORT's value now sits in IIP's row 9, and IIP's below the template's last row
    assert [(e["cell"], e["code"]) for e in job.errors] == [("B9", "moved_row"), ("F10", "outside_template")]
    assert "EXPORT" in job.errors[0]["message"]
    assert "IIP" in job.errors[0]["message"]
    assert "rows must not be inserted" in job.errors[0]["message"] or "không được chèn" in job.errors[0]["message"]
    assert job.summary["error_count"] == 2
    assert all(e["sheet"] == "BC-THANG - Hà Nội" for e in job.errors)
    assert db_dump() == before


def _odt() -> bytes:
    """A text document (what Writer saves), named .ods by mistake: a zip in the OpenDocument way, not a sheet."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", b"<office:document-content><office:text>K\xc3\xadnh g\xe1\xbb\xadi</office:text>"
                                   b"</office:document-content>")
    return buf.getvalue()


def test_an_ods_that_is_a_text_document_is_refused_clearly_and_nothing_is_written(w):
    before = db_dump()

    job = upload(w.users["hanoi_officer"], _odt(), filename="bao-cao.ods")

    assert job.status == ImportJob.Status.INVALID
    [error] = job.errors
    assert error["code"] == "not_xlsx"
    assert "bao-cao.ods" in error["message"]
    assert ".xlsm, .xls" in error["message"]  # the formats that are read, in either language
    assert db_dump() == before


@needs_soffice
def test_an_ods_written_by_libreoffice_that_is_not_a_template_is_refused_and_nothing_is_written(w):
    ods = libreoffice_convert({"danh-sach.csv": "Tỉnh,Giá trị\nHà Nội,12\n".encode()}, "ods")["danh-sach.csv"]
    before = db_dump()

    job = upload(w.users["hanoi_officer"], ods, filename="danh-sach.ods")

    assert job.status == ImportJob.Status.INVALID
    assert [e["code"] for e in job.errors] == ["not_a_template"]
    assert "danh-sach.ods" in job.errors[0]["message"]
    assert db_dump() == before


@needs_soffice
def test_the_ods_and_xls_readers_give_the_items_of_the_xlsx_reader(w):
    _given_stored_values(w)
    xlsx = fill(build(w, w.hanoi), {"F7": 1234.5, "H7": "sửa theo số liệu mới", "F8": 20})

    def items(data: bytes, name: str) -> list[tuple[Any, ...]]:
        parsed = excel_reader.workbook_parse(data=data, filename=name)
        assert parsed.errors == []
        return [(i.unit.pk, i.indicator, i.option, Decimal(str(i.value)), i.is_estimate, i.comment, i.ref) for i in parsed.items]

    expected = items(xlsx, "b.xlsx")
    assert items(converted(w, "changed", "ods"), "b.ods") == expected
    assert items(converted(w, "changed", "xls"), "b.xls") == expected
    assert excel_reader.workbook_parse(data=converted(w, "changed", "ods"), filename="b.ods").kind == workbook.ODS


# ---------------------------------------------------------------------------------------------------------
# without LibreOffice: sniffing, calamine on .xlsx, macros in .ods and .xls


def test_calamine_reads_an_xlsx_template_like_the_fast_reader(w):
    data = fill(build(w, w.hanoi), {"F7": 1234.5, "G7": "x", "H7": "ước tính", "F8": "2.345,25", "F9": 101})

    fast = excel_reader.workbook_parse(data=data, filename="b.xlsx")
    calamine = excel_reader.workbook_parse(data=data, filename="b.xlsx", reader="calamine")

    assert fast.errors == calamine.errors == []
    assert [(i.indicator, Decimal(str(i.value)), i.is_estimate, i.comment, i.ref) for i in calamine.items] == [
        (i.indicator, Decimal(str(i.value)), i.is_estimate, i.comment, i.ref) for i in fast.items]


@pytest.mark.parametrize(("payload", "code"), [
    (b"PK\x03\x04 not really a zip", "not_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "not_xlsx"),  # an OLE file without a workbook (a .doc)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600, "encrypted_file"),
])
def test_files_named_ods_or_xls_that_are_not_spreadsheets_are_refused_and_nothing_changes(w, payload, code):
    before = db_dump()

    job = upload(w.users["hanoi_officer"], payload, filename="bieu.xls")

    assert [e["code"] for e in job.errors] == [code]
    assert "bieu.xls" in job.errors[0]["message"]
    assert db_dump() == before


def _ods(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_basic_macros_of_an_ods_are_removed_before_the_file_is_stored(w):
    data = _ods({"content.xml": b"<office:document-content/>", "Basic/Standard/Module1.xml": b"<script>Shell</script>",
                 "Basic/script-lc.xml": b"<x/>"})

    job = import_job_create(actor=w.users["hanoi_officer"], filename="bieu.ods", data=data)

    names = zipfile.ZipFile(io.BytesIO(bytes(job.content))).namelist()
    assert not [n for n in names if n.startswith("Basic/")]
    assert job.summary["options"]["macros_removed"] == ["Basic/Standard/Module1.xml", "Basic/script-lc.xml"]


def test_an_xls_with_a_vba_project_is_refused_and_not_stored(w):
    from lienket.core.errors import ValidationFailed

    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + "_VBA_PROJECT_CUR".encode("utf-16-le")

    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=w.users["hanoi_officer"], filename="bieu.xls", data=data)

    assert exc.value.code == "macros_refused"
    assert not ImportJob.objects.exists()


def test_the_upload_page_accepts_the_four_formats(w, client):
    client.force_login(w.users["hanoi_officer"])

    page = client.get("/reporting/import/").content.decode()

    assert 'accept=".xlsx,.xlsm,.xls,.ods' in page
