"""XLSX import: validate the whole file, dry run, cell-level errors, nothing half-written, own unit only — through
reporting's upload reader."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from lienket.core.audit import AuditEntry
from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.products.exports import import_template_xlsx
from lienket.products.importing import products_import
from lienket.products.models import Producer, Product

from .factories import make_product, products_world

pytestmark = pytest.mark.django_db

ROW = ["25", "Phú Thọ", "HTX chè Long Cốc", "Tân Sơn", "0210 1", "x", "Chè Long Cốc", "Chè", "Thực phẩm", 4, 75,
       "12/QĐ-UBND", dt.datetime(2025, 3, 15), "UBND tỉnh Phú Thọ", "x", ""]


def _book(*rows: list) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(import_template_xlsx()))
    ws = wb["Sản phẩm"]
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _state():
    return list(Product.objects.values_list("id", "name", "stars", "score", "version")), Producer.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def w(clock):
    return products_world()


def test_dry_run_then_import_creates_and_updates(w):
    officer = w.users["phutho_officer"]
    existing = make_product(w.phutho, "Bưởi Đoan Hùng", producer="HTX bưởi", stars=3, score=60)
    data = _book(ROW, ["25", "", "htx buoi", "", "", "", "BƯỞI ĐOAN HÙNG", "Quả tươi", "thuc_pham", 3, "65", "45/QĐ-UBND",
                       "01/05/2024", "UBND tỉnh", "x", ""])
    # When the officer uploads it as a dry run
    dry = products_import(actor=officer, data=data, filename="san-pham.xlsx", dry_run=True)
    # Then it says what would change and writes nothing
    assert dry.ok, dry.errors
    assert (dry.rows, dry.created, dry.updated, dry.written) == (2, 1, 1, False)
    assert Product.objects.count() == 1
    # When they import it for real
    real = products_import(actor=officer, data=data, filename="san-pham.xlsx", dry_run=False)
    assert real.written
    assert (real.created, real.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.score == 65
    assert existing.version == 2
    new = Product.objects.get(name="Chè Long Cốc")
    assert new.stars == 4
    assert new.decision_date == dt.date(2025, 3, 15)
    assert new.producer.contact_public
    assert AuditEntry.objects.filter(action="product.import").count() == 1
    # And importing the same file again changes nothing
    again = products_import(actor=officer, data=data, filename="san-pham.xlsx", dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_bad_cells_are_all_reported_and_nothing_is_written(w):
    officer = w.users["phutho_officer"]
    rows = [ROW,
            ["25", "", "HTX A", "", "", "", "Rượu", "", "Đồ uống", 4, 69, "1/QĐ", "01/01/2025", "UBND", "", ""],
            ["25", "", "HTX B", "", "", "", "Mật ong", "", "nhóm lạ", "", "", "", "", "", "", ""],
            ["99", "", "HTX C", "", "", "", "Gạo", "", "", "", "", "", "", "", "", ""],
            ["25", "", "HTX D", "", "", "", "Nấm", "", "Thực phẩm", 3, 55, "2/QĐ", "32/13/2025", "UBND", "", ""],
            ["25", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""][:1] + [None] * 15,
            ROW]
    before = _state()
    result = products_import(actor=officer, data=_book(*rows), filename="loi.xlsx", dry_run=False)
    assert not result.ok
    assert not result.written
    cells = {(e["cell"], e["code"]) for e in result.errors}
    assert ("K3", "stars_score_mismatch") in cells
    assert ("I4", "invalid_group") in cells
    assert ("A5", "unknown_unit") in cells
    assert ("M6", "invalid_date") in cells
    assert ("C7", "producer_required") in cells
    assert ("G7", "name_required") in cells
    assert ("G8", "import_duplicate_row") in cells
    assert [e["cell"] for e in result.errors] == sorted((e["cell"] for e in result.errors), key=lambda c: (int(c[1:]), c[0]))
    assert all(e["message"].startswith("Sản phẩm!") for e in result.errors)
    assert _state() == before


def test_rows_of_another_province_refuse_the_whole_file(w):
    before = _state()
    hanoi_row = ["01", "", "HTX Hà Nội", "", "", "", "Gốm", "", "", "", "", "", "", "", "", ""]
    with pytest.raises(PermissionDenied) as exc:
        products_import(actor=w.users["phutho_officer"], data=_book(ROW, hanoi_row), filename="x.xlsx", dry_run=False)
    assert "Hà Nội" in exc.value.message
    assert _state() == before


def test_ministry_unit_cannot_import(w):
    with pytest.raises(PermissionDenied):
        products_import(actor=w.users["ministry_unit"], data=_book(ROW), filename="x.xlsx")


@pytest.mark.parametrize(("data", "code"), [
    (b"not a zip", "import_file"),
    (b"", "import_file"),
])
def test_unreadable_files_are_refused(w, data, code):
    with pytest.raises(ValidationFailed) as exc:
        products_import(actor=w.users["phutho_officer"], data=data, filename="x.xlsx")
    assert exc.value.code == code


def test_a_zip_bomb_is_refused_by_the_reporting_reader(w, settings):
    settings.LIENKET_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as exc:
        products_import(actor=w.users["phutho_officer"], data=out.getvalue(), filename="bomb.xlsx")
    assert exc.value.details["reason"] == "zip_bomb"


def test_a_file_without_the_headers_is_refused(w):
    wb = openpyxl.Workbook()
    wb.active.append(["Tên", "Tỉnh"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationFailed) as exc:
        products_import(actor=w.users["phutho_officer"], data=out.getvalue(), filename="x.xlsx")
    assert exc.value.code == "import_bad_header"


def test_an_export_can_be_imported_again_unchanged(w, client):
    make_product(w.phutho, "Bưởi Đoan Hùng", producer="HTX bưởi", contact_public=True)
    exported = client.get("/san-pham/xuat.xlsx").content
    result = products_import(actor=w.users["phutho_officer"], data=exported, filename="xuat.xlsx", dry_run=True)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_import_page_dry_run_shows_counts_and_errors(w, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(w.users["phutho_officer"])
    assert client.get("/san-pham/nhap/").status_code == 200
    assert client.get("/san-pham/nhap/mau.xlsx").status_code == 200
    ok = client.post("/san-pham/nhap/", {"file": SimpleUploadedFile("a.xlsx", _book(ROW)), "dry_run": "1"})
    assert ok.status_code == 200
    assert Product.objects.count() == 0
    bad_row = ["25", "", "HTX A", "", "", "", "Rượu", "", "Đồ uống", 4, 69, "1/QĐ", "01/01/2025", "UBND", "", ""]
    bad = client.post("/san-pham/nhap/", {"file": SimpleUploadedFile("b.xlsx", _book(bad_row))}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422
    assert "Sản phẩm!K2" in bad.content.decode()
    client.force_login(w.users["ministry_unit"])
    assert client.get("/san-pham/nhap/").status_code == 403
