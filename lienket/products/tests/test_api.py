"""/api/v1/products: public reads filtered like the catalogue, writes for the unit's managers with the same rules."""

from __future__ import annotations

import json

import pytest

from lienket.products.models import Product
from lienket.users.models import ApiToken
from lienket.users.tokens import token_generate

from .factories import make_product, products_world

pytestmark = pytest.mark.django_db

BODY = {"unit": "25", "name": "Chè xanh", "producer_name": "HTX chè", "ocop_group": "thuc_pham", "stars": 4, "score": 75,
        "decision_number": "12/QĐ-UBND", "decision_date": "2025-03-15", "decision_issuer": "UBND tỉnh Phú Thọ"}


def _token(user) -> str:
    raw, lookup, token_hash = token_generate()
    ApiToken.objects.create(user=user, name="t", lookup=lookup, token_hash=token_hash)
    return raw


def _send(client, method, url, body=None, user=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token(user)}"} if user else {}
    return client.generic(method, url, json.dumps(body) if body is not None else "", content_type="application/json", **headers)


@pytest.fixture
def w(clock):
    return products_world()


def test_list_is_public_filtered_and_folded(w, client):
    make_product(w.phutho, "Bưởi Đoan Hùng", stars=3, score=60)
    make_product(w.hanoi, "Gốm Bát Tràng", producer="HTX gốm", stars=4, score=80, group="luu_niem_trang_tri")
    make_product(w.hanoi, "Chưa công bố", producer="HTX gốm", is_published=False)
    data = client.get("/api/v1/products").json()
    assert data["count"] == 2
    assert client.get("/api/v1/products", {"q": "bat trang"}).json()["products"][0]["name"] == "Gốm Bát Tràng"
    assert client.get("/api/v1/products", {"unit": "25", "stars": 3}).json()["count"] == 1
    assert client.get("/api/v1/products", {"group": "nope"}).status_code == 422
    assert client.get("/api/v1/products", {"stars": 7}).status_code == 400
    one = client.get("/api/v1/products", {"q": "buoi"}).json()["products"][0]
    assert one["certificate_valid_until"] == "2027-04-30"
    assert one["certificate_status"] == "valid"
    assert one["producer"]["contact"] is None  # not published


def test_detail_and_hidden_product(w, client):
    p = make_product(w.phutho)
    hidden = make_product(w.phutho, "Ẩn", is_published=False)
    assert client.get(f"/api/v1/products/{p.pk}").json()["stars"] == 3
    assert client.get(f"/api/v1/products/{hidden.pk}").status_code == 404
    assert _send(client, "GET", f"/api/v1/products/{hidden.pk}", user=w.users["phutho_officer"]).status_code == 200


def test_officer_creates_and_updates_through_the_api(w, client):
    officer = w.users["phutho_officer"]
    created = _send(client, "POST", "/api/v1/products", BODY, officer)
    assert created.status_code == 201, created.json()
    out = created.json()
    assert out["certificate_valid_until"] == "2028-03-14"
    assert out["unit"]["key"] == "25@2025-07-01"
    updated = _send(client, "PUT", f"/api/v1/products/{out['id']}", {**BODY, "score": 80, "version": 1}, officer)
    assert updated.status_code == 200
    assert updated.json()["version"] == 2
    stale = _send(client, "PUT", f"/api/v1/products/{out['id']}", {**BODY, "score": 81, "version": 1}, officer)
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"


def test_inconsistent_stars_are_a_422_naming_the_bands(w, client):
    response = _send(client, "POST", "/api/v1/products", {**BODY, "stars": 5, "score": 89}, w.users["phutho_officer"])
    assert response.status_code == 422
    assert response.json()["code"] == "stars_score_mismatch"
    assert Product.objects.count() == 0


def test_writes_are_refused_to_other_provinces_and_anonymous(w, client):
    assert _send(client, "POST", "/api/v1/products", BODY).status_code == 401
    response = _send(client, "POST", "/api/v1/products", BODY, w.users["hanoi_officer"])
    assert response.status_code == 403
    assert Product.objects.count() == 0
    p = make_product(w.phutho)
    before = list(Product.objects.values_list("name", "version"))
    assert _send(client, "PUT", f"/api/v1/products/{p.pk}", {**BODY, "version": 1}, w.users["hanoi_officer"]).status_code == 403
    assert list(Product.objects.values_list("name", "version")) == before


def test_unknown_unit_is_a_422(w, client):
    response = _send(client, "POST", "/api/v1/products", {**BODY, "unit": "99"}, w.users["coordinator"])
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_unit"


def test_search_documents_for_the_global_search(w):
    from lienket.products.selectors import search_documents

    p = make_product(w.phutho, "Bưởi Đoan Hùng")
    hidden = make_product(w.phutho, "Ẩn", is_published=False)
    docs = {d.key: d for d in search_documents()}
    assert docs[str(p.pk)].kind == "product"
    assert docs[str(p.pk)].title == "Bưởi Đoan Hùng"
    assert docs[str(p.pk)].unit_id == w.phutho.pk
    assert docs[str(p.pk)].url == f"/san-pham/{p.pk}/"
    assert "Phú Thọ" in docs[str(p.pk)].body
    assert docs[str(p.pk)].visibility == "public"
    assert docs[str(hidden.pk)].visibility == "unit"
