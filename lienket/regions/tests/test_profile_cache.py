"""The public region profile: a handful of queries, then none (cached) until reference data is loaded again."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lienket.regions import selectors
from lienket.regions.loader import load_regions
from lienket.regions.models import UnitStat

#: Computing a profile: groups, years, the membership date, the year's figures, the country, the members of
#: the group and its sub-regions, the successions. Before issue #17 it was 20 (the same rows again per group).
PROFILE_QUERIES = 7


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/api/v1/regions/profile", "/regions/profile/?group=north&year=2022"])
def test_profile_is_computed_in_a_handful_of_queries_then_served_from_the_cache(client, reference_data, url):
    first = _count(client, url)
    again = _count(client, url)

    assert first <= PROFILE_QUERIES
    assert again == 0


def test_loading_reference_data_clears_the_cached_profile(client, reference_data):
    before = client.get("/api/v1/regions/profile", {"group": "north", "year": 2022}).json()
    UnitStat.objects.filter(unit__code="01", year=2022, measure=UnitStat.Measure.AREA).update(value=1)
    cached = client.get("/api/v1/regions/profile", {"group": "north", "year": 2022}).json()

    load_regions()  # puts the published figure back, and clears the cache
    after_load = client.get("/api/v1/regions/profile", {"group": "north", "year": 2022}).json()
    UnitStat.objects.filter(unit__code="01", year=2022, measure=UnitStat.Measure.AREA).update(value=1)
    selectors.reference_cache_clear()
    after_clear = client.get("/api/v1/regions/profile", {"group": "north", "year": 2022}).json()

    assert cached["area_km2"] == before["area_km2"]
    assert after_load["area_km2"] == before["area_km2"]
    assert after_clear["area_km2"] < before["area_km2"]


def test_a_cached_profile_is_per_language(client, reference_data):
    vi = client.get("/regions/profile/?year=2022", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    en = client.get("/regions/profile/?year=2022&lang=en", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert vi != en


def test_errors_are_not_cached(client, reference_data):
    missing = client.get("/api/v1/regions/profile", {"year": 1000})
    cache_keys_after_error = [k for k in getattr(cache, "_cache", {}) if "profile" in str(k)]

    assert missing.status_code == 404
    assert cache_keys_after_error == []
