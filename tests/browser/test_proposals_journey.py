"""The proposals journey in a real browser, each person in their own session, through the UI only: the Hà Nội
director writes a proposal (similar ones are suggested while typing) and submits it, the coordinator receives it
and assigns it to Vụ Thị trường trong nước with a deadline, the unit answers, the province accepts, and the public
page shows the answer. Screenshots at 1366×768 and 390×844 go to $LIENKET_SHOTS_DIR when it is set."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lienket.proposals.models import Proposal
from lienket.proposals.tests.factories import advance, draft, pworld
from lienket.reporting.tests.factories import PASSWORD

from .conftest import TIMEOUT_MS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
SHOTS = os.environ.get("LIENKET_SHOTS_DIR", "")


def _as(browser, live_server, username: str, viewport: str = "desktop"):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    if username:
        login(page, username, PASSWORD)
    return context, page


def _shot(browser, live_server, username: str, path: str, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for label in VIEWPORTS:
        ctx, page = _as(browser, live_server, username, label)
        page.goto(path)
        page.screenshot(path=f"{SHOTS}/{name}-{label}.png", full_page=True)
        ctx.close()


def test_director_submits_coordinator_assigns_unit_answers_province_accepts_public_sees(browser, live_server, clock):
    pw = pworld()
    existing = advance(pw, draft(pw, title="Sớm ban hành cơ chế phát triển điện mặt trời mái nhà", unit=pw.phutho,
                                 actor=pw.other_officer, field="energy", kind="policy"), "received")

    # The director writes the proposal; a similar one (typed without diacritics) is suggested
    ctx, page = _as(browser, live_server, "hanoi_director")
    page.goto("/kien-nghi/moi/")
    page.get_by_test_id("title-input").press_sequentially("co che dien mat troi mai nha", delay=10)
    expect(page.get_by_test_id(f"similar-{existing.pk}")).to_be_visible()
    _shot_page = page.screenshot(path=f"{SHOTS}/create-suggestions-desktop.png", full_page=True) if SHOTS else None
    page.get_by_test_id("title-input").fill("Cơ chế khuyến khích điện mặt trời mái nhà tại Hà Nội")
    page.fill("#id_body", "Đề nghị Bộ sớm ban hành cơ chế khuyến khích điện mặt trời mái nhà.")
    page.select_option("#id_field", "energy")
    page.select_option("#id_kind", "policy")
    page.get_by_test_id("create-submit").click()
    expect(page.get_by_test_id("proposal-title")).to_contain_text("điện mặt trời mái nhà tại Hà Nội")
    p = Proposal.objects.get(title__endswith="tại Hà Nội")
    page.get_by_test_id("action-submit").click()
    expect(page.locator("ul.messages")).to_contain_text(re.compile("đã gửi", re.I))
    ctx.close()

    # The coordinator receives it and assigns it with a deadline
    ctx, page = _as(browser, live_server, "coordinator")
    page.goto(f"/kien-nghi/{p.pk}/")
    page.get_by_test_id("action-receive").click()
    expect(page.locator("ul.messages")).to_contain_text(re.compile("đã tiếp nhận", re.I))
    page.get_by_test_id("lead-unit-select").select_option("vu-thi-truong-trong-nuoc")
    page.get_by_test_id("deadline-input").fill("2026-05-15")
    page.get_by_test_id("action-assign").click()
    expect(page.get_by_test_id("deadline")).to_contain_text("15/05/2026")
    ctx.close()
    _shot(browser, live_server, "ministry_unit", f"/kien-nghi/{p.pk}/", "detail-assigned")

    # The Ministry unit answers
    ctx, page = _as(browser, live_server, "ministry_unit")
    page.goto(f"/kien-nghi/{p.pk}/")
    page.get_by_test_id("answer-input").fill("Bộ đang xây dựng dự thảo cơ chế, dự kiến trình Chính phủ trong quý III.")
    page.get_by_test_id("action-answer").click()
    expect(page.get_by_test_id("answer")).to_contain_text("quý III")
    ctx.close()

    # The province accepts
    ctx, page = _as(browser, live_server, "hanoi_officer")
    page.goto(f"/kien-nghi/{p.pk}/")
    page.get_by_test_id("action-accept").click()
    expect(page.locator("ul.messages")).to_contain_text(re.compile("đã đóng", re.I))
    ctx.close()
    p.refresh_from_db()
    assert p.status == "closed"
    assert p.closed_by == pw.officer

    # The public page shows the answer
    ctx, page = _as(browser, live_server, "")
    page.goto("/kien-nghi/")
    expect(page.get_by_test_id(f"public-{p.pk}")).to_contain_text("trình Chính phủ trong quý III")
    ctx.close()

    _shot(browser, live_server, "", "/kien-nghi/", "public-list")
    _shot(browser, live_server, "", f"/kien-nghi/{p.pk}/", "detail-public")
    _shot(browser, live_server, "coordinator", "/kien-nghi/xu-ly/", "work-list")
    _shot(browser, live_server, "coordinator", "/kien-nghi/thong-ke/", "statistics")
    _shot(browser, live_server, "coordinator", "/kien-nghi/doc-thuc/", "escalation")
    _shot(browser, live_server, "coordinator", f"/kien-nghi/{existing.pk}/", "detail-received-coordinator")
    _shot(browser, live_server, "hanoi_director", "/kien-nghi/moi/", "create")

    from django.db import connections

    connections.close_all()
