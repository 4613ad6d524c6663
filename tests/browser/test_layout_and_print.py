"""Layout and print of the pages officers use most (#16): nothing wider than a 1366 px screen (no horizontal
scrolling, no table cut inside its scroll box), the entry form and "Nhập số liệu"/"Mở báo cáo" links usable on a
390 × 844 phone, and a report and the completeness page printed to an A4 PDF without losing a column."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lienket.reporting.excel.imports import import_job_create, import_job_run
from lienket.reporting.models import ValidationRule
from lienket.reporting.services import ValueItem, datavalues_apply, submission_open
from lienket.reporting.tests.factories import PASSWORD, world
from lienket.reporting.tests.test_xlsx import build, fill

from .conftest import TIMEOUT_MS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WARNING = ("Kim ngạch xuất khẩu tăng quá nhanh so với tổng mức bán lẻ; đề nghị kiểm tra lại số liệu, đối chiếu "
                "với số liệu của Cục Hải quan và giải trình nguyên nhân biến động trong ô ghi chú của chỉ tiêu")

# The widest thing on the page, in CSS px: the document, and every table inside its scroll box.
WIDEST = """() => Math.max(document.documentElement.scrollWidth,
  ...[...document.querySelectorAll('.table-wrap')].map(e => e.getBoundingClientRect().left + e.scrollWidth))"""


@pytest.fixture
def scene(reference_data) -> dict[str, Any]:
    w = world()
    officer = w.users["hanoi_officer"]
    ValidationRule.objects.create(code="W-I16", name="Xuất khẩu so với bán lẻ", expression="EXPORT <= RETAIL",
                                  severity="warning", message=LONG_WARNING)
    monthly = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=officer)
    datavalues_apply(actor=officer, source="form", items=[
        ValueItem(unit=w.hanoi.key, period="202603", indicator="RETAIL", value=10),
        ValueItem(unit=w.hanoi.key, period="202603", indicator="EXPORT", value=5000),
    ])
    half = submission_open(dataset=w.half_year, unit=w.hanoi, period_code="2026S1", actor=officer)
    job = import_job_run(job_id=import_job_create(actor=officer, filename="bieu.xlsx", dry_run=True,
                                                  data=fill(build(w, w.hanoi), {"F7": "1.234,5", "F8": 7})).pk)
    return {"w": w, "monthly": monthly, "half": half, "job": job}


def _context(browser: Any, live_server: Any, width: int, height: int) -> Any:
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_pages_fit_a_1366_px_screen(browser, live_server, scene):
    context = _context(browser, live_server, 1366, 768)
    page = context.new_page()
    login(page, "hanoi_officer", PASSWORD)
    assert page.url.endswith("/reporting/")  # a province officer lands on their work

    for path in [
        "/reporting/",
        f"/reporting/submissions/{scene['monthly'].pk}/",
        f"/reporting/submissions/{scene['half'].pk}/",
        f"/reporting/import/{scene['job'].pk}/",
        "/reporting/completeness/BC-THANG/202603/",
        "/regions/profile/?group=north&year=2022",
    ]:
        page.goto(path)
        assert page.evaluate(WIDEST) <= 1366, path
    # the long warning wraps, and the comment box it asks for stays on screen
    page.goto(f"/reporting/submissions/{scene['monthly'].pk}/")
    assert LONG_WARNING in page.get_by_test_id("rules-EXPORT").inner_text()
    box = page.get_by_test_id("comment-EXPORT").bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 1366
    context.close()


def test_the_entry_form_and_the_links_work_on_a_phone(browser, live_server, scene):
    context = _context(browser, live_server, 390, 844)
    page = context.new_page()
    login(page, "hanoi_officer", PASSWORD)

    page.goto("/reporting/completeness/BC-THANG/202603/")
    link = page.get_by_test_id("link-01")
    box = link.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390

    page.goto(f"/reporting/submissions/{scene['monthly'].pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for testid in ("value-RETAIL", "comment-RETAIL", "estimate-RETAIL"):
        box = page.get_by_test_id(testid).bounding_box()
        assert box is not None
        assert box["x"] >= 0, testid
        assert box["x"] + box["width"] <= 390, testid
    page.get_by_test_id("value-RETAIL").fill("12")
    page.get_by_test_id("comment-RETAIL").click()
    page.get_by_test_id("saved-RETAIL").wait_for()
    context.close()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.no_axe
def test_a_report_and_the_completeness_page_print_on_a4(browser, live_server, scene):
    context = _context(browser, live_server, 1366, 768)
    page = context.new_page()
    login(page, "coordinator", PASSWORD)

    for path, needles in [
        (f"/reporting/submissions/{scene['monthly'].pk}/", ["Hà Nội", "Tháng 03/2026", "Nháp", "in lúc"]),
        ("/reporting/completeness/BC-THANG/202603/", ["Tháng 03/2026", "Hà Nội", "in lúc"]),
    ]:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(path)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 718, "height": 1000})  # A4 less the 10 mm margins, at 96 px per inch
        text = page.locator("main").inner_text()
        for needle in needles:
            assert needle in text, (path, needle)
        assert not page.locator(".site-header").is_visible()
        assert not page.get_by_test_id("workflow").is_visible()
        assert page.evaluate(WIDEST) <= 718, path  # no column cut at the page's right edge
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF")
        assert 1 <= _pages(pdf) <= 3, (path, _pages(pdf))
        page.emulate_media(media="screen")
    context.close()
