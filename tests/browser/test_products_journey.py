"""The product catalogue in a real browser: a visitor filters the catalogue without typing accents and opens a
product; an officer opens the product form and the import page. Each page is audited by axe (conftest) and, with
LIENKET_SHOTS=<dir>, photographed at 1366×768 and on a phone (390×844)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lienket.demo.sample import load_sample_products
from lienket.products.models import Product
from lienket.users.demo import create_demo_users

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _shot(page: Any, name: str) -> None:
    where = os.environ.get("LIENKET_SHOTS")
    if not where:
        return
    Path(where).mkdir(parents=True, exist_ok=True)
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(where) / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_visitor_filters_the_catalogue_without_accents_and_opens_a_product(page, reference_data, clock):
    # Given the sample products (Phú Thọ's among them)
    load_sample_products()
    tea = Product.objects.get(name__startswith="Chè xanh")

    # When a visitor opens the catalogue from the menu
    page.goto("/")
    page.get_by_role("link", name="Sản phẩm").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sản phẩm địa phương")
    _shot(page, "catalogue")

    # And searches "che phu tho" without accents, keeping 4-star products
    page.get_by_label("Tìm kiếm", exact=True).fill("che phu tho")
    page.get_by_label("Số sao").select_option("4")
    page.get_by_role("button", name="Lọc").click()

    # Then only the tea is listed
    expect(page.get_by_test_id("product-count")).to_contain_text("1 sản phẩm")
    expect(page.get_by_test_id(f"product-{tea.pk}")).to_be_visible()
    _shot(page, "catalogue-filtered")

    # When they open it
    page.get_by_role("link", name=tea.name).click()

    # Then its page shows the rating, the decision, the validity and the sample label
    expect(page.get_by_test_id("product-name")).to_have_text(tea.name)
    expect(page.get_by_test_id("sample-label")).to_contain_text("Dữ liệu mẫu")
    expect(page.get_by_test_id("product-facts")).to_contain_text("78 điểm")
    expect(page.get_by_test_id("valid-until")).to_contain_text(tea.certificate_valid_until.strftime("%d/%m/%Y"))
    _shot(page, "product")

    # And in English the page keeps the facts and names the sample in both languages
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("sample-label")).to_have_text("Sample data (Dữ liệu mẫu)")
    expect(page.get_by_test_id("product-facts")).to_contain_text("78 points")
    _shot(page, "product-en")

    page.goto("/san-pham/het-han/")
    expect(page.get_by_role("heading", level=1)).to_have_text("OCOP certificates expiring")
    _shot(page, "expiring")


def test_officer_opens_the_product_form_and_the_import_page(page, reference_data, clock):
    load_sample_products()
    create_demo_users()
    tea = Product.objects.get(name__startswith="Chè xanh")
    login(page, "phutho.canbo", "LienKet@2025")
    page.goto(f"/san-pham/{tea.pk}/sua/")
    expect(page.get_by_test_id("product-form")).to_be_visible()
    # An inconsistent rating is refused with the bands
    page.get_by_label("Điểm OCOP").fill("69")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".product-form .error").first).to_contain_text("70–89")
    _shot(page, "product-form-error")
    page.goto("/san-pham/nhap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập sản phẩm từ Excel")
    _shot(page, "import")


def test_officer_deletes_a_product_after_confirming(page, reference_data, clock):
    load_sample_products()
    create_demo_users()
    tea = Product.objects.get(name__startswith="Chè xanh")
    login(page, "phutho.canbo", "LienKet@2025")
    page.goto(f"/san-pham/{tea.pk}/sua/")
    page.get_by_test_id("delete-link").click()
    # The confirmation shows what goes; nothing is deleted yet
    expect(page.get_by_role("heading", level=1)).to_have_text("Xóa sản phẩm")
    expect(page.get_by_test_id("delete-preview")).to_contain_text(tea.name)
    assert Product.objects.filter(pk=tea.pk).exists()
    _shot(page, "product-delete-confirm")
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sản phẩm địa phương")
    assert not Product.objects.filter(pk=tea.pk).exists()
