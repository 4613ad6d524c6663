"""One account on the entry form of what is saved, what blocks submitting and what is only a warning (#16)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lienket.reporting.models import DataSetElement, ValidationRule
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.values import ValueItem

from . import test_views_support as support
from .test_views_entry import save, whole_form


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path):
    support.use_vietnamese_catalogue(settings, tmp_path)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def form(w):
    DataSetElement.objects.filter(dataset=w.monthly, indicator__code="RETAIL").update(required=True)
    return submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])


def test_a_refused_save_is_counted_in_the_summary_and_typed_values_carry_no_stale_messages(client, w, form):
    client.force_login(w.users["hanoi_officer"])

    response = save(client, form, whole_form(**{"value-RETAIL": "1500", "seen-RETAIL": "|0|", "value-EXPORT": "-5",
                                                "seen-EXPORT": "|0|"}))

    html = response.content.decode()
    text = _text(html)
    assert response.status_code == 422
    assert "Phát hiện 1 lỗi" in text
    assert "1 giá trị chưa được lưu" in text  # the summary counts the refused value, never "0 lỗi"
    assert "Cần sửa 0 lỗi" not in text
    # RETAIL was typed (valid) but not saved: no "required" message under it, it says it is not saved yet
    assert "Bắt buộc phải nhập" in text  # RETAIL is required and nothing is stored: the summary still says so
    rules = re.search(r'data-testid="rules-RETAIL">(.*?)</div>', html, re.S).group(1)
    assert "Bắt buộc phải nhập" not in rules
    assert 'data-testid="pending-RETAIL"' in rules


def test_saving_after_every_row_saved_itself_says_so(client, w, form):
    client.force_login(w.users["hanoi_officer"])
    datavalues_apply(actor=w.users["hanoi_officer"], items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=5)],
                     source="form")

    response = save(client, form, whole_form(**{"value-RETAIL": "5", "version-RETAIL": "1", "seen-RETAIL": "5|0|"}))

    page = _text(client.get(response["Location"]).content.decode())
    assert "Tất cả giá trị đã được lưu" in page
    assert "Không có gì để lưu" not in page


def test_a_draft_says_what_blocks_submitting(client, w, form):
    client.force_login(w.users["hanoi_officer"])

    page = _text(client.get(reverse("reporting:submission_detail", args=[form.pk])).content.decode())

    assert "1 vấn đề trong số liệu đã lưu khiến báo cáo chưa gửi được" in page  # RETAIL is required
    assert "1 lỗi cần sửa" in page


def test_a_submitted_report_lists_its_checks_without_asking_for_fixes(client, w, form):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=5)], source="form")
    form = submission_transition(submission=form, actor=officer, action="submit")
    ValidationRule.objects.create(code="R-I16", expression="RETAIL > 10", severity="warning", message="Bán lẻ quá thấp")
    client.force_login(w.users["coordinator"])

    page = _text(client.get(reverse("reporting:submission_detail", args=[form.pk])).content.decode())

    assert form.status == "submitted"
    assert "Kết quả kiểm tra số liệu đã lưu" in page
    assert "Cần sửa" not in page
    assert "chưa gửi được" not in page
