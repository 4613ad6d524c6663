"""One mapping across the 1/7/2025 merger: an old unit at a later date, a new unit at an earlier date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lienket.regions import selectors

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def _names(shares: list[selectors.UnitShare]) -> list[tuple[str, Decimal]]:
    return [(s.unit.name, s.share) for s in shares]


@pytest.mark.django_db
def test_vinh_phuc_after_the_merger_is_the_new_phu_tho(reference_data):
    # given
    vinh_phuc = selectors.unit_get(code="26", date=BEFORE)
    # when
    after = selectors.unit_successors_on(unit=vinh_phuc, date=AFTER)
    # then
    assert [(s.unit.key, s.share) for s in after] == [("25@2025-07-01", Decimal(1))]
    assert _names(selectors.unit_successors_on(unit=vinh_phuc, date=BEFORE)) == [("Vĩnh Phúc", Decimal(1))]


@pytest.mark.django_db
def test_new_phu_tho_before_the_merger_is_its_three_predecessors(reference_data):
    # given
    phu_tho = selectors.unit_get(code="25", date=AFTER)
    # when
    before = selectors.unit_predecessors_on(unit=phu_tho, date=BEFORE)
    # then
    assert sorted(name for name, _ in _names(before)) == ["Hòa Bình", "Phú Thọ", "Vĩnh Phúc"]
    assert all(s.share == 1 for s in before)
    assert selectors.unit_predecessors_on(unit=phu_tho, date=AFTER)[0].unit == phu_tho


@pytest.mark.django_db
def test_a_unit_unchanged_by_the_merger_maps_to_itself(reference_data):
    hanoi = selectors.unit_get(code="01", date=AFTER)
    assert _names(selectors.unit_successors_on(unit=hanoi, date=dt.date(2026, 1, 1))) == [("Hà Nội", Decimal(1))]
    assert _names(selectors.unit_predecessors_on(unit=hanoi, date=dt.date(2020, 1, 1))) == [("Hà Nội", Decimal(1))]


@pytest.mark.django_db
def test_no_mapping_outside_a_units_lifetime(reference_data):
    # an old unit did not exist "before" itself; a new unit has no predecessors after it ends (it does not end)
    phu_tho_new = selectors.unit_get(code="25", date=AFTER)
    vinh_phuc = selectors.unit_get(code="26", date=BEFORE)
    assert selectors.unit_successors_on(unit=phu_tho_new, date=BEFORE) == []
    assert selectors.unit_predecessors_on(unit=vinh_phuc, date=AFTER) == []


@pytest.mark.django_db
def test_unit_map_on_maps_every_pre_merger_unit_in_two_queries(reference_data, django_assert_max_num_queries):
    # given
    old = list(selectors.group_members(group_key="north", date=BEFORE))
    # when
    with django_assert_max_num_queries(2):
        mapping = selectors.unit_map_on(date=AFTER, units=old)
    # then: 28 old units land in the 18 new ones
    assert len(mapping) == 28
    assert len({s.unit.pk for shares in mapping.values() for s in shares}) == 18
