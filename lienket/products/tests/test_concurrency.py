"""Two managers save the same product from the same version at the same moment: one wins, the other gets 409 and
nothing of theirs is written (the row is locked while the version is checked)."""

from __future__ import annotations

import pytest

from lienket.core.errors import Conflict
from lienket.core.tests.concurrency import together
from lienket.products import services
from lienket.products.models import Product

from .factories import make_product, product_input, products_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_updates_from_one_version_one_wins(clock):
    w = products_world()
    product = make_product(w.phutho, "Bưởi", producer="HTX chè Long Cốc")
    users = [w.users["phutho_officer"], w.users["phutho_director"]]
    results = together([
        lambda user=user, score=score: services.product_update(
            actor=user, product_id=product.pk, version=1, data=product_input(w.phutho, name="Bưởi", stars=3, score=score))
        for user, score in zip(users, (61, 62), strict=True)], timeout=30)
    for r in results:
        if isinstance(r, Exception) and not isinstance(r, Conflict):
            raise r
    outcomes = ["conflict" if isinstance(r, Conflict) else "saved" for r in results]
    assert sorted(outcomes) == ["conflict", "saved"]
    product.refresh_from_db()
    assert product.version == 2
    assert product.score in (61, 62)
    assert Product.objects.count() == 1
