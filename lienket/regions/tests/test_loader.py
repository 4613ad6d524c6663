"""The reference loader: counts, validity across 1/7/2025, sources, idempotence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from lienket.conferences.models import Conference, ConferenceSeries
from lienket.core.text import nfc
from lienket.demo.reference import load_reference
from lienket.regions.models import AdminUnit, GroupMembership, UnitGroup, UnitStat, UnitSuccession
from lienket.users.models import MinistryUnit

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def _snapshot() -> dict[str, list[tuple]]:
    return {
        "units": list(AdminUnit.objects.order_by("pk").values_list()),
        "successions": list(UnitSuccession.objects.order_by("pk").values_list()),
        "stats": list(UnitStat.objects.order_by("pk").values_list()),
        "groups": list(UnitGroup.objects.order_by("pk").values_list()),
        "memberships": list(GroupMembership.objects.order_by("pk").values_list()),
        "ministry_units": list(MinistryUnit.objects.order_by("pk").values_list()),
        "series": list(ConferenceSeries.objects.order_by("pk").values_list()),
        "conferences": list(Conference.objects.order_by("pk").values_list()),
    }


@pytest.mark.django_db
def test_loader_creates_36_province_records_28_before_and_18_after_the_merger():
    # given an empty database
    # when the reference data is loaded
    counts = load_reference()
    # then
    provinces = AdminUnit.objects.provinces()
    assert provinces.count() == 36
    assert provinces.valid_on(BEFORE).count() == 28
    assert provinces.valid_on(AFTER).count() == 18
    assert counts["units"]["created"] == 36 + 7
    assert AdminUnit.objects.filter(level=AdminUnit.Level.COUNTRY).count() == 1
    assert AdminUnit.objects.filter(level=AdminUnit.Level.REGION).count() == 6


@pytest.mark.django_db
def test_unchanged_units_stay_one_record_across_the_merger(reference_data):
    # given the loaded data / when looking at Hà Nội and Cao Bằng
    for code in ("01", "04", "42"):
        records = AdminUnit.objects.filter(code=code)
        # then there is one record, valid before and after 1/7/2025
        assert records.count() == 1
        assert records.get().is_valid_on(BEFORE)
        assert records.get().is_valid_on(AFTER)


@pytest.mark.django_db
def test_merged_units_are_new_records_from_1_july_2025_with_their_seat(reference_data):
    merged = AdminUnit.objects.filter(valid_from=AFTER)
    assert sorted(merged.values_list("code", flat=True)) == ["08", "15", "19", "24", "25", "31", "33", "37"]
    lao_cai = merged.get(code="15")
    assert lao_cai.name == "Lào Cai"
    assert lao_cai.seat == "Yên Bái"
    assert "NQ-202-2025" in lao_cai.source


@pytest.mark.django_db
def test_cities_are_marked_before_and_after(reference_data):
    cities = AdminUnit.objects.filter(is_city=True)
    assert sorted(u.key for u in cities) == ["01", "31", "31@2025-07-01"]


@pytest.mark.django_db
def test_every_record_has_a_source_and_nfc_text(reference_data):
    for unit in AdminUnit.objects.all():
        assert unit.source
        assert unit.name == nfc(unit.name)
    assert not UnitStat.objects.filter(source="").exists()
    assert not GroupMembership.objects.filter(source="").exists()


@pytest.mark.django_db
def test_successions_link_the_record_of_30_june_to_the_record_of_1_july(reference_data):
    assert UnitSuccession.objects.count() == 18
    for link in UnitSuccession.objects.select_related("predecessor", "successor"):
        assert link.predecessor.valid_to == BEFORE
        assert link.successor.valid_from == AFTER
        assert link.share == Decimal(1)
        assert link.effective == AFTER


@pytest.mark.django_db
def test_stats_keep_their_sources_and_the_ha_tinh_note(reference_data):
    # given the loaded statistics
    ha_tinh = AdminUnit.objects.get(code="42")
    population = UnitStat.objects.get(unit=ha_tinh, year=2022, measure=UnitStat.Measure.POPULATION)
    # then Hà Tĩnh's population comes from table E02.03-07 with the note about E02.01
    assert population.value == Decimal("1317.25")
    assert population.source == "GSO-E0203-07"
    assert "1,323.75" in population.note
    btb = UnitStat.objects.get(unit__code="R-BTB-DHMT", year=2022, measure=UnitStat.Measure.POPULATION)
    assert "1,323.75" in btb.note
    # and the Resolution's figures are separate measures of 2025, only for the 8 merged units
    resolution = UnitStat.objects.filter(measure=UnitStat.Measure.RESOLUTION_POPULATION)
    assert resolution.count() == 8
    assert {s.year for s in resolution} == {2025}
    assert all("headcount" in s.note for s in resolution)
    assert UnitStat.objects.filter(year=2022).count() == 28 * 2 + 7 * 2


@pytest.mark.django_db
def test_groups_and_memberships_follow_the_csv(reference_data):
    north = UnitGroup.objects.get(key="north")
    assert north.purpose == UnitGroup.Purpose.CONFERENCE
    assert north.name == "Khu vực phía Bắc"
    for key, stat_code in (("TDMNPB", "R-TDMNPB"), ("DBSH", "R-DBSH"), ("BTB3", None)):
        sub = UnitGroup.objects.get(key=key)
        assert sub.parent == north
        assert sub.purpose == UnitGroup.Purpose.SUBREGION
        assert (sub.stat_unit.code if sub.stat_unit else None) == stat_code
    assert GroupMembership.objects.count() == 28 + 18 + 14 + 9 + 11 + 6 + 3 + 3
    # post-merger rows point at the new records, pre-merger rows at the old ones
    post = GroupMembership.objects.get(group=north, unit__code="15", valid_from=AFTER)
    assert post.unit.name == "Lào Cai"
    pre = GroupMembership.objects.get(group=north, unit__code="15", valid_from__isnull=True)
    assert pre.unit.name == "Yên Bái"


@pytest.mark.django_db
def test_ministry_units_and_conferences_are_loaded(reference_data):
    coordinator = MinistryUnit.objects.get(slug="cuc-cong-thuong-dia-phuong")
    assert coordinator.is_coordinator
    assert coordinator.name == "Cục Công Thương địa phương"
    assert "Decree 40/2025" in coordinator.source
    assert MinistryUnit.objects.filter(is_coordinator=True).count() == 1
    assert {
        "vu-thi-truong-trong-nuoc",
        "cuc-thuong-mai-dien-tu-va-kinh-te-so",
        "cuc-xuc-tien-thuong-mai",
        "cuc-dien-luc",
        "vu-ke-hoach-tai-chinh-va-quan-ly-doanh-nghiep",
    } <= set(MinistryUnit.objects.values_list("slug", flat=True))

    series = ConferenceSeries.objects.get(key="north")
    assert series.region_group.key == "north"
    editions = {c.year: c for c in series.editions.select_related("host")}
    assert sorted(editions) == [2014, 2016, 2017, 2018, 2019, 2020, 2022, 2023, 2024, 2025]
    assert editions[2025].host.key == "08@2025-07-01"  # the merged Tuyên Quang
    assert editions[2025].ordinal == 11
    assert editions[2024].host.code == "01"
    assert editions[2016].host.key == "37"  # Ninh Bình before the merger
    seventh = editions[2020]
    assert seventh.ordinal == 7
    assert seventh.confidence == Conference.Confidence.INFERRED
    assert seventh.date is None
    assert seventh.host is None


@pytest.mark.django_db
def test_loading_twice_changes_nothing(reference_data):
    # given data loaded once
    before = _snapshot()
    # when loading again
    counts = load_reference()
    # then every row is reported unchanged and the tables are identical
    assert all(row["created"] == 0 and row["updated"] == 0 for row in counts.values()), counts
    assert _snapshot() == before


@pytest.mark.django_db
def test_loading_again_repairs_an_edited_row(reference_data):
    # given a figure changed by hand
    stat = UnitStat.objects.get(unit__code="01", year=2022, measure=UnitStat.Measure.AREA)
    stat.value = Decimal(1)
    stat.save()
    # when loading again
    counts = load_reference()
    # then exactly that row is updated back to the sourced value
    stat.refresh_from_db()
    assert stat.value == Decimal("3359.84")
    assert counts["stats"]["updated"] == 1


@pytest.mark.django_db
def test_management_command_prints_counts():
    out = StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert "units" in text
    assert "created" in text
    assert "conferences" in text
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "(0 rows created or updated)" in out.getvalue()
