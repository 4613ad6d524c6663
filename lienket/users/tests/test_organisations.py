"""The shared list of businesses and associations: loaded from its sourced fixture, folded for search."""

from __future__ import annotations

import pytest

from lienket.users.loader import load_organisations
from lienket.users.models import Organisation


@pytest.mark.django_db
def test_the_businesses_the_seed_names_are_loaded_with_their_source():
    # when
    counts = load_organisations()
    # then
    assert counts["organisations"]["created"] == 2
    evn = Organisation.objects.get(slug="evn")
    assert evn.short_name == "EVN"
    assert evn.kind == Organisation.Kind.BUSINESS
    assert "17/5/2024" in evn.source
    assert Organisation.objects.get(slug="central-retail-viet-nam").name_folded == "tap đoan central retail viet nam".replace("đ", "d")


@pytest.mark.django_db
def test_loading_organisations_twice_changes_nothing():
    load_organisations()
    assert load_organisations()["organisations"] == {"created": 0, "updated": 0, "unchanged": 2}
