"""Across the 1/7/2025 merger: programmes of old units appear under the new unit they belong to, history kept."""

import datetime as dt

from .. import network, permissions, selectors, services
from .factories import programme


def _signed_2024(cw):
    # Bắc Giang (until 30/6/2025) and Hà Nội, 2024–2026: the key "24" on a 2024 date is Bắc Giang
    return programme(cw.users["coordinator"], parties=[("unit:01", "lead"), ("unit:24", "member")],
                     start=dt.date(2024, 3, 1), end=dt.date(2026, 12, 31))


def test_an_old_party_is_kept_and_shown_under_its_successor(cw):
    p = _signed_2024(cw)
    assert p.parties.get(role="member").unit == cw.bacgiang  # history kept: the party is the unit that signed
    views = {v.label: v for v in selectors.party_views(p)}
    assert [u.name for u in views["Bắc Giang"].now_part_of] == ["Bắc Ninh"]
    assert views["Hà Nội"].now_part_of == []


def test_the_new_unit_finds_its_predecessors_programmes(cw):
    p = _signed_2024(cw)
    assert list(selectors.programme_search(user=None, unit=cw.bacninh)) == [p]
    assert list(selectors.programme_search(user=None, party="unit:24@2025-07-01")) == [p]
    assert list(selectors.programme_search(user=None, unit=cw.phutho)) == []


def test_the_new_unit_may_edit_what_its_predecessor_signed(cw):
    p = _signed_2024(cw)
    assert permissions.can_edit(cw.users["bacninh"], p)
    assert not permissions.can_edit(cw.users["phutho"], p)
    services.programme_set_status(actor=cw.users["bacninh"], programme_id=p.pk, version=p.version, status="active")


def test_the_network_maps_parties_to_the_units_of_its_last_day(cw):
    _signed_2024(cw)
    after = network.compute(date_from=dt.date(2024, 1, 1), date_to=dt.date(2026, 4, 10))
    before = network.compute(date_from=dt.date(2024, 1, 1), date_to=dt.date(2025, 6, 1))
    names = lambda data: {frozenset(n["name"] for n in data["nodes"] if n["key"] in (e["source"], e["target"]))  # noqa: E731
                          for e in data["edges"]}
    assert names(after) == {frozenset({"Hà Nội", "Bắc Ninh"})}
    assert names(before) == {frozenset({"Hà Nội", "Bắc Giang"})}
    assert len([n for n in before["nodes"] if n["member"]]) == 28


def test_a_party_must_exist_on_the_start_date(cw):
    import pytest

    from lienket.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        programme(cw.users["coordinator"], parties=[("unit:24@2025-07-01", "lead")], start=dt.date(2025, 1, 1))
    assert exc.value.code == "unknown_unit"
