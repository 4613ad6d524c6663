"""The sample products are clearly labelled and cover every certificate status; loading twice adds nothing."""

from __future__ import annotations

import pytest

from lienket.demo.sample import load_sample_products
from lienket.products.models import Producer, Product, ProductPhoto
from lienket.products.ocop import CertificateStatus
from lienket.products.selectors import product_certificate_status

pytestmark = pytest.mark.django_db


def test_sample_products_are_labelled_and_idempotent(reference_data, clock, client):
    first = load_sample_products()
    assert first["created"] >= 6
    products = list(Product.objects.all())
    assert all(p.is_sample and "(mẫu)" in p.name and (not p.stars or "MẪU" in p.decision_number) for p in products)
    assert all(p.is_sample for p in Producer.objects.all())
    assert {product_certificate_status(p) for p in products} == set(CertificateStatus)
    assert ProductPhoto.objects.count() == len(products)
    assert load_sample_products()["created"] == 0
    page = client.get(f"/san-pham/{products[0].pk}/").content.decode()
    assert "Dữ liệu mẫu" in page
