"""Two managers save the same product from the same version at the same moment: one wins, the other gets 409 and
nothing of theirs is written (the row is locked while the version is checked)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from lienket.core.errors import Conflict
from lienket.products import services
from lienket.products.models import Product

from .factories import make_product, product_input, products_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_updates_from_one_version_one_wins(clock):
    w = products_world()
    product = make_product(w.phutho, "Bưởi", producer="HTX chè Long Cốc")
    users = [w.users["phutho_officer"], w.users["phutho_director"]]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, score):
        try:
            barrier.wait(timeout=10)
            services.product_update(actor=user, product_id=product.pk, version=1,
                                    data=product_input(w.phutho, name="Bưởi", stars=3, score=score))
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u, s)) for u, s in zip(users, (61, 62), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["conflict", "saved"]
    product.refresh_from_db()
    assert product.version == 2
    assert product.score in (61, 62)
    assert Product.objects.count() == 1
