"""Deleting a product goes through a confirmation page (GET shows what goes, POST deletes the confirmed version);
the API's DELETE checks the same version and permissions. A producer's rename updates its row (when the product is
its only one), and a producer left with no product is removed in the same transaction — both audited."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from lienket.core.audit import AuditEntry
from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.products import services
from lienket.products.models import Producer, Product, ProductPhoto
from lienket.users.models import ApiToken
from lienket.users.tokens import token_generate

from .factories import make_product, product_input, products_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(clock):
    return products_world()


def _state():
    return (list(Product.objects.order_by("pk").values_list("id", "name", "version", "producer_id")),
            list(Producer.objects.order_by("pk").values_list("id", "name", "address")), ProductPhoto.objects.count(),
            AuditEntry.objects.count())


def _bearer(user) -> dict[str, str]:
    raw, lookup, token_hash = token_generate()
    ApiToken.objects.create(user=user, name="t", lookup=lookup, token_hash=token_hash)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- the confirmation page -----------------------------------------------------------------------------------------

def test_the_delete_button_leads_to_a_confirmation_that_shows_what_goes_and_deletes_nothing(w, client):
    p = make_product(w.phutho, "Bưởi Đoan Hùng")
    client.force_login(w.users["phutho_officer"])
    edit = client.get(reverse("products:edit", kwargs={"pk": p.pk}))
    assert f'href="{reverse("products:delete", kwargs={"pk": p.pk})}"' in edit.content.decode()
    before = _state()
    page = client.get(reverse("products:delete", kwargs={"pk": p.pk}), HTTP_ACCEPT_LANGUAGE="vi")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Bưởi Đoan Hùng" in html
    assert "HTX bưởi" in html
    assert 'name="version" value="1"' in html
    assert "không còn sản phẩm nào khác" in html  # the producer goes too (Vietnamese label)
    assert _state() == before


def test_the_confirmation_says_when_the_producer_stays(w, client):
    p = make_product(w.phutho, "Bưởi Đoan Hùng")
    make_product(w.phutho, "Bưởi đỏ", producer="HTX bưởi")
    client.force_login(w.users["phutho_officer"])
    html = client.get(reverse("products:delete", kwargs={"pk": p.pk}), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "không còn sản phẩm nào khác" not in html


def test_confirming_deletes_the_product_its_photos_and_its_orphaned_producer_audited(w, client):
    p = make_product(w.phutho)
    ProductPhoto.objects.create(product=p, image="a.jpg", thumbnail="a-t.jpg", width=1, height=1, size=1, sha256="0" * 64)
    producer_id = p.producer_id
    client.force_login(w.users["phutho_officer"])
    r = client.post(reverse("products:delete", kwargs={"pk": p.pk}), {"version": "1"})
    assert r.status_code == 302
    assert not Product.objects.filter(pk=p.pk).exists()
    assert not ProductPhoto.objects.exists()
    assert not Producer.objects.filter(pk=producer_id).exists()
    entries = AuditEntry.objects.filter(actor=w.users["phutho_officer"])
    assert entries.filter(action="product.delete", object_id=str(p.pk)).exists()
    assert entries.filter(action="producer.delete", object_id=str(producer_id)).exists()


def test_deleting_one_product_keeps_a_producer_that_makes_others(w):
    p = make_product(w.phutho, "Bưởi Đoan Hùng")
    other = make_product(w.phutho, "Bưởi đỏ", producer="HTX bưởi")
    services.product_delete(actor=w.users["phutho_officer"], product_id=p.pk, version=1)
    assert Producer.objects.filter(pk=other.producer_id).exists()
    assert not AuditEntry.objects.filter(action="producer.delete").exists()


@pytest.mark.parametrize("who", ["hanoi_officer", "hanoi_director", "ministry_unit"])
def test_another_province_sees_no_confirmation_and_cannot_delete(w, client, who):
    p = make_product(w.phutho)
    before = _state()
    client.force_login(w.users[who])
    assert client.get(reverse("products:delete", kwargs={"pk": p.pk})).status_code == 403
    assert client.post(reverse("products:delete", kwargs={"pk": p.pk}), {"version": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.product_delete(actor=w.users[who], product_id=p.pk, version=1)
    assert _state() == before


def test_an_unpublished_product_of_another_province_does_not_exist_for_them(w, client):
    p = make_product(w.phutho, is_published=False)
    client.force_login(w.users["hanoi_officer"])
    assert client.get(reverse("products:delete", kwargs={"pk": p.pk})).status_code == 404


def test_anonymous_is_sent_to_log_in(w, client):
    p = make_product(w.phutho)
    r = client.get(reverse("products:delete", kwargs={"pk": p.pk}))
    assert r.status_code == 302
    assert "/login/" in r["Location"]


def test_a_stale_or_missing_version_deletes_nothing(w, client):
    p = make_product(w.phutho)
    Product.objects.filter(pk=p.pk).update(version=2)  # someone saved after the page was opened
    before = _state()
    client.force_login(w.users["phutho_officer"])
    r = client.post(reverse("products:delete", kwargs={"pk": p.pk}), {"version": "1"})
    assert r.status_code == 409
    assert client.post(reverse("products:delete", kwargs={"pk": p.pk}), {"version": "x"}).status_code == 400
    with pytest.raises(Conflict) as exc:
        services.product_delete(actor=w.users["phutho_officer"], product_id=p.pk, version=1)
    assert exc.value.code == "stale_version"
    with pytest.raises(ValidationFailed) as missing:
        services.product_delete(actor=w.users["phutho_officer"], product_id=p.pk, version=None)
    assert missing.value.code == "version_required"
    assert _state() == before


# --- the API -------------------------------------------------------------------------------------------------------

def test_api_delete_checks_version_and_unit(w, client):
    p = make_product(w.phutho)
    url = f"/api/v1/products/{p.pk}"
    before = _state()
    assert client.delete(url + "?version=1", **_bearer(w.users["hanoi_officer"])).status_code == 403
    r = client.delete(url, **_bearer(w.users["phutho_officer"]))
    assert r.status_code == 422
    assert r.json()["code"] == "version_required"
    r = client.delete(url + "?version=2", **_bearer(w.users["phutho_officer"]))
    assert r.status_code == 409
    assert r.json()["code"] == "stale_version"
    assert client.delete(url + "?version=1").status_code == 401
    assert _state() == before
    assert client.delete(url + "?version=1", **_bearer(w.users["phutho_officer"])).status_code == 204
    assert not Product.objects.filter(pk=p.pk).exists()
    assert client.delete(url + "?version=1", **_bearer(w.users["phutho_officer"])).status_code == 404


# --- producers: renamed, moved, orphaned ---------------------------------------------------------------------------

def _update(w, product, **changes):
    product = Product.objects.select_related("producer").get(pk=product.pk)
    data = product_input(w.phutho, **{"name": product.name, "producer_name": product.producer.name, **changes})
    return services.product_update(actor=w.users["phutho_officer"], product_id=product.pk, data=data,
                                   version=product.version)


def test_renaming_the_producer_of_its_only_product_updates_its_row(w):
    p = services.product_create(actor=w.users["phutho_officer"],
                                data=product_input(w.phutho, producer_name="HTX chè Long Coc", producer_address="Yên Lập"))
    producer_id = p.producer_id
    _update(w, p, producer_name="HTX chè Long Cốc Phú Thọ")
    assert list(Producer.objects.values_list("pk", "name", "address")) == [(producer_id, "HTX chè Long Cốc Phú Thọ", "Yên Lập")]
    entry = AuditEntry.objects.filter(action="producer.update", object_id=str(producer_id)).latest("pk")
    assert entry.before["name"] == "HTX chè Long Coc"
    assert entry.after["name"] == "HTX chè Long Cốc Phú Thọ"
    p.refresh_from_db()
    assert "htx che long coc phu tho" in p.search_folded


def test_correcting_only_the_accents_of_a_producer_name_sticks(w):
    p = services.product_create(actor=w.users["phutho_officer"], data=product_input(w.phutho, producer_name="HTX che Long Coc"))
    _update(w, p, producer_name="HTX chè Long Cốc")
    assert list(Producer.objects.values_list("name", flat=True)) == ["HTX chè Long Cốc"]


def test_a_new_name_of_a_shared_producer_moves_this_product_only(w):
    a = make_product(w.phutho, "Bưởi Đoan Hùng", producer="HTX bưởi")
    b = make_product(w.phutho, "Bưởi đỏ", producer="HTX bưởi")
    _update(w, a, producer_name="HTX bưởi Chí Đám")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.producer.name == "HTX bưởi Chí Đám"
    assert b.producer.name == "HTX bưởi"
    assert Producer.objects.count() == 2


def test_moving_a_product_to_an_existing_producer_removes_the_orphaned_one(w):
    a = make_product(w.phutho, "Bưởi Đoan Hùng", producer="HTX bưởi")
    b = make_product(w.phutho, "Chè xanh", producer="HTX chè")
    old = a.producer_id
    _update(w, a, producer_name="htx CHE")  # the existing producer, whatever the case and accents
    a.refresh_from_db()
    assert a.producer_id == b.producer_id
    assert not Producer.objects.filter(pk=old).exists()
    assert AuditEntry.objects.filter(action="producer.delete", object_id=str(old)).exists()


def test_a_refused_update_leaves_the_producer_as_it_was(w):
    p = make_product(w.phutho, producer="HTX bưởi")
    before = _state()
    with pytest.raises(ValidationFailed):
        _update(w, p, producer_name="HTX bưởi mới", stars=5, score=60)  # 5★ needs 90 points
    with pytest.raises(PermissionDenied):
        services.product_update(actor=w.users["hanoi_officer"], product_id=p.pk, version=1,
                                data=product_input(w.phutho, name=p.name, producer_name="HTX khác"))
    assert _state() == before


def test_the_import_renames_nothing_it_adds(w):
    """Rows match by unit + producer + name: a row with another producer name is another product (import docs)."""
    a = make_product(w.phutho, "Bưởi Đoan Hùng", producer="HTX bưởi")
    services.product_create(actor=w.users["phutho_officer"], data=product_input(w.phutho, name="Bưởi Đoan Hùng",
                                                                                producer_name="HTX khác"))
    assert Producer.objects.filter(pk=a.producer_id, name="HTX bưởi").exists()


def test_product_delete_json_body_is_not_needed(w, client):
    p = make_product(w.phutho)
    r = client.generic("DELETE", f"/api/v1/products/{p.pk}?version=1", json.dumps({}), content_type="application/json",
                       **_bearer(w.users["coordinator"]))
    assert r.status_code == 204
