"""The reporting journey in a real browser: the officer fills the monthly report and submits it, the director
approves it, the Ministry coordinator accepts it — each in their own session, through the UI only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lienket.reporting.models import DataValue, Submission
from lienket.reporting.tests.factories import PASSWORD, world

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, username: str):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(15_000)
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
    page.wait_for_load_state("networkidle")

    # Then both values are stored exactly, as a draft
    sub = Submission.objects.get(dataset=w.monthly, unit=w.hanoi, period__code="202603")
    values = {dv.indicator.code: dv.value for dv in DataValue.objects.filter(submission=sub).select_related("indicator")}
    assert values == {"RETAIL": Decimal("1234.5"), "EXPORT": Decimal("56.7")}

    # When the officer submits
    page.get_by_test_id("action-submit").click()
    page.wait_for_load_state("networkidle")
    assert "Đã gửi" in page.get_by_test_id("status-badge").first.inner_text()
    ctx.close()

    # And the director approves
    ctx, page = _as(browser, live_server, "hanoi_director")
    page.goto(f"/reporting/submissions/{sub.pk}/")
    page.get_by_test_id("action-approve").click()
    page.wait_for_load_state("networkidle")
    assert "Đã phê duyệt" in page.get_by_test_id("status-badge").first.inner_text()
    ctx.close()

    # And the coordinator accepts
    ctx, page = _as(browser, live_server, "coordinator")
    page.goto(f"/reporting/submissions/{sub.pk}/")
    page.get_by_test_id("action-accept").click()
    page.wait_for_load_state("networkidle")
    assert "Đã tiếp nhận" in page.get_by_test_id("status-badge").first.inner_text()
    ctx.close()

    # Then the report is accepted and locked
    sub.refresh_from_db()
    assert sub.status == "accepted"
    assert sub.accepted_by == w.users["coordinator"]

    # And the officer now sees a read-only form
    ctx, page = _as(browser, live_server, "hanoi_officer")
    page.goto(f"/reporting/submissions/{sub.pk}/")
    assert page.get_by_test_id("readonly-reason").is_visible()
    assert page.get_by_test_id("action-submit").count() == 0
    ctx.close()

    from django.db import connections

    connections.close_all()
