"""The site header with every app's link (#f3): one row of links under the brand, the search box and the account
tools on a 1366 px screen, in Vietnamese and in English; on a 390 px phone the links fold into a "Menu" disclosure
(a <details>, no script) that opens over the page; nothing wider than the screen; axe finds nothing either way."""

from __future__ import annotations

from typing import Any

import pytest

from lienket.users.tests.factories import make_user

from .conftest import TIMEOUT_MS, axe_violations, format_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-pass-2025!"
LINK_TOPS = "() => [...document.querySelectorAll('.main-nav a')].map(a => Math.round(a.getBoundingClientRect().top))"


def _context(browser: Any, live_server: Any, width: int, height: int) -> Any:
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_the_links_take_one_row_on_a_1366_px_screen_in_both_languages(browser, live_server):
    make_user("nguoi.dung", None, password=PASSWORD, full_name="Cán bộ Sở Công Thương Hà Nội (Dữ liệu mẫu / sample)")
    context = _context(browser, live_server, 1366, 768)
    page = context.new_page()
    login(page, "nguoi.dung", PASSWORD)

    for lang_button in (None, "[data-testid=lang-en]"):
        if lang_button:
            page.locator(lang_button).click()
            page.wait_for_load_state()
        page.goto("/")
        links = page.locator(".main-nav a")
        assert links.count() == 11
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert not page.get_by_test_id("nav-menu").is_visible()  # the "Menu" summary is for phones only
        assert len(set(page.evaluate(LINK_TOPS))) == 1, "the links wrap onto a second line"
        assert page.locator(".site-header").bounding_box()["height"] < 110
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert page.get_by_role("link", name="Library", exact=True).is_visible()
    context.close()


def test_the_links_fold_into_a_menu_on_a_phone(browser, live_server):
    context = _context(browser, live_server, 390, 844)
    page = context.new_page()
    page.goto("/")

    library = page.get_by_role("link", name="Thư viện", exact=True)
    assert not library.is_visible()
    assert page.get_by_test_id("header-search").is_visible()
    assert page.locator(".site-header").bounding_box()["height"] < 140

    page.get_by_test_id("nav-menu").click()
    assert library.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    found = [(page.url, v) for v in axe_violations(page)]
    assert not found, format_violations(found)

    library.click()
    page.wait_for_url("**/thu-vien/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thư viện"
    context.close()
