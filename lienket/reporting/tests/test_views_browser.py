"""The entry form's HTMX behaviour in Debian's chromium: a changed field saves its row and keeps the focus, a bad
value comes back beside its field, cross-field rule messages refresh in the other rows, and pressing a workflow
button right after typing waits for that row's save. (The end-to-end journey officer → director → coordinator is
the lead's Playwright test; the test ids used here are the same.)"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections

from lienket.reporting.models import DataValue, Submission
from lienket.reporting.services import submission_open

from . import test_views_support as support

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path, monkeypatch):
    support.cap_edit_window(monkeypatch)
    support.use_vietnamese_catalogue(settings, tmp_path)


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(locale="vi-VN", base_url=live_server.url)
        context.set_default_timeout(15_000)
        yield context
        browser.close()
        # The test body ran inside Playwright's event loop, where Django opened a connection of its own; close it,
        # or PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


def sign_in(context: Any, client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": url}])
    return context.new_page()


def test_rows_save_on_change_show_errors_inline_and_submit_waits(w, client, live_server, browser_page):
    officer = w.users["hanoi_officer"]
    report = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=officer)
    page = sign_in(browser_page, client, officer, live_server.url)
    page.goto(f"/reporting/submissions/{report.pk}/")

    # A changed field saves its row when the officer moves on; the focus stays where they went
    page.get_by_test_id("value-RETAIL").fill("1.234,5")
    page.get_by_test_id("value-EXPORT").click()
    page.get_by_test_id("saved-RETAIL").wait_for()
    assert page.evaluate("document.activeElement.id") == "value-EXPORT"
    assert page.get_by_test_id("version-RETAIL").get_attribute("value") == "1"

    # A bad value comes back beside its field, in Vietnamese, and is not saved
    page.get_by_test_id("value-EXPORT").fill("abc")
    page.get_by_test_id("value-IIP").click()
    page.get_by_test_id("error-EXPORT").wait_for()
    assert "không phải là số" in page.get_by_test_id("error-EXPORT").inner_text()
    assert page.get_by_test_id("value-EXPORT").get_attribute("aria-invalid") == "true"

    # Pressing "submit" straight after typing waits for the last row's save, then submits
    page.get_by_test_id("value-EXPORT").fill("12")
    page.get_by_test_id("value-IIP").fill("101")
    page.get_by_test_id("action-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("status-badge").first.inner_text() == "Đã gửi"
    values = dict(DataValue.objects.values_list("indicator__code", "value"))
    assert values == {"RETAIL": Decimal("1234.5"), "EXPORT": Decimal(12), "IIP": Decimal(101)}
    assert Submission.objects.get(pk=report.pk).status == "submitted"


def test_cross_field_rule_messages_follow_the_values(w, client, live_server, browser_page):
    officer = w.users["hanoi_officer"]
    report = submission_open(dataset=w.half_year, unit=w.hanoi, period_code="2026S1", actor=officer)
    page = sign_in(browser_page, client, officer, live_server.url)
    page.goto(f"/reporting/submissions/{report.pk}/")

    page.get_by_test_id("value-CCN_AREA").fill("10")
    page.get_by_test_id("value-CCN_OCCUPIED").click()
    page.get_by_test_id("saved-CCN_AREA").wait_for()
    page.get_by_test_id("value-CCN_OCCUPIED").fill("20")
    page.get_by_test_id("value-MARKETS-I").click()
    page.get_by_test_id("saved-CCN_OCCUPIED").wait_for()
    # occupied > established: the rule's message appears beside both fields and in the summary
    assert "không được lớn hơn" in page.get_by_test_id("rules-CCN_AREA").inner_text()
    assert "không được lớn hơn" in page.get_by_test_id("rules-CCN_OCCUPIED").inner_text()
    assert page.get_by_test_id("validation-summary").is_visible()

    # fixing the other field clears the message in this row too (out-of-band swap)
    page.get_by_test_id("value-CCN_AREA").fill("30")
    page.get_by_test_id("value-MARKETS-I").click()
    page.get_by_test_id("validation-summary").wait_for(state="detached")
    assert page.get_by_test_id("rules-CCN_OCCUPIED").inner_text() == ""

    # the value history opens under the table
    page.get_by_test_id("history-CCN_AREA").click()
    page.get_by_test_id("value-history").wait_for()
    assert page.get_by_test_id("history-entry").count() == 2
