"""Excel templates and uploads: the template maps back exactly, the whole file is validated before anything
is written, and every bad upload leaves the database exactly as it was."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from lienket.core.models import AuditEntry
from lienket.reporting.excel import mapping, template
from lienket.reporting.excel import reader as excel_reader
from lienket.reporting.excel.imports import import_job_apply, import_job_create, import_job_run
from lienket.reporting.models import DataValue, DataValueAudit, ImportJob, Submission
from lienket.reporting.services import datavalues_apply, submission_transition
from lienket.reporting.values import ValueItem

PERIOD = "202603"
PO_FILE = Path(__file__).resolve().parents[1] / "locale_vi_xlsx.po.txt"


# ---------------------------------------------------------------------------------------------------------
# helpers


def build(w: Any, *units: Any, period: str = PERIOD, dataset: Any = None, lang: str = "vi") -> bytes:
    return template.template_build(dataset=dataset or w.monthly, units=list(units) or [w.hanoi], period_code=period, lang=lang)


def fill(data: bytes, cells: dict[str, Any], sheet: int | str = 0) -> bytes:
    """Type into the workbook like a user would (openpyxl, normal mode) and save it again."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(actor: Any, data: bytes, *, dry_run: bool = False, filename: str = "bieu-01.xlsx", **options: Any) -> ImportJob:
    job = import_job_create(actor=actor, filename=filename, data=data, dry_run=dry_run, **options)
    return import_job_run(job_id=job.pk)


def db_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every field of every row the upload could touch. Audit entries *about the upload job itself*
    (import.create) are left out: recording who uploaded which file is the point of them."""
    return {
        "values": list(DataValue.objects.order_by("pk").values_list()),
        "history": list(DataValueAudit.objects.order_by("pk").values_list()),
        "submissions": list(Submission.objects.order_by("pk").values_list()),
        "audit": list(AuditEntry.objects.exclude(object_type="reporting.importjob").order_by("pk").values_list()),
    }


def messages(job: ImportJob) -> list[str]:
    return [e["message"] for e in job.errors]


@pytest.fixture
def vi(tmp_path: Path, settings: Any):
    """Vietnamese messages from the project catalogue."""
    with translation.override("vi"):
        yield


# ---------------------------------------------------------------------------------------------------------
# the template


def test_template_has_one_locked_sheet_per_unit_with_headers_validation_and_a_very_hidden_mapping(w, vi):
    datavalues_apply(actor=w.users["hanoi_officer"], items=[
        ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value="1.234,5", is_estimate=True, comment="sơ bộ"),
    ], source="form")

    wb = load_workbook(io.BytesIO(build(w, w.hanoi)))

    assert wb.sheetnames == ["BC-THANG - Hà Nội", "_lienket"]
    ws = wb["BC-THANG - Hà Nội"]
    assert wb["_lienket"].sheet_state == "veryHidden"
    assert [c.value for c in ws[mapping.HEADER_ROW]][:8] == [
        "STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Phân tổ", "Giá trị kỳ báo cáo", "Ước tính (x)", "Ghi chú",
    ]
    assert "Hà Nội" in ws["A2"].value
    assert "Tháng 03/2026" in ws["A3"].value
    assert "20/03/2026" in ws["A3"].value
    assert [ws[f"B{r}"].value for r in (7, 8, 9)] == ["RETAIL", "EXPORT", "IIP"]
    assert (ws["F7"].value, ws["G7"].value, ws["H7"].value) == (1234.5, "x", "sơ bộ")
    assert ws.protection.sheet is True
    assert ws["C7"].protection.locked is True
    assert ws["F7"].protection.locked is False
    assert ws["G7"].protection.locked is False
    assert ws["F7"].number_format == "#,##0.0"
    assert ws["F9"].number_format == '#,##0.00" %"'  # IIP is kept in per cent: 112,50 % holds 112.5
    assert ws.freeze_panes == "D7"
    formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert formulas["F7:F8"] == 'OR(F7="-",AND(ISNUMBER(F7),F7>=0))'
    assert formulas["F9"] == 'OR(F9="-",AND(ISNUMBER(F9),F9>=0,F9<=1000))'
    assert formulas["G7:G9"] == '"x"'
    error = next(dv.error for dv in ws.data_validations.dataValidation if str(dv.sqref) == "F9")
    assert "từ 0 đến 1.000" in error


def test_half_year_template_has_a_total_row_and_one_row_per_market_class(w, vi):
    wb = load_workbook(io.BytesIO(build(w, w.phutho, dataset=w.half_year, period="2026S1")))
    ws = wb.worksheets[0]

    codes = [(ws[f"B{r}"].value, ws[f"E{r}"].value) for r in range(7, 15)]
    assert codes[4:] == [("MARKETS", "Tổng số"), ("MARKETS", "Chợ hạng I"), ("MARKETS", "Chợ hạng II"), ("MARKETS", "Chợ hạng III")]
    formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    # the total may not be less than its parts (beyond rounding); the parts are whole numbers like the total
    assert formulas["F11"] == 'OR(F11="-",AND(ISNUMBER(F11),F11=INT(F11),F11>=0,F11>=SUM(F12:F14)))'
    assert formulas["F12:F14"] == 'OR(F12="-",AND(ISNUMBER(F12),F12=INT(F12),F12>=0))'


def test_multi_unit_workbook_has_a_sheet_per_unit_and_maps_each_to_its_unit_key(w):
    wb = load_workbook(io.BytesIO(build(w, w.hanoi, w.phutho, period="202609")))

    assert wb.sheetnames[1:] == ["BC-THANG - Hà Nội", "BC-THANG - Phú Thọ", "_lienket"]  # after the summary
    mapping = [row for row in wb["_lienket"].iter_rows(values_only=True) if row[0] == "S"]
    assert [(r[1], r[2]) for r in mapping] == [("BC-THANG - Hà Nội", "01"), ("BC-THANG - Phú Thọ", "25@2025-07-01")]


def test_sheet_titles_are_at_most_31_characters_and_unique(w):
    w.monthly.form_number = "Biểu 01/BCT-TTTN [tháng]"
    taken: set[str] = set()
    first = template.sheet_title(w.monthly, w.phutho_old, taken)
    second = template.sheet_title(w.monthly, w.phutho, taken)

    assert first == "Biểu 01BCT-TTTN tháng - Phú Thọ"[:31]
    assert len(second) <= 31
    assert second != first


# ---------------------------------------------------------------------------------------------------------
# round trip


def test_filled_template_writes_exactly_the_values_and_a_reupload_changes_nothing(w):
    officer = w.users["hanoi_officer"]
    data = fill(build(w, w.hanoi), {"F7": 1234.5, "G7": "x", "H7": "ước tính", "F8": "2.345,25", "F9": 101})

    job = upload(officer, data)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.summary["created"], job.summary["changed"], job.summary["unchanged"]) == (3, 0, 0)
    values = {dv.indicator.code: dv for dv in DataValue.objects.select_related("indicator")}
    assert values["RETAIL"].value == Decimal("1234.5")
    assert values["RETAIL"].is_estimate
    assert values["RETAIL"].comment == "ước tính"
    assert values["EXPORT"].value == Decimal("2345.3")  # rounded half-up to EXPORT's one decimal
    assert not values["EXPORT"].is_estimate
    assert values["IIP"].value == Decimal(101)
    assert {dv.unit for dv in values.values()} == {w.hanoi}
    history = DataValueAudit.objects.count()
    assert set(DataValueAudit.objects.values_list("source", flat=True)) == {"xlsx"}

    again = upload(officer, data)
    assert again.status == ImportJob.Status.DONE
    assert (again.summary["created"], again.summary["changed"], again.summary["unchanged"]) == (0, 0, 3)
    assert DataValueAudit.objects.count() == history


def test_downloaded_template_with_stored_values_uploads_back_unchanged(w):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[
        ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value=Decimal("1234567890123.456789"), comment="a"),
        ValueItem(unit="01", period=PERIOD, indicator="EXPORT", value=Decimal("0.1"), is_estimate=True),
    ], source="form")
    before = db_dump()

    job = upload(officer, build(w, w.hanoi))

    assert job.status == ImportJob.Status.DONE
    assert job.summary["unchanged"] == 2
    assert job.summary["changed"] == 0
    assert db_dump() == before


def test_dry_run_writes_nothing_and_says_what_would_change_then_apply_writes_it(w):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[
        ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value=10),
        ValueItem(unit="01", period=PERIOD, indicator="EXPORT", value=20),
        ValueItem(unit="01", period=PERIOD, indicator="IIP", value=30),
    ], source="form")
    data = fill(build(w, w.hanoi), {"F7": 11, "F8": "-"})
    before = db_dump()

    job = upload(officer, data, dry_run=True)

    assert job.status == ImportJob.Status.VALIDATED
    assert {k: job.summary[k] for k in ("created", "changed", "unchanged", "deleted")} == {
        "created": 0, "changed": 1, "unchanged": 1, "deleted": 1}
    changed = next(it for it in job.summary["items"] if it["action"] == "update")
    assert (changed["sheet"], changed["cell"], changed["old"], changed["value"]) == ("BC-THANG - Hà Nội", "F7", "10", "11")
    assert db_dump() == before

    job = import_job_apply(job=job, actor=officer)
    job = import_job_run(job_id=job.pk)

    assert job.status == ImportJob.Status.DONE
    assert DataValue.objects.get(indicator__code="RETAIL").value == 11
    assert not DataValue.objects.filter(indicator__code="EXPORT").exists()
    assert AuditEntry.objects.filter(action="import.apply", object_id=str(job.pk)).count() == 1


def test_a_validated_dry_run_is_applied_once_and_only_by_its_uploader(w):
    from lienket.core.errors import Conflict, PermissionDenied

    officer = w.users["hanoi_officer"]
    job = upload(officer, fill(build(w, w.hanoi), {"F7": 5}), dry_run=True)

    with pytest.raises(PermissionDenied):
        import_job_apply(job=job, actor=w.users["hanoi_director"])
    import_job_run(job_id=import_job_apply(job=job, actor=officer).pk)
    with pytest.raises(Conflict):
        import_job_apply(job=job, actor=officer)
    assert DataValue.objects.count() == 1
    assert import_job_run(job_id=job.pk).status == ImportJob.Status.DONE  # running again does nothing
    assert DataValueAudit.objects.count() == 1


def test_empty_cells_leave_values_unless_the_uploader_asks_to_delete_them(w):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value=10),
                                           ValueItem(unit="01", period=PERIOD, indicator="EXPORT", value=20)], source="form")
    data = fill(build(w, w.hanoi), {"F7": None, "F8": None})

    kept = upload(officer, data)
    assert kept.status == ImportJob.Status.DONE
    assert DataValue.objects.count() == 2

    cleared = upload(officer, data, empty_deletes=True)
    assert cleared.status == ImportJob.Status.DONE
    assert cleared.summary["deleted"] == 2
    assert DataValue.objects.count() == 0


def test_half_year_options_round_trip(w):
    officer = w.users["phutho_officer"]
    data = fill(build(w, w.phutho, dataset=w.half_year, period="2026S1"), {"F11": 12, "F12": 2, "F13": 4, "F14": 6, "F9": 100.25})

    job = upload(officer, data)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert dict(DataValue.objects.filter(indicator__code="MARKETS").values_list("option__code", "value")) == {
        None: 12, "I": 2, "II": 4, "III": 6}


# ---------------------------------------------------------------------------------------------------------
# errors: sheet, cell and reason; nothing written


def test_text_in_a_number_cell_is_reported_with_sheet_cell_and_reason_in_vietnamese(w, vi):
    officer = w.users["hanoi_officer"]
    data = fill(build(w, w.hanoi), {"F7": "abc", "F8": 5, "F9": -3, "G8": "có"})
    before = db_dump()

    job = upload(officer, data)

    assert job.status == ImportJob.Status.INVALID
    assert messages(job)[0] == 'BC-THANG - Hà Nội!F7: "abc" không phải là số'
    assert messages(job)[1].startswith("BC-THANG - Hà Nội!G8: ")
    assert messages(job)[2].startswith("BC-THANG - Hà Nội!F9: ")  # below the minimum: found by the write path
    assert [(e["sheet"], e["cell"]) for e in job.errors] == [("BC-THANG - Hà Nội", "F7"), ("BC-THANG - Hà Nội", "G8"),
                                                            ("BC-THANG - Hà Nội", "F9")]
    assert db_dump() == before


def test_a_fraction_for_a_whole_number_indicator_names_its_cell(w):
    officer = w.users["phutho_officer"]
    data = fill(build(w, w.phutho, dataset=w.half_year, period="2026S1"), {"F12": 2.5})

    job = upload(officer, data)

    assert job.status == ImportJob.Status.INVALID
    assert [e["ref"] for e in job.errors] == ["BC-6THANG - Phú Thọ!F12"]
    assert DataValue.objects.count() == 0


@pytest.mark.parametrize(("filename", "payload", "code"), [
    ("bao-cao.docx", "docx", "not_xlsx"),
    ("random.xlsx", "random", "not_xlsx"),
    ("cut.xlsx", "truncated", "not_xlsx"),
    ("empty.xlsx", "empty", "empty_file"),
    ("bomb.xlsx", "bomb", "zip_bomb"),
    ("plain.xlsx", "plain", "not_a_template"),
    ("crc.xlsx", "crc", "corrupt_file"),
])
def test_files_that_are_not_a_usable_template_are_refused_and_nothing_changes(w, filename, payload, code):
    officer = w.users["hanoi_officer"]
    good = fill(build(w, w.hanoi), {"F7": 1})
    data = _bad_file(payload, good)
    before = db_dump()

    if payload == "empty":
        from lienket.core.errors import ValidationFailed

        with pytest.raises(ValidationFailed):
            import_job_create(actor=officer, filename=filename, data=data, dry_run=False)
        assert db_dump() == before
        return
    job = upload(officer, data, filename=filename)

    assert job.status == ImportJob.Status.INVALID
    assert [e["code"] for e in job.errors] == [code]
    assert filename in job.errors[0]["message"]
    assert db_dump() == before


def _bad_file(kind: str, good: bytes) -> bytes:
    buf = io.BytesIO()
    if kind == "docx":
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document/>")
        return buf.getvalue()
    if kind == "random":
        return bytes(range(256)) * 40
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "empty":
        return b""
    if kind == "bomb":
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("xl/workbook.xml", "<workbook/>")
            zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
        return buf.getvalue()
    if kind == "plain":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active["A1"] = "Báo cáo"
        wb.save(buf)
        return buf.getvalue()
    if kind == "crc":
        # Flip bytes inside the compressed data of the largest member: the zip directory is intact, the
        # content is not.
        with zipfile.ZipFile(io.BytesIO(good)) as zf:
            info = max(zf.infolist(), key=lambda i: i.compress_size)
        data = bytearray(good)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for i in range(start + 10, start + min(info.compress_size, 200)):
            data[i] ^= 0x5A
        return bytes(data)
    raise AssertionError(kind)


def test_oversized_file_is_refused_before_it_is_stored(w, settings):
    settings.LIENKET_MAX_UPLOAD_BYTES = 1000
    from lienket.core.errors import ValidationFailed

    before = db_dump()
    with pytest.raises(ValidationFailed) as exc:
        import_job_create(actor=w.users["hanoi_officer"], filename="big.xlsx", data=b"x" * 1001, dry_run=False)
    assert exc.value.code == "file_too_large"
    assert "big.xlsx" in exc.value.message
    assert ImportJob.objects.count() == 0
    assert db_dump() == before
    assert AuditEntry.objects.count() == 0


def test_a_zip_bomb_is_refused_before_it_is_decompressed(w, settings):
    settings.LIENKET_MAX_UNCOMPRESSED_BYTES = 200_000
    data = fill(build(w, w.hanoi), {"F7": 1})
    before = db_dump()

    # A normal template still passes a generous limit...
    assert upload(w.users["hanoi_officer"], data, dry_run=True).status == ImportJob.Status.VALIDATED
    # ...and anything expanding beyond the configured limit is refused.
    settings.LIENKET_MAX_UNCOMPRESSED_BYTES = 20_000
    job = upload(w.users["hanoi_officer"], data)
    assert [e["code"] for e in job.errors] == ["zip_bomb"]
    assert db_dump() == before


def test_other_units_template_is_refused_naming_sheet_and_unit(w, vi):
    data = fill(build(w, w.phutho, period="202609"), {"F7": 1, "F8": 2})
    before = db_dump()

    job = upload(w.users["hanoi_officer"], data)

    assert job.status == ImportJob.Status.INVALID
    assert [e["code"] for e in job.errors] == ["forbidden"]
    message = job.errors[0]["message"]
    assert "BC-THANG - Phú Thọ" in message
    assert "25@2025-07-01" in message
    assert "2 ô" in message
    assert db_dump() == before


def test_a_multi_unit_workbook_is_refused_whole_if_one_sheet_is_not_yours(w):
    data = build(w, w.hanoi, w.phutho, period="202609")
    data = fill(fill(data, {"F7": 1}, sheet=1), {"F7": 2}, sheet=2)  # sheet 0 is the summary
    before = db_dump()

    job = upload(w.users["hanoi_officer"], data)

    assert job.status == ImportJob.Status.INVALID
    assert [(e["sheet"], e["code"]) for e in job.errors] == [("BC-THANG - Phú Thọ", "forbidden")]
    assert db_dump() == before


def test_tampered_mapping_is_detected_by_its_signature(w, vi):
    data = build(w, w.phutho, period="202609")
    wb = load_workbook(io.BytesIO(fill(data, {"F7": 1})))
    hidden = wb["_lienket"]
    for row in hidden.iter_rows():
        if row[0].value == "S":
            row[2].value = "01"  # point Phú Thọ's sheet at Hà Nội
    buf = io.BytesIO()
    wb.save(buf)
    before = db_dump()

    job = upload(w.users["hanoi_officer"], buf.getvalue(), filename="sua.xlsx")

    assert job.status == ImportJob.Status.INVALID
    assert [e["code"] for e in job.errors] == ["tampered_template"]
    assert "sua.xlsx" in job.errors[0]["message"]
    assert "chữ ký" in job.errors[0]["message"]
    assert db_dump() == before


def test_a_template_signed_with_another_secret_key_is_refused(w, settings):
    data = fill(build(w, w.hanoi), {"F7": 1})
    settings.SECRET_KEY = "another-server-" + "k" * 40

    job = upload(w.users["hanoi_officer"], data)

    assert [e["code"] for e in job.errors] == ["tampered_template"]
    assert DataValue.objects.count() == 0


def test_moved_rows_are_detected(w):
    data = build(w, w.hanoi)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    ws["B7"], ws["B8"] = "EXPORT", "RETAIL"  # the user sorted the rows
    ws["F7"], ws["F8"] = 1, 2
    buf = io.BytesIO()
    wb.save(buf)
    before = db_dump()

    job = upload(w.users["hanoi_officer"], buf.getvalue())

    assert [(e["cell"], e["code"]) for e in job.errors] == [("B7", "moved_row"), ("B8", "moved_row")]
    assert "RETAIL" in job.errors[0]["message"]
    assert db_dump() == before


def test_values_below_the_template_rows_are_reported_not_lost(w):
    job = upload(w.users["hanoi_officer"], fill(build(w, w.hanoi), {"F7": 1, "F20": 5}))

    assert [(e["cell"], e["code"]) for e in job.errors] == [("F20", "outside_template")]
    assert DataValue.objects.count() == 0


def test_locked_period_is_refused_and_nothing_changes(w, vi):
    officer, director, coordinator = w.users["hanoi_officer"], w.users["hanoi_director"], w.users["coordinator"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period=PERIOD, indicator="RETAIL", value=10)], source="form")
    sub = Submission.objects.get()
    for actor, action in ((officer, "submit"), (director, "approve"), (coordinator, "accept")):
        sub = submission_transition(submission=sub, actor=actor, action=action)
    data = fill(build(w, w.hanoi), {"F7": 11, "F8": 3})
    before = db_dump()

    job = upload(officer, data)

    assert job.status == ImportJob.Status.INVALID
    assert [e["code"] for e in job.errors] == ["locked"]
    assert "BC-THANG - Hà Nội" in job.errors[0]["message"]
    assert db_dump() == before


def test_upload_for_another_period_than_expected_is_refused(w):
    data = fill(build(w, w.hanoi), {"F7": 1})

    job = upload(w.users["hanoi_officer"], data, period="202604")
    other = upload(w.users["hanoi_officer"], data, dataset="BC-6THANG")

    assert [e["code"] for e in job.errors] == ["wrong_period"]
    assert [e["code"] for e in other.errors] == ["wrong_dataset"]
    assert DataValue.objects.count() == 0


def test_a_template_of_an_inactive_data_set_is_refused(w):
    data = fill(build(w, w.hanoi), {"F7": 1})
    w.monthly.is_active = False
    w.monthly.save()

    job = upload(w.users["hanoi_officer"], data)

    assert [e["code"] for e in job.errors] == ["unknown_dataset"]


def test_a_renamed_sheet_is_reported(w):
    wb = load_workbook(io.BytesIO(fill(build(w, w.hanoi), {"F7": 1})))
    wb.worksheets[0].title = "Sheet1"
    buf = io.BytesIO()
    wb.save(buf)

    job = upload(w.users["hanoi_officer"], buf.getvalue())

    assert [e["code"] for e in job.errors] == ["missing_sheet"]


def test_progress_is_recorded_and_the_job_records_its_file(w):
    data = fill(build(w, w.hanoi), {"F7": 1})

    job = upload(w.users["hanoi_officer"], data, dry_run=True)

    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.finished_at is not None
    assert job.finished_at <= timezone.now()
    assert len(job.sha256) == 64
    assert bytes(job.content) == data
    assert AuditEntry.objects.filter(action="import.create", object_id=str(job.pk)).count() == 1


def test_english_template_uses_english_headers(w):
    wb = load_workbook(io.BytesIO(build(w, w.hanoi, lang="en")))
    ws = wb.worksheets[0]

    assert ws["B6"].value == "Indicator code"
    assert ws["C7"].value == w.indicators["RETAIL"].name_en


# ---------------------------------------------------------------------------------------------------------
# the two readers: the streaming one and openpyxl (fallback) read the same


def _rewrite_sheet(data: bytes, transform: Any) -> bytes:
    """Rewrite the XML of the first worksheet as another producer might have written it."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = transform(content)
            dst.writestr(info, content)
    return out.getvalue()


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_both_readers_give_the_same_items(w, reader):
    data = fill(build(w, w.hanoi), {"F7": "1.234,5", "G7": "x", "H7": "a & b <c>", "F8": 2, "F9": "-"})

    parsed = excel_reader.workbook_parse(data=data, filename="b.xlsx", reader=reader)

    assert parsed.errors == []
    assert [(i.ref, i.indicator, i.value, i.is_estimate, i.comment) for i in parsed.items] == [
        ("BC-THANG - Hà Nội!F7", "RETAIL", Decimal("1234.5"), True, "a & b <c>"),
        ("BC-THANG - Hà Nội!F8", "EXPORT", Decimal(2), False, ""),
        ("BC-THANG - Hà Nội!F9", "IIP", None, None, None),
    ]


def test_fast_reader_handles_namespace_prefixes_and_cells_without_references(w):
    data = fill(build(w, w.hanoi), {"F7": 5, "F8": 6})

    def prefixed(xml: bytes) -> bytes:
        xml = xml.replace(b"<sheetData>", b'<x:sheetData xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        xml = xml.replace(b"</sheetData>", b"</x:sheetData>")
        for tag in (b"row", b"c", b"v", b"is", b"t"):
            xml = xml.replace(b"<" + tag + b" ", b"<x:" + tag + b" ").replace(b"<" + tag + b">", b"<x:" + tag + b">")
            xml = xml.replace(b"</" + tag + b">", b"</x:" + tag + b">")
        return xml

    parsed = excel_reader.workbook_parse(data=_rewrite_sheet(data, prefixed), filename="b.xlsx", reader="fast")

    assert parsed.errors == []
    assert [(i.ref, i.value) for i in parsed.items] == [("BC-THANG - Hà Nội!F7", 5), ("BC-THANG - Hà Nội!F8", 6)]


def test_xml_the_fast_reader_does_not_handle_falls_back_to_openpyxl(w):
    data = fill(build(w, w.hanoi), {"F7": 5})
    with_comment = _rewrite_sheet(data, lambda xml: xml.replace(b"<sheetData>", b"<sheetData><!-- made elsewhere -->"))

    parsed = excel_reader.workbook_parse(data=with_comment, filename="b.xlsx")

    assert parsed.errors == []
    assert [(i.ref, i.value) for i in parsed.items] == [("BC-THANG - Hà Nội!F7", 5)]


@pytest.mark.parametrize("reader", ["fast", "openpyxl"])
def test_a_date_in_a_value_cell_is_not_taken_for_a_number(w, reader):
    import datetime as dt

    wb = load_workbook(io.BytesIO(build(w, w.hanoi)))
    ws = wb.worksheets[0]
    ws["F7"] = dt.date(2026, 3, 1)
    ws["F7"].number_format = "dd/mm/yyyy"
    buf = io.BytesIO()
    wb.save(buf)

    parsed = excel_reader.workbook_parse(data=buf.getvalue(), filename="b.xlsx", reader=reader)

    assert [(e["cell"], e["code"]) for e in parsed.errors] == [("F7", "invalid_value")]
