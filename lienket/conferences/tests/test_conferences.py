"""The conference series and its editions: the loader (counts, hosts valid on the day, idempotence, refusals)
and the models' invariants."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from lienket.conferences import loader
from lienket.conferences.loader import load_conferences
from lienket.conferences.models import Conference, ConferenceSeries
from lienket.regions.loader import ReferenceDataError, load_regions
from lienket.regions.models import AdminUnit, UnitGroup

pytestmark = pytest.mark.django_db

EDITIONS = 10  # rows of fixtures/editions.csv, all with a year


@pytest.fixture
def regions(db):
    load_regions()


@pytest.fixture
def fixtures_copy(tmp_path, monkeypatch) -> Path:
    """The loader reading a copy of its fixtures, to be spoiled by a test."""
    shutil.copytree(loader.FIXTURES, tmp_path, dirs_exist_ok=True)
    monkeypatch.setattr(loader, "FIXTURES", tmp_path)
    return tmp_path / "editions.csv"


def test_loader_creates_the_northern_series_and_its_editions(regions):
    # when the conferences are loaded after the regions
    counts = load_conferences()
    # then one series, tied to the northern group, with every edition of the fixture
    assert counts["conference_series"] == {"created": 1, "updated": 0, "unchanged": 0}
    assert counts["conferences"]["created"] == EDITIONS
    series = ConferenceSeries.objects.get()
    assert series.key == "north"
    assert series.region_group == UnitGroup.objects.get(key="north")
    assert str(series) == series.name
    assert list(series.editions.values_list("year", flat=True)) == [2014, 2016, 2017, 2018, 2019, 2020, 2022, 2023, 2024, 2025]


def test_the_host_is_the_unit_valid_on_the_conference_day(regions):
    load_conferences()
    # Tuyên Quang (08) hosted in October 2025: the merged unit of 1/7/2025, not the one before
    host_2025 = Conference.objects.get(year=2025).host
    assert host_2025.code == "08"
    assert host_2025.is_valid_on(dt.date(2025, 10, 17))
    assert not host_2025.is_valid_on(dt.date(2025, 6, 30))
    # Hà Nội hosted in 2024
    assert Conference.objects.get(year=2024).host == AdminUnit.objects.valid_on(dt.date(2024, 5, 17)).get(code="01")


def test_an_edition_known_only_from_the_numbering_has_no_date_or_host(regions):
    load_conferences()

    seventh = Conference.objects.get(ordinal=7)

    assert seventh.confidence == Conference.Confidence.INFERRED
    assert seventh.date is None
    assert seventh.host is None
    assert str(seventh) == seventh.title


def test_loading_twice_changes_nothing(regions):
    load_conferences()
    before = list(Conference.objects.order_by("pk").values_list())

    counts = load_conferences()

    assert all(row["created"] == row["updated"] == 0 for row in counts.values()), counts
    assert list(Conference.objects.order_by("pk").values_list()) == before


def test_loading_again_repairs_an_edited_edition(regions):
    load_conferences()
    Conference.objects.filter(year=2023).update(title="sửa tay")

    counts = load_conferences()

    assert counts["conferences"]["updated"] == 1
    assert Conference.objects.get(year=2023).title.startswith("Hội nghị ngành Công Thương")


def test_conferences_need_the_region_group_first(db):
    # given no reference data at all / when loading the conferences alone
    with pytest.raises(ReferenceDataError, match="north"):
        load_conferences()
    # then nothing was written
    assert not ConferenceSeries.objects.exists()


def test_an_unknown_confidence_is_refused_and_nothing_is_written(regions, fixtures_copy):
    text = fixtures_copy.read_text(encoding="utf-8")
    fixtures_copy.write_text(text.replace(",confirmed,", ",sure,", 1), encoding="utf-8")

    with pytest.raises(ReferenceDataError, match="unknown confidence 'sure'"):
        load_conferences()

    assert not Conference.objects.exists()
    assert not ConferenceSeries.objects.exists()


def test_a_host_without_a_date_is_refused(regions, fixtures_copy):
    lines = fixtures_copy.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",2014,,,", ",2014,,01,", 1)
    fixtures_copy.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError, match="needs a date"):
        load_conferences()

    assert not Conference.objects.exists()


def test_a_host_code_unknown_on_the_day_is_refused(regions, fixtures_copy):
    text = fixtures_copy.read_text(encoding="utf-8")
    fixtures_copy.write_text(text.replace(",2016-09-06,37,", ",2016-09-06,99,", 1), encoding="utf-8")

    with pytest.raises(ReferenceDataError, match="no single unit 99"):
        load_conferences()


def test_one_edition_per_series_and_year(regions):
    load_conferences()
    series = ConferenceSeries.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Conference.objects.create(series=series, year=2023, title="bản trùng", confidence=Conference.Confidence.CONFIRMED)

    assert Conference.objects.filter(year=2023).count() == 1
