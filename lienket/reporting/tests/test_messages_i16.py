"""Messages as people read them (issue #16): counts that count, numbers in the reader's language, import
problems in the language chosen, names instead of codes, and a way back to the report."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from lienket.core.formats import format_plain
from lienket.reporting.models import ImportJob, Submission
from lienket.reporting.values import value_parse

from .test_xlsx import build, fill
from .test_xlsx_views import UPLOAD, _file


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(("lang", "expected"), [("vi", "1.000"), ("en", "1,000")])
def test_numbers_in_messages_are_grouped_never_scientific(lang, expected):
    assert format_plain(Decimal("1E+3"), lang) == expected
    assert format_plain(Decimal("1000.000000"), lang) == expected
    assert format_plain(Decimal("12.500000"), lang) == ("12,5" if lang == "vi" else "12.5")


@pytest.mark.parametrize(("lang", "value", "limit"), [("vi", "5.000", "1.000"), ("en", "5,000", "1,000")])
def test_a_value_above_the_maximum_names_both_numbers_in_the_readers_language(w, lang, value, limit):
    iip = w.indicators["IIP"]  # maximum 1000, stored as 1000.000000 (normalised: 1E+3)
    with translation.override(lang), pytest.raises(ValueError, match=re.escape(f"{value}")) as exc:
        value_parse("5000", iip)
    assert limit in str(exc.value)
    assert "E+" not in str(exc.value)


def _upload(client, w, cells, *, dry_run="0", lang=None):
    if lang:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.post(UPLOAD, {"file": _file(fill(build(w, w.hanoi), cells)), "dry_run": dry_run})
    return response


def test_a_refused_import_counts_its_problems(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.users["hanoi_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, w, {"F7": "abc", "F9": -5000})

    page = _text(client.get(response["Location"]).content.decode())

    assert ImportJob.objects.get().status == ImportJob.Status.INVALID
    assert "Phát hiện 2 lỗi" in page or "2 lỗi" in page
    assert " 0 lỗi" not in page


def test_import_problems_follow_the_language_the_reader_chose(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.users["hanoi_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, w, {"F7": "abc", "F9": -5000}, lang="vi")  # uploaded in Vietnamese

    vi_page = _text(client.get(response["Location"]).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en_page = _text(client.get(response["Location"]).content.decode())

    assert "không phải là số" in vi_page
    assert "-5.000" in vi_page
    assert "is not a number" in en_page
    assert "-5,000 is below the minimum 0" in en_page
    assert "không phải là số" not in en_page
    assert "2 problems found" in en_page


def test_import_result_shows_names_and_links_back_to_the_report(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.users["hanoi_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, w, {"F7": "1.234,5", "F8": 7})

    html = client.get(response["Location"]).content.decode()
    page = _text(html)

    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert "Đã tạo" in page
    assert "Ngày tạo" not in page
    assert "Tháng 03/2026" in page  # the period's label, not 202603
    assert w.monthly.name in page
    submission = Submission.objects.get(unit=w.hanoi, period__code="202603", dataset=w.monthly)
    assert f'href="/reporting/submissions/{submission.pk}/"' in html
    assert "Quay lại báo cáo của Hà Nội" in page


def test_dry_run_rows_name_the_indicator_and_unit(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.users["hanoi_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, w, {"F7": "1.234,5"}, dry_run="1")

    page = _text(client.get(response["Location"]).content.decode())

    assert ImportJob.objects.get().status == ImportJob.Status.VALIDATED
    assert w.indicators["RETAIL"].name in page
    assert "Hà Nội" in page
    assert "/reporting/form/BC-THANG/" in client.get(response["Location"]).content.decode()  # no report yet: start it
