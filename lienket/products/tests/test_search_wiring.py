"""Products in the global search: indexed in the writing transaction, removed with the product."""

from __future__ import annotations

import pytest

from lienket.products import services
from lienket.search.models import SearchEntry

from .factories import product_input, products_world


@pytest.mark.django_db
def test_a_product_is_in_the_search_index_as_soon_as_it_is_saved_and_leaves_it_when_deleted(clock):
    # given
    w = products_world()
    officer = w.users["phutho_officer"]
    # when
    product = services.product_create(actor=officer, data=product_input(w.phutho, name="Chè Long Cốc"))
    # then
    entry = SearchEntry.objects.get(kind="product", key=str(product.pk))
    assert entry.title == "Chè Long Cốc"
    assert entry.visibility == ("public" if product.is_published else "unit")
    assert entry.unit_id == w.phutho.pk
    # when deleted, it leaves the index
    services.product_delete(actor=officer, product_id=product.pk, version=product.version)
    assert not SearchEntry.objects.filter(kind="product", key=str(product.pk)).exists()
