"""The user's path of an upload (dry run, then apply): the apply reuses what the dry run read when the file is
unchanged (checksum), parses again otherwise, and the dry run lists the entry form's checks (rules, outliers)
before anything is saved — they never block a draft."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from lienket.reporting.excel import batch
from lienket.reporting.excel import reader as excel_reader
from lienket.reporting.excel.imports import import_job_apply, import_job_run
from lienket.reporting.models import DataValue, DataValueAudit, ImportJob
from lienket.reporting.services import datavalues_apply
from lienket.reporting.values import ValueItem

from .test_xlsx import build, db_dump, fill, upload


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _apply(job: ImportJob, actor) -> ImportJob:
    job = import_job_apply(job=job, actor=actor)
    return import_job_run(job_id=job.pk)


def _no_parsing(monkeypatch) -> None:
    def refuse(**_kwargs):
        raise AssertionError("the apply parsed the file again")

    monkeypatch.setattr(excel_reader, "workbook_parse", refuse)


def test_the_apply_reuses_the_dry_runs_batch_and_writes_the_same_values(w, monkeypatch):
    officer = w.users["hanoi_officer"]
    data = fill(build(w, w.hanoi), {"F7": 1234.5, "G7": "x", "H7": "ước tính", "F8": "2.345,25", "F9": 101})
    job = upload(officer, data, dry_run=True)
    assert job.status == ImportJob.Status.VALIDATED, job.errors
    _no_parsing(monkeypatch)

    job = _apply(job, officer)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["parsed_again"] is False
    values = {dv.indicator.code: dv for dv in DataValue.objects.select_related("indicator")}
    assert (values["RETAIL"].value, values["RETAIL"].is_estimate, values["RETAIL"].comment) == (Decimal("1234.5"), True, "ước tính")
    assert values["EXPORT"].value == Decimal("2345.3")
    assert values["IIP"].value == 101
    assert DataValueAudit.objects.count() == 3  # one history row per value, written in one batch
    assert cache.get(batch._key(job.pk)) is None  # forgotten once applied


def test_without_the_kept_batch_the_apply_parses_the_file_again(w):
    officer = w.users["hanoi_officer"]
    job = upload(officer, fill(build(w, w.hanoi), {"F7": 5}), dry_run=True)
    cache.clear()  # expired, evicted, or another cache

    job = _apply(job, officer)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.summary["parsed_again"] is True
    assert DataValue.objects.get().value == 5


def test_a_batch_kept_for_another_file_is_not_used(w):
    officer = w.users["hanoi_officer"]
    job = upload(officer, fill(build(w, w.hanoi), {"F7": 5}), dry_run=True)
    other = excel_reader.workbook_parse(data=fill(build(w, w.hanoi), {"F7": 999}), filename="other.xlsx")
    batch.batch_save(job_id=job.pk, checksum="0" * 64, parsed=other)  # a checksum that is not the stored file's

    job = _apply(job, officer)

    assert job.summary["parsed_again"] is True
    assert DataValue.objects.get().value == 5  # the file's value, not the foreign batch's


def test_a_kept_batch_still_goes_through_the_whole_validation_when_applied(w):
    """Between the dry run and the apply the report was submitted: the reused batch is refused whole."""
    from lienket.reporting.models import Submission
    from lienket.reporting.services import submission_transition

    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=1)], source="form")
    job = upload(officer, fill(build(w, w.hanoi), {"F7": 5}), dry_run=True)
    submission_transition(submission=Submission.objects.get(), action="submit", actor=officer)
    before = db_dump()

    job = _apply(job, officer)

    assert job.status == ImportJob.Status.INVALID
    assert job.summary["parsed_again"] is False
    assert db_dump() == before


def test_the_dry_run_lists_rule_and_outlier_findings_with_their_cells_and_still_validates(w):
    officer = w.users["hanoi_officer"]
    # history: EXPORT was 10 in March 2025 (same period last year)
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202503", indicator="EXPORT", value=10)], source="form")
    data = fill(build(w, w.hanoi), {"F7": 100, "F8": 500, "F9": 101})

    job = upload(officer, data, dry_run=True)

    assert job.status == ImportJob.Status.VALIDATED, job.errors
    outliers = [c for c in job.summary["checks"] if c["code"] == "outlier_last_year"]
    assert [(c["sheet"], c["cell"], c["severity"], c["needs_comment"]) for c in outliers] == [
        ("BC-THANG - Hà Nội", "F8", "warning", True)]
    assert "EXPORT" in outliers[0]["indicators"]
    found = job.summary["checks"]

    job = _apply(job, officer)  # a warning never blocks a draft

    assert job.status == ImportJob.Status.DONE, job.errors
    assert DataValue.objects.get(indicator__code="EXPORT", period__code="202603").value == 500
    assert job.summary["checks"] == found  # the done page keeps what the dry run found


def test_a_rule_of_severity_error_is_listed_but_the_draft_is_saved(w):
    officer = w.users["hanoi_officer"]
    data = build(w, w.hanoi, dataset=w.half_year, period="2026S1")
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = {str(ws[f"B{r}"].value): r for r in range(7, ws.max_row + 1) if ws[f"B{r}"].value and not ws[f"E{r}"].value}
    data = fill(data, {f"F{rows['CCN_AREA']}": 10, f"F{rows['CCN_OCCUPIED']}": 12})

    job = upload(officer, data, dry_run=True, filename="bieu-6thang.xlsx")

    assert job.status == ImportJob.Status.VALIDATED, job.errors
    [rule] = [c for c in job.summary["checks"] if c["code"] == "rule"]
    assert rule["severity"] == "error"
    assert rule["cell"] in {f"F{rows['CCN_AREA']}", f"F{rows['CCN_OCCUPIED']}"}
    assert DataValue.objects.count() == 0

    job = _apply(job, officer)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert DataValue.objects.count() == 2


def test_the_dry_run_page_shows_the_checks(w, client):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202503", indicator="EXPORT", value=10)], source="form")
    job = upload(officer, fill(build(w, w.hanoi), {"F8": 500}), dry_run=True)
    client.force_login(officer)

    page = client.get(f"/reporting/import/{job.pk}/").content.decode()

    assert 'data-testid="import-checks"' in page
    assert "BC-THANG - Hà Nội!F8" in page


def test_validating_many_reports_at_once_finds_what_validating_each_finds(w):
    from lienket.reporting.models import Period, Submission
    from lienket.reporting.validation.rules import validate_values, validate_values_many

    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202503", indicator="EXPORT", value=10),
                                           ValueItem(unit="01", period="202603", indicator="IIP", value=100)], source="form")
    period = Period.objects.get(code="202603")
    reports = [
        (Submission.objects.get(unit=w.hanoi, period=period), {("EXPORT", None): Decimal(500), ("RETAIL", None): Decimal(3)},
         {("RETAIL", None): "ghi chú"}),
        (Submission(dataset=w.monthly, unit=w.phutho, period=period), {("EXPORT", None): Decimal(52)}, {}),  # not stored yet
    ]

    many = validate_values_many(reports=reports)
    each = [validate_values(submission=s, values=v, comments=c) for s, v, c in reports]

    assert [r.as_dict() for r in many] == [r.as_dict() for r in each]
    assert any(v.code == "outlier_last_year" for v in many[0].violations)
    assert not any(v.code == "outlier_last_year" for v in many[1].violations)  # no history: nothing to compare with
