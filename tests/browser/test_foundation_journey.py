"""A person logs in, opens the region profile, reads the seed article's figures, switches to English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lienket.users.models import Membership, Role, User

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_opens_region_profile_and_switches_language(page, reference_data):
    # Given an officer of Hà Nội
    from lienket.regions.models import AdminUnit

    officer = User.objects.create_user(username="hanoi.canbo", password="Mat-khau-2025!", full_name="Nguyễn Văn An")
    Membership.objects.create(user=officer, role=Role.PROVINCE_OFFICER, unit=AdminUnit.objects.get(code="01"))

    # When they log in and open the region profile for 2022
    login(page, "hanoi.canbo", "Mat-khau-2025!")
    expect(page.get_by_text("Nguyễn Văn An").first).to_be_visible()
    page.goto("/regions/profile/?group=north&year=2022")

    # Then the page is in Vietnamese with Vietnamese number formats and full diacritics
    assert page.locator("html").get_attribute("lang") == "vi"
    body = page.locator("main").inner_text()
    assert "Khu vực phía Bắc" in body
    assert "150.058,44" in body
    assert "299,46" in body or "299" in body

    # When they switch to English
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Then the same page shows English labels and English number formats
    assert page.locator("html").get_attribute("lang") == "en"
    body_en = page.locator("main").inner_text()
    assert "150,058.44" in body_en
    assert "Region profile" in page.title() or "profile" in body_en.lower()
