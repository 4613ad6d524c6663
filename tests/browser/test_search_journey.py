"""Someone types without diacritics in the header's search box on the home page, sees highlighted results as they
type, and opens a document with its relations. Screenshots at 1366×768 and 390×844 in /work/shots/i21l/ (when
that folder exists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/i21l")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_search_without_diacritics_from_home_and_open_a_document(page, reference_data, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    # Given the home page
    page.goto("/")
    # When they type "nghi dinh 32" in the header's search box and submit
    page.get_by_test_id("header-search").fill("nghi dinh 32")
    page.get_by_test_id("header-search").press("Enter")
    # Then the search page lists Decree 32/2024/NĐ-CP first, the words highlighted
    expect(page.get_by_test_id("search-results")).to_be_visible()
    first = page.locator(".search-hit").first
    expect(first).to_contain_text("32/2024/NĐ-CP")
    expect(first.locator("mark").first).to_have_text("Nghị")
    _shot(page, f"search-{width}.png")
    # When they change the words on the page, the results follow as they type (HTMX)
    page.locator("#search-q").fill("phu th")
    expect(page.locator(".search-hit").first).to_contain_text("Phú Thọ")
    # When they go back to the decree and open it
    page.locator("#search-q").fill("nghi dinh 32")
    expect(page.locator(".search-hit").first).to_contain_text("32/2024/NĐ-CP")
    page.locator(".search-hit a").first.click()
    # Then its page shows the circular that guides it
    expect(page.locator("h1")).to_contain_text("32/2024/NĐ-CP")
    expect(page.get_by_test_id("relations")).to_contain_text("14/2024/TT-BCT")
    _shot(page, f"document-{width}.png")
    page.goto("/thu-vien/")
    expect(page.locator("table")).to_contain_text("14/2024/TT-BCT")
    _shot(page, f"library-{width}.png")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_coordinator_adds_a_document_and_finds_it_without_diacritics(page, reference_data, width: int, height: int) -> None:
    from lienket.users.models import Role
    from lienket.users.tests.factories import PASSWORD, make_user

    from .conftest import login

    page.set_viewport_size({"width": width, "height": height})
    make_user("dieuphoi", Role.MINISTRY_COORDINATOR)
    login(page, "dieuphoi", PASSWORD)
    page.goto("/thu-vien/moi/")
    page.select_option("#id_doc_type", "circular")
    page.fill("#id_number", "99/2025/NĐ-CP")  # a decree's number on a circular: refused, said why
    page.fill("#id_title", "Hướng dẫn phát triển làng nghề")
    page.fill("#id_issuer", "Bộ Công Thương")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("form.stack")).to_contain_text("99/2025/NĐ-CP")
    _shot(page, f"document-form-error-{width}.png")
    page.fill("#id_number", "99/2025/TT-BCT")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("99/2025/TT-BCT")
    page.get_by_test_id("header-search").fill("huong dan lang nghe")
    page.get_by_test_id("header-search").press("Enter")
    expect(page.locator(".search-hit").first).to_contain_text("99/2025/TT-BCT")
