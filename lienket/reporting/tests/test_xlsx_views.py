"""The Excel pages: download a template or the all-units workbook, upload, follow the job, apply."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lienket.reporting.excel.mapping import XLSX_CONTENT_TYPE
from lienket.reporting.models import DataValue, ImportJob

from .test_xlsx import PERIOD, build, db_dump, fill, upload

TEMPLATE = reverse("reporting:template_download")
WORKBOOK = reverse("reporting:workbook_download")
UPLOAD = reverse("reporting:import_upload")


def _sheets(response) -> list[str]:
    return load_workbook(io.BytesIO(response.content), read_only=True).sheetnames


def _file(data: bytes, name: str = "bieu.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def test_province_officer_downloads_the_template_of_their_own_unit(client, w):
    client.force_login(w.users["hanoi_officer"])

    response = client.get(TEMPLATE, {"dataset": "BC-THANG", "period": PERIOD})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="BC-THANG_01_202603.xlsx"'
    assert _sheets(response) == ["BC-THANG - Hà Nội", "_lienket"]


def test_unit_may_be_given_as_code_or_key(client, w):
    client.force_login(w.users["phutho_officer"])

    by_code = client.get(TEMPLATE, {"dataset": "BC-THANG", "period": "202609", "unit": "25"})
    by_key = client.get(TEMPLATE, {"dataset": "BC-THANG", "period": "202609", "unit": "25@2025-07-01"})

    assert by_code.status_code == by_key.status_code == 200
    assert by_code["Content-Disposition"].endswith('BC-THANG_25_2025-07-01_202609.xlsx"')


def test_template_of_another_province_is_refused(client, w):
    client.force_login(w.users["hanoi_officer"])

    response = client.get(TEMPLATE, {"dataset": "BC-THANG", "period": "202609", "unit": "25"})

    assert response.status_code == 403
    assert "Phú Thọ" in response.content.decode()


@pytest.mark.parametrize(("params", "needle"), [
    ({"period": PERIOD}, "dataset"),
    ({"dataset": "NOPE", "period": PERIOD}, "NOPE"),
    ({"dataset": "BC-THANG", "period": "2026X1"}, "2026X1"),
    ({"dataset": "BC-THANG", "period": "2026S1"}, "2026S1"),
    ({"dataset": "BC-THANG", "period": PERIOD, "unit": "99"}, "99"),
    ({"dataset": "BC-THANG", "period": "202609", "unit": "26"}, "26"),  # Vĩnh Phúc no longer exists in 09/2026
])
def test_bad_parameters_give_a_400_page_with_the_reason(client, w, params, needle):
    client.force_login(w.users["coordinator"])

    response = client.get(TEMPLATE, params)

    assert response.status_code == 400
    assert needle in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client, w):
    job = upload(w.users["hanoi_officer"], fill(build(w, w.hanoi), {"F7": 1}), dry_run=True)
    for url in (TEMPLATE + "?dataset=BC-THANG&period=202603", WORKBOOK, UPLOAD, reverse("reporting:import_detail", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("users:login") in response["Location"]
    response = client.post(reverse("reporting:import_apply", args=[job.pk]))
    assert response.status_code == 302
    assert reverse("users:login") in response["Location"]
    assert DataValue.objects.count() == 0


def test_coordinator_downloads_the_workbook_of_all_reporting_units(client, w):
    client.force_login(w.users["coordinator"])

    before = client.get(WORKBOOK, {"dataset": "BC-6THANG", "period": "2025S1"})
    after = client.get(WORKBOOK, {"dataset": "BC-6THANG", "period": "2026S1"})

    assert before.status_code == after.status_code == 200
    # the summary of every unit first, then a sheet per unit
    assert _sheets(before)[1:] == ["BC-6THANG - Hà Nội", "BC-6THANG - Phú Thọ", "BC-6THANG - Vĩnh Phúc", "_lienket"]
    assert _sheets(after)[1:] == ["BC-6THANG - Hà Nội", "BC-6THANG - Phú Thọ", "_lienket"]
    assert after["Content-Disposition"] == 'attachment; filename="BC-6THANG_all_2026S1.xlsx"'


def test_province_user_cannot_download_the_workbook_of_all_units(client, w):
    client.force_login(w.users["hanoi_director"])

    response = client.get(WORKBOOK, {"dataset": "BC-6THANG", "period": "2026S1"})

    assert response.status_code == 403


def test_upload_form_has_dry_run_ticked(client, w):
    client.force_login(w.users["hanoi_officer"])

    html = client.get(UPLOAD).content.decode()

    assert 'name="dry_run" value="1" checked' in html
    assert 'type="file"' in html
    assert 'enctype="multipart/form-data"' in html


def test_upload_dry_run_then_apply(client, w, django_capture_on_commit_callbacks):
    officer = w.users["hanoi_officer"]
    client.force_login(officer)
    data = fill(build(w, w.hanoi), {"F7": "1.234,5", "F8": 7})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": _file(data), "dry_run": ["0", "1"]})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.VALIDATED
    assert job.dry_run
    assert DataValue.objects.count() == 0

    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-created">2<' in page
    assert reverse("reporting:import_apply", args=[job.pk]) in page
    assert "BC-THANG - Hà Nội" in page
    assert "F7" in page
    assert "1.234,5" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:import_apply", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert DataValue.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert reverse("reporting:import_apply", args=[job.pk]) not in page


def test_upload_without_dry_run_writes_at_once(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.users["hanoi_officer"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(UPLOAD, {"file": _file(fill(build(w, w.hanoi), {"F7": 3})), "dry_run": "0"})

    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert DataValue.objects.get().value == 3


def test_errors_are_listed_with_sheet_and_cell(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.users["hanoi_officer"])
    before = db_dump()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": _file(fill(build(w, w.hanoi), {"F7": "abc"})), "dry_run": "0"})
    page = client.get(response["Location"]).content.decode()

    assert 'data-testid="import-errors"' in page
    assert re.search(r"<td[^>]*>BC-THANG - Hà Nội</td><td[^>]*>F7</td>", page)
    assert "abc" in page
    assert db_dump() == before


def test_oversized_upload_is_refused_on_the_form(client, w, settings):
    settings.LIENKET_MAX_UPLOAD_BYTES = 2000
    client.force_login(w.users["hanoi_officer"])

    response = client.post(UPLOAD, {"file": _file(build(w, w.hanoi), "to.xlsx"), "dry_run": "1"})

    assert response.status_code == 413
    assert "to.xlsx" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_upload_without_a_file_is_refused(client, w):
    client.force_login(w.users["hanoi_officer"])

    response = client.post(UPLOAD, {"dry_run": "1"})

    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_a_job_is_shown_to_its_uploader_and_the_coordinator_only(client, w):
    job = upload(w.users["hanoi_officer"], fill(build(w, w.hanoi), {"F7": 1}), dry_run=True)
    url = reverse("reporting:import_detail", args=[job.pk])

    client.force_login(w.users["coordinator"])
    assert client.get(url).status_code == 200
    assert reverse("reporting:import_apply", args=[job.pk]) not in client.get(url).content.decode()
    client.force_login(w.users["hanoi_director"])
    assert client.get(url).status_code == 403
    assert client.post(reverse("reporting:import_apply", args=[job.pk])).status_code == 403
    assert client.get(reverse("reporting:import_detail", args=[job.pk + 999])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED
    assert DataValue.objects.count() == 0


def test_running_job_polls_every_second_and_a_finished_one_does_not(client, w):
    officer = w.users["hanoi_officer"]
    client.force_login(officer)
    from lienket.reporting.excel.imports import import_job_create

    job = import_job_create(actor=officer, filename="b.xlsx", data=fill(build(w, w.hanoi), {"F7": 1}), dry_run=True)
    url = reverse("reporting:import_detail", args=[job.pk])

    pending = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in pending
    assert "<progress" in pending
    assert "<html" not in pending

    upload_done = upload(officer, fill(build(w, w.hanoi), {"F7": 1}), dry_run=True)
    done = client.get(reverse("reporting:import_detail", args=[upload_done.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done


def test_applying_twice_shows_a_message_and_changes_nothing_more(client, w, django_capture_on_commit_callbacks):
    officer = w.users["hanoi_officer"]
    client.force_login(officer)
    job = upload(officer, fill(build(w, w.hanoi), {"F7": 1}), dry_run=True)
    apply_url = reverse("reporting:import_apply", args=[job.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply_url)
    before = db_dump()
    response = client.post(apply_url, follow=True)

    assert response.status_code == 200
    assert "message error" in response.content.decode()
    assert db_dump() == before
