"""The library's editor relates two documents in a real browser: searches the other one without accents, chooses
it, says how it relates; then removes a relation after confirming. Each page is audited by axe (conftest) and, with
LIENKET_SHOTS=<dir>, photographed at 1366×768 and on a phone (390×844)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lienket.library.models import DocumentRelation
from lienket.library.selectors import document_find
from lienket.users.demo import create_demo_users

from .conftest import login
from .test_products_journey import _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_adds_and_removes_a_relation(page, reference_data, clock):
    create_demo_users()
    decree = document_find(number="32/2024/NĐ-CP")
    login(page, "bo.dieuphoi", "LienKet@2025")
    page.goto(f"/thu-vien/{decree.pk}/")
    page.get_by_test_id("edit-relations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quan hệ của văn bản")
    page.get_by_label("Tìm văn bản liên quan").fill("nghi dinh 09/2019")
    page.locator("#main").get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_test_id("candidates")).to_contain_text("09/2019/NĐ-CP")
    page.get_by_label("Văn bản này").select_option("out:replaces")
    page.get_by_test_id("candidates").get_by_role("radio").first.check()
    _shot(page, "library-relations-add")
    page.get_by_role("button", name="Thêm quan hệ").click()
    expect(page.get_by_test_id("relations")).to_contain_text("09/2019/NĐ-CP")
    other = document_find(number="09/2019/NĐ-CP")
    assert DocumentRelation.objects.filter(source=decree, target=other, kind="replaces").exists()
    _shot(page, "library-relations")

    page.goto(f"/thu-vien/{decree.pk}/")
    page.get_by_test_id("relations").get_by_role("link", name="Xóa").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xóa quan hệ")
    _shot(page, "library-relation-remove")
    page.get_by_test_id("confirm-remove").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quan hệ của văn bản")
