"""/api/v1/regions: public, numbers as JSON numbers, errors as {code, message, details} with a 4xx status."""

from __future__ import annotations

import datetime as dt

import pytest

from lienket.regions.models import AdminUnit

PROFILE_FIELDS = {
    "units",
    "members",
    "area_km2",
    "population",
    "population_thousand",
    "density_per_km2",
    "area_share_pct",
    "population_share_pct",
    "subregions",
    "date",
    "year",
    "group",
    "country",
    "sources",
    "notes",
}

# WhiteNoise warns when STATIC_ROOT has not been collected (tests never collect static files); not a regions concern.
pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.mark.django_db
def test_units_on_a_date_for_anonymous_users(client, reference_data):
    # when
    response = client.get("/api/v1/regions/units", {"date": "2025-06-30"})
    # then
    assert response.status_code == 200
    units = response.json()
    assert len(units) == 28
    yen_bai = next(u for u in units if u["code"] == "15")
    assert yen_bai["name"] == "Yên Bái"
    assert yen_bai["valid_to"] == "2025-06-30"
    assert yen_bai["valid_from"] is None


@pytest.mark.django_db
def test_units_default_to_today_and_filter_by_group_and_search(client, reference_data):
    assert len(client.get("/api/v1/regions/units").json()) == 18
    assert len(client.get("/api/v1/regions/units", {"date": "2025-07-01", "group": "DBSH"}).json()) == 6
    found = client.get("/api/v1/regions/units", {"date": "2025-06-30", "q": "Hoà Bình"}).json()
    assert [u["name"] for u in found] == ["Hòa Bình"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["2025-13-45", "abc", "31/02/2025"])
def test_units_with_a_bad_date_is_a_422_with_a_message(client, reference_data, bad):
    body = _assert_error(client.get("/api/v1/regions/units", {"date": bad}), 422, "invalid_date")
    assert bad in body["message"]


@pytest.mark.django_db
def test_units_with_an_unknown_group_is_a_404(client, reference_data):
    _assert_error(client.get("/api/v1/regions/units", {"group": "south"}), 404, "unknown_group")


@pytest.mark.django_db
def test_unit_detail_has_history_successions_memberships_and_stats(client, reference_data):
    # when
    body = client.get("/api/v1/regions/units/25", {"date": "2025-07-01"}).json()
    # then
    assert body["name"] == "Phú Thọ"
    assert body["key"] == "25@2025-07-01"
    assert body["valid_from"] == "2025-07-01"
    assert body["seat"] == "Phú Thọ"
    assert [p["code"] for p in body["predecessors"]] == ["17", "25", "26"]
    assert body["predecessors"][0] == {
        "code": "17",
        "name": "Hòa Bình",
        "key": "17",
        "valid_from": None,
        "valid_to": "2025-06-30",
        "effective": "2025-07-01",
        "share": 1.0,
        "source": "Nghị quyết 202/2025/QH15; Quyết định 19/2025/QĐ-TTg",
        "working_notes": "",
    }
    assert body["successors"] == []
    assert [h["key"] for h in body["history"]] == ["25", "25@2025-07-01"]
    assert {m["group"] for m in body["memberships"]} == {"north", "TDMNPB"}
    population = next(s for s in body["stats"] if s["measure"] == "resolution_population")
    assert population["value"] == 4022638.0
    assert population["year"] == 2025
    assert "headcount" in population["note"] or "tạm trú" in population["note"]


@pytest.mark.django_db
def test_old_unit_detail_lists_its_successor(client, reference_data):
    body = client.get("/api/v1/regions/units/26", {"date": "2025-06-30"}).json()
    assert body["name"] == "Vĩnh Phúc"
    assert [(s["code"], s["valid_from"]) for s in body["successors"]] == [("25", "2025-07-01")]
    area = next(s for s in body["stats"] if s["measure"] == "area_km2")
    assert area == {
        "year": 2022,
        "measure": "area_km2",
        "measure_label": area["measure_label"],
        "value": 1236.0,
        "source": "Tổng cục Thống kê, biểu E02.01 (2022)",
        "working_notes": "",
        "note": "",
    }


@pytest.mark.django_db
def test_unit_detail_refuses_unknown_code_and_bad_date(client, reference_data):
    _assert_error(client.get("/api/v1/regions/units/99"), 404, "unknown_unit")
    body = _assert_error(client.get("/api/v1/regions/units/26", {"date": "2025-07-01"}), 404, "unit_not_valid_on_date")
    assert "Vĩnh Phúc" in body["message"]
    _assert_error(client.get("/api/v1/regions/units/26", {"date": "abc"}), 422, "invalid_date")


@pytest.mark.django_db
def test_groups(client, reference_data):
    body = client.get("/api/v1/regions/groups").json()
    assert [g["key"] for g in body] == ["north", "TDMNPB", "DBSH", "BTB3"]
    assert body[1]["parent"] == "north"
    assert body[1]["stat_unit"] == "R-TDMNPB"
    assert body[0]["purpose"] == "conference"
    assert body[0]["parent"] is None


@pytest.mark.django_db
def test_profile_north_2022(client, reference_data):
    # when
    response = client.get("/api/v1/regions/profile", {"group": "north", "year": 2022})
    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PROFILE_FIELDS
    assert body["units"] == 28
    assert len(body["members"]) == 28
    assert body["members"] == sorted(body["members"])
    assert body["area_km2"] == 150058.44
    assert body["population"] == 44936630
    assert isinstance(body["population"], int)
    assert body["population_thousand"] == 44936.63
    assert body["density_per_km2"] == 299.46
    assert body["area_share_pct"] == 45.2876
    assert body["population_share_pct"] == 45.1741  # 45.174055… rounded half-up to 4 decimals
    assert body["date"] == "2022-12-31"
    assert body["year"] == 2022
    assert body["group"] == "north"
    assert body["country"] == {"area_km2": 331345.7, "population": 99474420}
    assert "Tổng cục Thống kê, biểu E02.01 (2022)" in body["sources"]  # the public citation, not the working code
    assert [s["key"] for s in body["subregions"]] == ["TDMNPB", "DBSH", "BTB3"]
    assert body["subregions"][0]["units"] == 14
    assert isinstance(body["subregions"][0]["area_km2"], float)


@pytest.mark.django_db
def test_profile_north_on_the_new_map(client, reference_data):
    body = client.get("/api/v1/regions/profile", {"group": "north", "year": 2022, "date": "2025-08-01"}).json()
    assert body["units"] == 18
    assert body["area_km2"] == 150058.44
    assert body["population"] == 44936630
    assert body["date"] == "2025-08-01"
    assert any("derived from predecessors" in note or "tiền thân" in note for note in body["notes"])


@pytest.mark.django_db
def test_profile_refusals(client, reference_data):
    _assert_error(client.get("/api/v1/regions/profile", {"group": "south", "year": 2022}), 404, "unknown_group")
    body = _assert_error(client.get("/api/v1/regions/profile", {"group": "north", "year": 2019}), 404, "no_data")
    assert "2019" in body["message"]
    assert "2022" in body["message"]
    _assert_error(client.get("/api/v1/regions/profile", {"group": "north", "date": "2025-13-45"}), 422, "invalid_date")
    _assert_error(client.get("/api/v1/regions/profile", {"group": "north", "year": "abc"}), 400, "invalid_parameter")


@pytest.mark.django_db
def test_api_reads_change_nothing(client, reference_data):
    before = AdminUnit.objects.count()
    client.get("/api/v1/regions/profile", {"group": "north", "year": 2022})
    client.get("/api/v1/regions/units/99")
    assert AdminUnit.objects.count() == before


@pytest.mark.django_db
def test_public_api_cites_sources_cleanly_and_shows_working_notes_to_staff_only(client, reference_data, admin_user):
    # given a unit whose source carries working notes
    unit = AdminUnit.objects.get(code="25", valid_from=dt.date(2025, 7, 1))
    assert unit.citation
    assert unit.source != unit.citation
    # when the public reads it
    public = client.get("/api/v1/regions/units/25", {"date": "2025-07-01"}).json()
    # then it sees the citation only
    assert public["source"] == unit.citation
    assert public["working_notes"] == ""
    assert all(m["working_notes"] == "" for m in public["memberships"])
    # and staff see the notes too
    client.force_login(admin_user)
    staff = client.get("/api/v1/regions/units/25", {"date": "2025-07-01"}).json()
    assert staff["working_notes"] == unit.source
