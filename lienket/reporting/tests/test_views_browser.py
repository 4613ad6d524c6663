"""The entry form's HTMX behaviour in Debian's chromium: a changed field saves its row and keeps the focus, a bad
value comes back beside its field, cross-field rule messages refresh in the other rows, and pressing a workflow
button right after typing waits for that row's save. (The end-to-end journey officer → director → coordinator is
the lead's Playwright test; the test ids used here are the same.)"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections
from playwright.sync_api import expect

from lienket.reporting.models import DataValue, Submission
from lienket.reporting.services import submission_open

from . import test_views_support as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Auto-waiting assertions only (expect(), locators), no sleeps: these must pass on a machine whose cores are
# busy with other work.
TIMEOUT_MS = 30_000


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path):
    support.use_vietnamese_catalogue(settings, tmp_path)


@pytest.fixture
def browser_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh context in the session's one chromium (`browser`, root conftest.py)."""
    context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()
    # The test body ran inside Playwright's event loop, where Django opened a connection of its own; close it,
    # or PostgreSQL refuses to drop the test database at the end of the session.
    connections.close_all()


def sign_in(context: Any, client: Any, user: Any, url: str) -> Any:
    client.force_login(user)
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": url}])
    return context.new_page()


class HeldRowSaves:
    """Holds the HTMX saves of the given rows in the browser until released: the officer's click on "submit"
    then certainly happens while the save is pending, however fast or slow the machine is."""

    def __init__(self, page: Any, *rows: str) -> None:
        self.rows = rows
        self.held: list[Any] = []
        page.route("**/values/", self._handle)

    def _handle(self, route: Any) -> None:
        body = route.request.post_data or ""
        if route.request.method == "POST" and any(f"row={row}&" in body or body.endswith(f"row={row}") for row in self.rows):
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        held, self.held = self.held, []
        for route in held:
            route.continue_()


def test_rows_save_on_change_show_errors_inline_and_submit_waits(w, client, live_server, browser_page):
    officer = w.users["hanoi_officer"]
    report = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=officer)
    page = sign_in(browser_page, client, officer, live_server.url)
    page.goto(f"/reporting/submissions/{report.pk}/")

    # A changed field saves its row when the officer moves on; the focus stays where they went
    page.get_by_test_id("value-RETAIL").fill("1.234,5")
    page.get_by_test_id("value-EXPORT").click()
    expect(page.get_by_test_id("saved-RETAIL")).to_be_visible()
    expect(page.get_by_test_id("value-EXPORT")).to_be_focused()
    expect(page.get_by_test_id("version-RETAIL")).to_have_value("1")

    # A bad value comes back beside its field, in Vietnamese, and is not saved
    page.get_by_test_id("value-EXPORT").fill("abc")
    page.get_by_test_id("value-IIP").click()
    expect(page.get_by_test_id("error-EXPORT")).to_contain_text("không phải là số")
    expect(page.get_by_test_id("value-EXPORT")).to_have_attribute("aria-invalid", "true")

    # Pressing "submit" straight after typing waits for the last row's save, says so, then submits
    held = HeldRowSaves(page, "IIP")
    page.get_by_test_id("value-EXPORT").fill("12")
    page.get_by_test_id("value-IIP").click()
    expect(page.get_by_test_id("saved-EXPORT")).to_be_visible()
    page.get_by_test_id("value-IIP").fill("101")
    page.get_by_test_id("action-submit").click()  # leaving the field starts its save; the save is held
    expect(page.get_by_test_id("wait-status")).to_contain_text("Đang chờ lưu xong")
    expect(page.get_by_test_id("status-badge").first).to_have_text("Nháp")
    assert Submission.objects.get(pk=report.pk).status == "draft"
    held.release()
    expect(page.get_by_test_id("status-badge").first).to_have_text("Đã gửi")
    values = dict(DataValue.objects.values_list("indicator__code", "value"))
    assert values == {"RETAIL": Decimal("1234.5"), "EXPORT": Decimal(12), "IIP": Decimal(101)}
    assert Submission.objects.get(pk=report.pk).status == "submitted"


def test_a_submit_waiting_for_a_row_save_that_fails_is_not_sent_and_says_why(w, client, live_server, browser_page):
    officer = w.users["hanoi_officer"]
    report = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=officer)
    page = sign_in(browser_page, client, officer, live_server.url)
    page.goto(f"/reporting/submissions/{report.pk}/")
    held = HeldRowSaves(page, "RETAIL")

    page.get_by_test_id("value-RETAIL").fill("abc")
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("wait-status")).to_contain_text("Đang chờ lưu xong")
    held.release()

    expect(page.get_by_test_id("wait-status")).to_contain_text("Chưa gửi")
    expect(page.get_by_test_id("error-RETAIL")).to_contain_text("không phải là số")
    expect(page.get_by_test_id("status-badge").first).to_have_text("Nháp")
    assert Submission.objects.get(pk=report.pk).status == "draft"
    assert not DataValue.objects.exists()


def test_cross_field_rule_messages_follow_the_values(w, client, live_server, browser_page):
    officer = w.users["hanoi_officer"]
    report = submission_open(dataset=w.half_year, unit=w.hanoi, period_code="2026S1", actor=officer)
    page = sign_in(browser_page, client, officer, live_server.url)
    page.goto(f"/reporting/submissions/{report.pk}/")

    page.get_by_test_id("value-CCN_AREA").fill("10")
    page.get_by_test_id("value-CCN_OCCUPIED").click()
    expect(page.get_by_test_id("saved-CCN_AREA")).to_be_visible()
    page.get_by_test_id("value-CCN_OCCUPIED").fill("20")
    page.get_by_test_id("value-MARKETS-I").click()
    expect(page.get_by_test_id("saved-CCN_OCCUPIED")).to_be_visible()
    # occupied > established: the rule's message appears beside both fields and in the summary
    expect(page.get_by_test_id("rules-CCN_AREA")).to_contain_text("không được lớn hơn")
    expect(page.get_by_test_id("rules-CCN_OCCUPIED")).to_contain_text("không được lớn hơn")
    expect(page.get_by_test_id("validation-summary")).to_be_visible()

    # fixing the other field clears the message in this row too (out-of-band swap)
    page.get_by_test_id("value-CCN_AREA").fill("30")
    page.get_by_test_id("value-MARKETS-I").click()
    expect(page.get_by_test_id("validation-summary")).to_have_count(0)
    expect(page.get_by_test_id("rules-CCN_OCCUPIED")).to_have_text("")

    # the value history opens under the table
    page.get_by_test_id("history-CCN_AREA").click()
    expect(page.get_by_test_id("value-history")).to_be_visible()
    expect(page.get_by_test_id("history-entry")).to_have_count(2)


def test_a_value_being_typed_keeps_no_stale_required_message(w, client, live_server, browser_page):
    # Given RETAIL is required and empty, so its row says so
    from lienket.reporting.models import DataSetElement

    DataSetElement.objects.filter(dataset=w.monthly, indicator__code="RETAIL").update(required=True)
    officer = w.users["hanoi_officer"]
    report = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=officer)
    page = sign_in(browser_page, client, officer, live_server.url)
    page.goto(f"/reporting/submissions/{report.pk}/")
    expect(page.get_by_test_id("rules-RETAIL")).to_contain_text("Bắt buộc phải nhập")

    # When the officer saves EXPORT and, while that save is on its way, types a value into RETAIL
    held = HeldRowSaves(page, "EXPORT")
    page.get_by_test_id("value-EXPORT").fill("12")
    page.get_by_test_id("value-RETAIL").click()  # leaving EXPORT starts its save (held)
    page.get_by_test_id("value-RETAIL").fill("1500")
    held.release()

    # Then EXPORT's answer does not put "required" back under the RETAIL value just typed
    expect(page.get_by_test_id("saved-EXPORT")).to_be_visible()
    expect(page.get_by_test_id("rules-RETAIL")).to_be_hidden()  # the stored value's checks wait for the save
    # and once RETAIL is saved its row is right by itself
    page.get_by_test_id("value-IIP").click()
    expect(page.get_by_test_id("saved-RETAIL")).to_be_visible()
    expect(page.get_by_test_id("rules-RETAIL")).not_to_contain_text("Bắt buộc phải nhập")
