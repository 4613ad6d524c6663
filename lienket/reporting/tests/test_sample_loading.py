"""Loading the sample: idempotent, extends to later days, never overwrites real data, explains what it needs."""

from __future__ import annotations

import datetime as dt

import pytest

from lienket.demo.sample import SampleError, load_sample_reporting
from lienket.regions.models import AdminUnit
from lienket.reporting.catalogue import load_catalogue
from lienket.reporting.models import DataSet, DataValue, DataValueAudit, Submission, Target
from lienket.reporting.services import submission_open
from lienket.users.models import Role

from .factories import user

TODAY = dt.date(2026, 11, 25)


def _count(period: str, dataset: str = "BC-THANG") -> int:
    return Submission.objects.filter(dataset__code=dataset, period__code=period).count()


@pytest.fixture
def sample(reference_data):
    load_catalogue()
    return load_sample_reporting(today=TODAY)


def test_loading_again_changes_nothing(sample):
    counts = (Submission.objects.count(), DataValue.objects.count(), DataValueAudit.objects.count(), Target.objects.count())

    again = load_sample_reporting(today=TODAY)

    assert (again["submissions"], again["values"], again["targets"]) == (0, 0, 0)
    assert again["skipped_existing"] == sample["submissions"]
    assert (Submission.objects.count(), DataValue.objects.count(), DataValueAudit.objects.count(), Target.objects.count()) == counts


def test_a_later_day_adds_only_the_new_periods(reference_data):
    load_catalogue()
    first = load_sample_reporting(today=dt.date(2026, 3, 10))
    march = dict(Submission.objects.filter(period__code="202603").values_list("unit__code", "status"))
    assert march
    assert set(march.values()) <= {"draft", "submitted"}
    assert not Submission.objects.filter(period__code="202604").exists()

    later = load_sample_reporting(today=dt.date(2026, 4, 25))

    assert later["skipped_existing"] == first["submissions"]
    after = dict(Submission.objects.filter(period__code="202603").values_list("unit__code", "status"))
    assert {code: after[code] for code in march} == march
    assert len(after) == 18
    assert _count("202604") > 0


def test_real_data_is_never_overwritten(reference_data):
    load_catalogue()
    coordinator = user("coord", Role.MINISTRY_COORDINATOR)
    monthly = DataSet.objects.get(code="BC-THANG")
    real = submission_open(dataset=monthly, unit=AdminUnit.objects.get(code="01"), period_code="202401", actor=coordinator)

    load_sample_reporting(today=TODAY)

    real.refresh_from_db()
    assert not real.is_sample
    assert real.status == "draft"
    assert not real.values.exists()
    assert _count("202401") == 28


def test_without_the_catalogue_the_sample_explains_what_to_run(reference_data):
    with pytest.raises(SampleError, match="load_catalogue"):
        load_sample_reporting(today=TODAY)
