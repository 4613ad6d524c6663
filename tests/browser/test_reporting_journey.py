"""The reporting journey in a real browser: the officer fills the monthly report and submits it, the director
approves it, the Ministry coordinator accepts it — each in their own session, through the UI only."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from lienket.reporting.models import DataValue, Submission
from lienket.reporting.tests.factories import PASSWORD, world

from .conftest import TIMEOUT_MS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, username: str):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, username, PASSWORD)
    return context, page


def test_officer_fills_and_submits_director_approves_coordinator_accepts(browser, live_server):
    # Given the Hà Nội officer, director and the Ministry coordinator
    w = world()

    # When the officer opens the March 2026 monthly report and types two values
    ctx, page = _as(browser, live_server, "hanoi_officer")
    page.goto("/reporting/form/BC-THANG/01/202603/")
    page.get_by_test_id("value-RETAIL").fill("1.234,5")
    page.get_by_test_id("value-EXPORT").fill("56,7")
    page.get_by_test_id("value-EXPORT").press("Tab")
    page.get_by_test_id("save-draft").click()
    # (the rows may already have saved themselves on leaving the fields: then "every value is saved"; either way the
    # page came back with a message after the redirect)
    expect(page.locator("ul.messages")).to_contain_text(re.compile("Đã lưu nháp|Tất cả giá trị đã được lưu"))

    # Then both values are stored exactly, as a draft
    sub = Submission.objects.get(dataset=w.monthly, unit=w.hanoi, period__code="202603")
    values = {dv.indicator.code: dv.value for dv in DataValue.objects.filter(submission=sub).select_related("indicator")}
    assert values == {"RETAIL": Decimal("1234.5"), "EXPORT": Decimal("56.7")}

    # When the officer submits
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("status-badge").first).to_contain_text("Đã gửi")
    ctx.close()

    # And the director approves
    ctx, page = _as(browser, live_server, "hanoi_director")
    page.goto(f"/reporting/submissions/{sub.pk}/")
    page.get_by_test_id("action-approve").click()
    expect(page.get_by_test_id("status-badge").first).to_contain_text("Đã phê duyệt")
    ctx.close()

    # And the coordinator accepts
    ctx, page = _as(browser, live_server, "coordinator")
    page.goto(f"/reporting/submissions/{sub.pk}/")
    page.get_by_test_id("action-accept").click()
    expect(page.get_by_test_id("status-badge").first).to_contain_text("Đã tiếp nhận")
    ctx.close()

    # Then the report is accepted and locked
    sub.refresh_from_db()
    assert sub.status == "accepted"
    assert sub.accepted_by == w.users["coordinator"]

    # And the officer now sees a read-only form
    ctx, page = _as(browser, live_server, "hanoi_officer")
    page.goto(f"/reporting/submissions/{sub.pk}/")
    expect(page.get_by_test_id("readonly-reason")).to_be_visible()
    assert page.get_by_test_id("action-submit").count() == 0
    ctx.close()

    from django.db import connections

    connections.close_all()
