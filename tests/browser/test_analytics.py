"""Analytics in chromium: build a pivot, open "how was this obtained", download XLSX/CSV/SDMX-CSV, open the
dashboard, the map and the public page — no CSP violation, axe-clean (the conftest audits every page.goto),
screenshots at 1366×768 and 390×844 in /work/shots/i18/ (LIENKET_SHOTS) when that folder can be written."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from lienket.analytics.tests.conftest import Put
from lienket.regions.models import UnitSuccession
from lienket.reporting.tests.factories import MERGER, world

from .test_csp import _watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("LIENKET_SHOTS", "/work/shots/i18"))
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def shot(page: Any, name: str) -> None:
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.wait_for_timeout(400)  # plotly redraws on resize (debounced); only the picture waits for it
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])


def data() -> Any:
    w = world()
    for old in (w.phutho_old, w.vinhphuc_old):
        UnitSuccession.objects.get_or_create(predecessor=old, successor=w.phutho, defaults={"effective": MERGER, "share": 1})
    put = Put(w)
    for code, hn, pt, vp in (("202501", 100, 20, 30), ("202502", 110, 22, 31), ("202503", 120, 25, None)):
        put(w.hanoi, code, EXPORT=hn, IIP="105")
        put(w.phutho_old, code, EXPORT=pt, IIP="99")
        if vp is not None:
            put(w.vinhphuc_old, code, EXPORT=vp, IIP="111")
    for code, hn, pt in (("202601", 130, 60), ("202602", 140, 66), ("202603", 150, 70)):
        put(w.hanoi, code, EXPORT=hn, IIP="104")
        put(w.phutho, code, EXPORT=pt, IIP="101,5".replace(",", "."))
    return w


def test_pivot_explanation_exports_dashboard_and_map(browser: Any, live_server: Any) -> None:
    data()
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=SIZES["desktop"], accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    violations = _watch(page)

    page.goto("/analytics/?indicator=EXPORT&period=202501..202503&group=north&by=unit")
    table = page.get_by_test_id("pivot-table")
    expect(table).to_contain_text("Khu vực phía Bắc")
    expect(table).to_contain_text("2/3 đơn vị")  # March 2025: Vĩnh Phúc missing
    expect(page.locator(".chart .main-svg").first).to_be_visible()  # plotly drew the chart
    total = page.get_by_test_id("row-north").locator("a.why-link").last
    total.click()
    why = page.locator(".why:target")
    expect(why).to_be_visible()
    expect(why).to_contain_text("Vĩnh Phúc")
    shot(page, "pivot")

    downloads: dict[str, bytes] = {}
    for fmt in ("xlsx", "csv", "sdmx"):
        with page.expect_download() as info:
            page.get_by_test_id(f"export-{fmt}").click()
        downloads[fmt] = Path(info.value.path()).read_bytes()
    ws = openpyxl.load_workbook(io.BytesIO(downloads["xlsx"])).active
    assert any(row[0] == "Khu vực phía Bắc" for row in ws.iter_rows(values_only=True))
    rows = list(csv.reader(io.StringIO(downloads["csv"].decode("utf-8-sig"))))
    assert rows[0][0] == "Đơn vị"
    assert downloads["sdmx"].startswith(b"STRUCTURE,STRUCTURE_ID,ACTION")

    page.goto("/analytics/?indicator=EXPORT&period=202501..202603&unit=25@2025-07-01&by=period")
    expect(page.get_by_test_id("pivot-table")).to_contain_text("†")  # derived from the former provinces
    shot(page, "pivot-series")

    page.goto("/analytics/dashboard/?period=202603")
    expect(page.get_by_test_id("overview-summary")).to_be_visible()
    expect(page.get_by_test_id("threshold-counts")).to_be_visible()
    shot(page, "dashboard")

    page.goto("/analytics/map/?indicator=EXPORT&period=202603")
    expect(page.get_by_test_id("tilemap")).to_be_visible()
    assert page.locator("[data-testid^=tile-]").count() == 18
    shot(page, "map")
    page.goto("/analytics/map/?indicator=EXPORT&period=202503")
    assert page.locator("[data-testid^=tile-]").count() == 28

    page.goto("/analytics/unit/25/?period=202603")
    expect(page.get_by_test_id("unit-rank")).to_be_visible()
    shot(page, "unit")
    page.goto("/analytics/rankings/?indicator=EXPORT&period=202603")
    expect(page.get_by_test_id("rankings")).to_be_visible()
    page.goto("/thong-ke/?period=202603")
    expect(page.get_by_test_id("public-table")).to_contain_text("Hà Nội")
    shot(page, "public")

    assert violations == [], "\n".join(violations)
    context.close()
