"""Units on a date, history, successions, search and the region profile."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest

from lienket.core.errors import NotFound, ValidationFailed
from lienket.regions import selectors
from lienket.regions.models import AdminUnit, UnitStat

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_north_has_28_members_on_30_june_and_18_on_1_july_2025(reference_data):
    # when
    before = selectors.group_members(group_key="north", date=BEFORE)
    after = selectors.group_members(group_key="north", date=AFTER)
    # then
    assert before.count() == 28
    assert after.count() == 18
    assert all(u.is_valid_on(AFTER) for u in after)


@pytest.mark.django_db
def test_code_15_is_yen_bai_then_lao_cai(reference_data):
    assert selectors.unit_get(code="15", date=BEFORE).name == "Yên Bái"
    assert selectors.unit_get(code="15", date=AFTER).name == "Lào Cai"
    assert [u.name for u in selectors.unit_history(code="15")] == ["Yên Bái", "Lào Cai"]


@pytest.mark.django_db
def test_code_24_is_bac_giang_then_bac_ninh(reference_data):
    assert selectors.unit_get(code="24", date=BEFORE).name == "Bắc Giang"
    assert selectors.unit_get(code="24", date=AFTER).name == "Bắc Ninh"


@pytest.mark.django_db
def test_unit_get_without_date_uses_today_in_vietnam(reference_data):
    # given today is after the merger (the data's range ends there)
    assert selectors.today() >= AFTER
    # then the current record is returned
    assert selectors.unit_get(code="15").name == "Lào Cai"


@pytest.mark.django_db
def test_unit_get_refuses_an_unknown_code_or_a_code_not_valid_that_day(reference_data):
    with pytest.raises(NotFound) as unknown:
        selectors.unit_get(code="99", date=AFTER)
    assert unknown.value.code == "unknown_unit"
    assert "99" in unknown.value.message
    # code 10 (old Lào Cai) ended on 30/6/2025
    with pytest.raises(NotFound) as ended:
        selectors.unit_get(code="10", date=AFTER)
    assert ended.value.code == "unit_not_valid_on_date"
    assert "01/07/2025" in ended.value.message
    assert "Lào Cai" in ended.value.message


@pytest.mark.django_db
def test_new_phu_tho_has_three_predecessors_and_old_vinh_phuc_one_successor(reference_data):
    # given
    new_phu_tho = selectors.unit_get(code="25", date=AFTER)
    vinh_phuc = selectors.unit_get(code="26", date=BEFORE)
    # when
    predecessors = [link.predecessor for link in selectors.unit_predecessors(unit=new_phu_tho)]
    successors = [link.successor for link in selectors.unit_successors(unit=vinh_phuc)]
    # then
    assert [u.code for u in predecessors] == ["17", "25", "26"]
    assert all(u.valid_to == BEFORE for u in predecessors)
    assert [u.key for u in successors] == ["25@2025-07-01"]


@pytest.mark.django_db
def test_unchanged_unit_has_no_successions(reference_data):
    ha_noi = selectors.unit_get(code="01", date=AFTER)
    assert not selectors.unit_predecessors(unit=ha_noi).exists()
    assert not selectors.unit_successors(unit=ha_noi).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Hoà Bình", "Hòa Bình", "hoa binh", "HOA BINH", "  hòa   bình "])
def test_search_treats_old_and_new_tone_placement_as_equal(reference_data, query):
    found = list(selectors.unit_list(date=BEFORE, q=query))
    assert [u.name for u in found] == ["Hòa Bình"]


@pytest.mark.django_db
def test_search_folds_d_with_stroke_and_matches_codes(reference_data):
    assert [u.code for u in selectors.unit_list(date=AFTER, q="dien bien")] == ["11"]
    assert [u.name for u in selectors.unit_list(date=AFTER, q="15")] == ["Lào Cai"]


@pytest.mark.django_db
def test_unit_list_by_group_and_date(reference_data):
    assert selectors.unit_list(date=BEFORE, group="DBSH").count() == 11
    assert selectors.unit_list(date=AFTER, group="DBSH").count() == 6
    assert selectors.unit_list(date=AFTER).count() == 18
    with pytest.raises(NotFound) as exc:
        list(selectors.unit_list(date=AFTER, group="south"))
    assert exc.value.code == "unknown_group"


@pytest.mark.django_db
def test_bad_date_parameter_is_a_validation_error():
    with pytest.raises(ValidationFailed) as exc:
        selectors.date_from_param("2025-13-45")
    assert exc.value.code == "invalid_date"
    assert selectors.date_from_param("01/07/2025") == AFTER


# --- profile ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_of_north_2022_gives_the_exact_sums(reference_data):
    # when
    profile = selectors.region_profile(group_key="north", year=2022)
    f = profile.figures
    # then
    assert profile.date == dt.date(2022, 12, 31)
    assert f.units == 28
    assert f.area_km2 == Decimal("150058.44")
    assert f.population_thousand == Decimal("44936.63")
    assert f.population == 44_936_630
    assert f.density_per_km2 == Decimal("299.46")
    assert f.area_share_pct == Decimal("45.2876")
    assert f.population_share_pct == Decimal("45.1741")  # 45.174055… rounded half-up to 4 decimals
    assert profile.country_area_km2 == Decimal("331345.70")
    assert profile.country_population == 99_474_420


@pytest.mark.django_db
def test_profile_reproduces_the_seed_article_at_its_precision(reference_data):
    # given the article: 150.058,5 km², 44,93 million, 299 /km², 45,28 %, 45,17 % (cut, not rounded)
    f = selectors.region_profile(group_key="north", year=2022).figures
    # then each figure agrees at the article's precision
    area_1dp = f.area_km2.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert Decimal("150058.4") <= area_1dp <= Decimal("150058.5")
    millions = Decimal(f.population) / 1_000_000
    assert Decimal("44.93") <= millions.quantize(Decimal("0.01"), rounding=ROUND_DOWN) <= Decimal("44.94")
    assert int(f.density_per_km2) == 299
    assert Decimal("45.28") <= f.area_share_pct.quantize(Decimal("0.01"), rounding=ROUND_DOWN) <= Decimal("45.29")
    assert f.population_share_pct.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("45.17")


@pytest.mark.django_db
def test_profile_after_the_merger_derives_new_units_from_predecessors(reference_data):
    # when the 2022 figures are shown on the map of 1/8/2025
    profile = selectors.region_profile(group_key="north", year=2022, date=dt.date(2025, 8, 1))
    f = profile.figures
    # then 18 units carry the same totals
    assert f.units == 18
    assert f.area_km2 == Decimal("150058.44")
    assert f.population == 44_936_630
    assert f.density_per_km2 == Decimal("299.46")
    derived = {row.unit.code: row for row in profile.member_rows if row.derived_from_predecessors}
    assert sorted(derived) == ["08", "15", "19", "24", "25", "31", "33", "37"]
    phu_tho = derived["25"]
    assert [u.code for u in phu_tho.predecessors] == ["17", "25", "26"]
    assert phu_tho.area_km2 == Decimal("4590.30") + Decimal("3534.56") + Decimal("1236.00")
    assert any("derived from predecessors" in note for note in profile.notes)


@pytest.mark.django_db
def test_profile_never_mixes_in_the_resolution_figures(reference_data):
    profile = selectors.region_profile(group_key="north", year=2022, date=AFTER)
    used = {stat.measure for row in profile.member_rows for stat in row.stats}
    assert used == {UnitStat.Measure.AREA, UnitStat.Measure.POPULATION}
    lao_cai = next(row for row in profile.member_rows if row.unit.code == "15")
    assert lao_cai.area_km2 == Decimal("13256.92")  # 6364.25 + 6892.67, not the Resolution's area
    assert lao_cai.population_thousand == Decimal("1617.84")  # not the headcount 1.778.785


@pytest.mark.django_db
def test_profile_breaks_down_by_subregion(reference_data):
    profile = selectors.region_profile(group_key="north", year=2022)
    subs = {s.key: s for s in profile.subregions}
    assert [s.key for s in profile.subregions] == ["TDMNPB", "DBSH", "BTB3"]
    assert subs["TDMNPB"].figures.units == 14
    assert subs["TDMNPB"].figures.area_km2 == Decimal("95184.16")
    assert subs["DBSH"].figures.units == 11
    assert subs["BTB3"].figures.units == 3
    assert sum(s.figures.area_km2 for s in profile.subregions) == profile.figures.area_km2
    assert subs["TDMNPB"].published is not None
    assert subs["TDMNPB"].published["area_km2"] == Decimal("95184.16")
    after = {s.key: s for s in selectors.region_profile(group_key="north", year=2022, date=AFTER).subregions}
    assert after["TDMNPB"].figures.units == 9
    assert after["DBSH"].figures.units == 6
    assert after["TDMNPB"].published is None  # the old statistical region does not match the new map


@pytest.mark.django_db
def test_profile_keeps_sources_and_the_ha_tinh_note(reference_data):
    profile = selectors.region_profile(group_key="north", year=2022)
    assert profile.sources[:2] == ["GSO-E0201", "GSO-E0203-07"]
    assert any("E02.03-07" in note and "Hà Tĩnh" in note for note in profile.notes)
    assert any("150,058.5" in note for note in profile.notes)


@pytest.mark.django_db
def test_profile_without_year_uses_the_latest_year(reference_data):
    assert selectors.region_profile(group_key="north").year == 2022


@pytest.mark.django_db
def test_profile_refuses_unknown_group_year_without_data_and_member_without_figures(reference_data):
    with pytest.raises(NotFound) as unknown:
        selectors.region_profile(group_key="south", year=2022)
    assert unknown.value.code == "unknown_group"

    with pytest.raises(NotFound) as no_data:
        selectors.region_profile(group_key="north", year=2019)
    assert no_data.value.code == "no_data"
    assert "2019" in no_data.value.message
    assert "2022" in no_data.value.message

    # given a member whose 2022 population is missing
    UnitStat.objects.filter(unit__code="12", measure=UnitStat.Measure.POPULATION).delete()
    with pytest.raises(ValidationFailed) as missing:
        selectors.region_profile(group_key="north", year=2022)
    assert "Lai Châu" in missing.value.message


@pytest.mark.django_db
def test_profile_names_the_new_unit_whose_predecessor_lacks_figures(reference_data):
    # given old Bắc Kạn without a 2022 area
    UnitStat.objects.filter(unit__code="06", measure=UnitStat.Measure.AREA).delete()
    # then the 2022 profile on the new map names new Thái Nguyên
    with pytest.raises(ValidationFailed) as exc:
        selectors.region_profile(group_key="north", year=2022, date=AFTER)
    assert "Thái Nguyên (19" in exc.value.message


@pytest.mark.django_db
def test_profile_multiplies_partial_successions_by_their_share(reference_data):
    # given a fictitious split: half of old Hà Nam goes to new Ninh Bình (for this test only)
    link = AdminUnit.objects.get(code="37", valid_from=AFTER).successions_in.get(predecessor__code="35")
    link.share = Decimal("0.5")
    link.save()
    # when
    profile = selectors.region_profile(group_key="north", year=2022, date=AFTER)
    ninh_binh = next(row for row in profile.member_rows if row.unit.code == "37")
    # then
    expected = Decimal("861.93") * Decimal("0.5") + Decimal("1668.83") + Decimal("1411.78")
    assert ninh_binh.area_km2 == expected


@pytest.mark.django_db
def test_profile_with_an_explicit_date_without_members_is_refused(reference_data):
    from lienket.regions.models import GroupMembership

    GroupMembership.objects.filter(group__key="BTB3", valid_from__isnull=True).delete()
    with pytest.raises(NotFound) as exc:
        selectors.region_profile(group_key="BTB3", year=2022, date=BEFORE)
    assert exc.value.code == "no_members"


@pytest.mark.django_db
def test_profile_falls_back_to_the_nearest_membership_and_says_so(reference_data):
    from lienket.regions.models import GroupMembership

    # given BTB3 membership before the merger removed: 31/12/2022 has no members
    GroupMembership.objects.filter(group__key="BTB3", valid_from__isnull=True).delete()
    # when
    profile = selectors.region_profile(group_key="BTB3", year=2022)
    # then the membership of 1/7/2025 is used, with a note
    assert profile.date == AFTER
    assert profile.figures.units == 3
    assert "31/12/2022" in profile.notes[0]
    assert "01/07/2025" in profile.notes[0]


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English wording of notes; the Vietnamese catalogue is tested by the page tests."""
    from django.utils import translation

    with translation.override("en"):
        yield
