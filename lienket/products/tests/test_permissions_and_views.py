"""Managers work on their own unit's products only; the public sees published products and published contacts; the
catalogue filters and searches without accents; the export goes through xlsx_safe."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from lienket.core.audit import AuditEntry
from lienket.core.errors import Conflict, PermissionDenied
from lienket.products import selectors, services
from lienket.products.models import Producer, Product

from .factories import make_product, product_input, products_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(clock):
    return products_world()


def _state():
    return (list(Product.objects.values_list("id", "name", "version", "stars", "score")), Producer.objects.count(),
            AuditEntry.objects.count())


def test_officer_creates_a_product_of_their_unit(w):
    product = services.product_create(actor=w.users["phutho_officer"], data=product_input(w.phutho))
    assert product.stars == 4
    assert product.certificate_valid_until == dt.date(2028, 3, 14)
    assert product.producer.unit == w.phutho
    assert "che xanh long coc" in product.search_folded
    assert "phu tho" in product.search_folded
    assert AuditEntry.objects.filter(action="product.create", object_id=str(product.pk)).exists()
    assert AuditEntry.objects.filter(action="producer.create").exists()


@pytest.mark.parametrize("who", ["hanoi_officer", "hanoi_director", "ministry_unit"])
def test_others_cannot_create_a_product_of_phu_tho_and_nothing_changes(w, who):
    before = _state()
    with pytest.raises(PermissionDenied):
        services.product_create(actor=w.users[who], data=product_input(w.phutho))
    assert _state() == before


def test_coordinator_manages_every_unit(w):
    product = services.product_create(actor=w.users["coordinator"], data=product_input(w.hanoi, name="Gốm Bát Tràng"))
    assert product.unit == w.hanoi


def test_officer_of_another_province_cannot_change_it_and_nothing_changes(w):
    product = make_product(w.phutho)
    before = _state()
    with pytest.raises(PermissionDenied):
        services.product_update(actor=w.users["hanoi_officer"], product_id=product.pk,
                                data=product_input(w.phutho, name="Đổi tên"), version=product.version)
    assert _state() == before


def test_an_update_from_a_stale_version_is_refused(w):
    product = make_product(w.phutho)
    officer = w.users["phutho_officer"]
    services.product_update(actor=officer, product_id=product.pk, data=product_input(w.phutho, name="Mới"), version=1)
    before = _state()
    with pytest.raises(Conflict):
        services.product_update(actor=officer, product_id=product.pk, data=product_input(w.phutho, name="Khác"), version=1)
    assert _state() == before


def test_the_same_product_twice_is_a_conflict(w):
    officer = w.users["phutho_officer"]
    services.product_create(actor=officer, data=product_input(w.phutho))
    with pytest.raises(Conflict):
        services.product_create(actor=officer, data=product_input(w.phutho, name="CHE XANH LONG COC"))
    assert Product.objects.count() == 1


def test_unpublished_products_are_seen_by_their_managers_only(w):
    hidden = make_product(w.phutho, "Chưa công bố", is_published=False)
    seen = lambda user: set(selectors.product_search(user=user).values_list("pk", flat=True))  # noqa: E731
    assert hidden.pk not in seen(None)
    assert hidden.pk not in seen(w.users["hanoi_officer"])
    assert hidden.pk in seen(w.users["phutho_officer"])
    assert hidden.pk in seen(w.users["coordinator"])


def test_contact_is_public_only_when_published(w, client):
    private = make_product(w.phutho, "Sản phẩm A", producer="HTX kín", contact_public=False)
    public = make_product(w.phutho, "Sản phẩm B", producer="HTX mở", contact_public=True)
    assert "0210 3 123 456" not in client.get(f"/san-pham/{private.pk}/").content.decode()
    assert "0210 3 123 456" in client.get(f"/san-pham/{public.pk}/").content.decode()
    client.force_login(w.users["phutho_officer"])
    assert "0210 3 123 456" in client.get(f"/san-pham/{private.pk}/").content.decode()


@pytest.mark.parametrize(("q", "found"), [("phu tho", True), ("PHÚ THỌ", True), ("buoi doan hung", True),
                                          ("Bưởi", True), ("bươ\u0301i", True), ("dac san", False), ("buoi ha noi", False)])
def test_catalogue_search_is_accent_insensitive(w, client, q, found):
    p = make_product(w.phutho)
    content = client.get("/san-pham/", {"q": q}).content.decode()
    assert (f'data-testid="product-{p.pk}"' in content) is found


def test_catalogue_filters_by_unit_group_and_stars(w, client):
    a = make_product(w.phutho, "Chè", stars=4, score=80, group="thuc_pham")
    b = make_product(w.hanoi, "Rượu", stars=3, score=60, group="do_uong")
    c = make_product(w.hanoi, "Mành tre", stars=None, score=None, group="luu_niem_trang_tri")
    def ids(**query):
        content = client.get("/san-pham/", query).content.decode()
        return {p.pk for p in (a, b, c) if f'data-testid="product-{p.pk}"' in content}
    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(unit=w.hanoi.pk) == {b.pk, c.pk}
    assert ids(group="do_uong") == {b.pk}
    assert ids(stars=4) == {a.pk}
    assert ids(certificate="rated") == {a.pk, b.pk}
    assert client.get("/san-pham/", {"stars": "9"}).status_code == 200  # a bad filter shows nothing, no 500
    assert ids(stars="x") == set()


def test_product_page_shows_rating_validity_and_404_for_hidden(w, client):
    p = make_product(w.phutho, decided=dt.date(2023, 6, 1))
    content = client.get(f"/san-pham/{p.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "31/05/2026" in content
    assert "45/QĐ-UBND" in content
    hidden = make_product(w.phutho, "Ẩn", is_published=False)
    assert client.get(f"/san-pham/{hidden.pk}/").status_code == 404
    assert client.get("/san-pham/999999/").status_code == 404


def test_export_is_xlsx_with_formula_text_kept_as_text(w, client):
    make_product(w.phutho, "=HYPERLINK(\"http://x\",\"y\")")
    response = client.get("/san-pham/xuat.xlsx")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["Sản phẩm"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Mã đơn vị", "Tên đơn vị", "Cơ sở sản xuất"]
    row = list(ws[2])
    assert row[6].value.startswith("=HYPERLINK")
    assert row[6].data_type == "s"
    assert row[4].value in (None, "")  # the contact is not public


def test_expiring_page_lists_per_province(w, client):
    soon = make_product(w.phutho, "Sắp hết", decided=dt.date(2023, 5, 1))  # valid to 30/4/2026
    make_product(w.phutho, "Còn lâu", decided=dt.date(2025, 5, 1))
    other = make_product(w.hanoi, "Hà Nội sắp hết", producer="HTX HN", decided=dt.date(2023, 6, 15))
    groups = selectors.certificates_expiring_by_unit(user=None)
    assert [(g.unit, [p.pk for p in g.products]) for g in groups] == [(w.hanoi, [other.pk]), (w.phutho, [soon.pk])]
    content = client.get("/san-pham/het-han/").content.decode()
    assert "Sắp hết" in content
    assert "Còn lâu" not in content


def test_form_pages_for_managers_and_refusals(w, client):
    product = make_product(w.phutho)
    client.force_login(w.users["hanoi_officer"])
    assert client.get(f"/san-pham/{product.pk}/sua/").status_code == 403
    before = _state()
    assert client.post(f"/san-pham/{product.pk}/xoa/").status_code == 403
    assert _state() == before
    client.force_login(w.users["phutho_officer"])
    response = client.post("/san-pham/moi/", {"unit": w.phutho.pk, "name": "Mật ong", "producer_name": "HTX ong",
                                               "stars": "5", "score": "85", "ocop_group": "thuc_pham",
                                               "decision_number": "1/QĐ", "decision_date": "2025-01-01",
                                               "decision_issuer": "UBND", "is_published": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "5 stars need a score of 90–100 points" in response.content.decode()
    assert not Product.objects.filter(name="Mật ong").exists()
    response = client.post(f"/san-pham/{product.pk}/sua/", {
        "unit": w.phutho.pk, "name": "Bưởi Đoan Hùng loại 1", "producer_name": "HTX bưởi", "stars": "3", "score": "60",
        "ocop_group": "thuc_pham", "decision_number": "45/QĐ-UBND", "decision_date": "2024-05-01", "decision_issuer": "UBND tỉnh",
        "is_published": "on", "version": "1"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Bưởi Đoan Hùng loại 1"
    assert product.version == 2
