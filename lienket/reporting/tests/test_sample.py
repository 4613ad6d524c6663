"""The demonstration sample: realistic, labelled, consistent with the merger and with validation, idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum

from lienket.core.errors import ValidationFailed
from lienket.demo.sample import SAMPLE_LABEL, SAMPLE_USERNAME, load_sample_reporting
from lienket.regions.models import AdminUnit
from lienket.reporting.catalogue import load_catalogue
from lienket.reporting.models import DataValue, DataValueAudit, Submission, Target
from lienket.reporting.services import submission_transition
from lienket.reporting.validation.rules import validate_submission
from lienket.users.models import Role, User

from .factories import user

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Loading takes seconds: load once for this module's read-only tests, inside a transaction rolled back at the
    end (each test still runs in its own savepoint)."""
    from lienket.demo.reference import load_reference

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference()
        load_catalogue()
        result = load_sample_reporting(today=TODAY)
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def sample(loaded, db):
    return loaded


def _units(period: str, dataset: str = "BC-THANG") -> set[str]:
    return set(Submission.objects.filter(dataset__code=dataset, period__code=period).values_list("unit__code", flat=True))


def _count(period: str, dataset: str = "BC-THANG") -> int:
    return Submission.objects.filter(dataset__code=dataset, period__code=period).count()


def _value(code: str, period: str, unit: AdminUnit) -> Decimal:
    return DataValue.objects.get(indicator__code=code, period__code=period, unit=unit, option__isnull=True).value


def test_sample_is_labelled_everywhere(sample):
    user = User.objects.get(username=SAMPLE_USERNAME)

    assert sample["submissions"] == Submission.objects.count() > 1000
    assert sample["values"] == DataValue.objects.count() > 10000
    assert sample["seconds"] < 60
    assert not Submission.objects.filter(is_sample=False).exists()
    assert not Target.objects.filter(is_sample=False).exists()
    assert Target.objects.exists()
    assert not DataValueAudit.objects.exclude(source="sample").exists()
    assert not DataValueAudit.objects.exclude(reason__startswith=SAMPLE_LABEL).exists()
    assert user.full_name == SAMPLE_LABEL
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.memberships.exists()
    assert set(DataValue.objects.exclude(comment="").values_list("comment", flat=True)) <= {
        c for c in DataValue.objects.values_list("comment", flat=True) if c.startswith(SAMPLE_LABEL)
    }


def test_the_28_report_until_june_2025_and_the_18_after(sample):
    new_units = set(AdminUnit.objects.filter(valid_from=dt.date(2025, 7, 1)).values_list("pk", flat=True))

    for period in ("202401", "202412", "202506"):
        assert _count(period) == 28, period
    assert _count("2024S1", "BC-6THANG") == _count("2025S1", "BC-6THANG") == 28
    assert _count("2024N9", "BC-9THANG") == _count("2024", "BC-NAM") == 28
    for period in ("202507", "202603", "202610"):
        assert _count(period) == 18, period
    assert _count("2025N9", "BC-9THANG") == _count("2025", "BC-NAM") == 18
    assert _count("2026S1", "BC-6THANG") == 18
    assert not Submission.objects.filter(period__start__lt=dt.date(2025, 7, 1), period__period_type="month",
                                         unit__in=new_units).exists()
    assert set(Submission.objects.filter(period__code="2025N9").values_list("unit_id", flat=True)) >= new_units


def test_nothing_after_the_current_month(sample):
    assert not Submission.objects.filter(period__start__gt=TODAY).exists()
    assert _count("202611") > 0  # due on 20/11, still editable until 10/12
    assert not Submission.objects.filter(period__code="202612").exists()
    assert Submission.objects.filter(period__code="2026", status="draft").exists()  # the yearly report in progress


def test_a_merged_unit_reports_its_whole_territory(sample):
    new_phutho = AdminUnit.objects.get(code="25", valid_from=dt.date(2025, 7, 1))
    old = AdminUnit.objects.filter(code__in=["17", "25", "26"], valid_to=dt.date(2025, 6, 30))
    assert old.count() == 3

    before = DataValue.objects.filter(indicator__code="RETAIL", period__code="2025S1", unit__in=old).aggregate(s=Sum("value"))["s"]
    after = _value("RETAIL", "2026S1", new_phutho)

    assert Decimal("1.0") < after / before < Decimal("1.25")
    ccn_before = DataValue.objects.filter(indicator__code="CCN_ESTABLISHED", period__code="2025S1", unit__in=old).aggregate(s=Sum("value"))["s"]
    assert abs(_value("CCN_ESTABLISHED", "2026S1", new_phutho) - ccn_before) <= 3


def test_magnitudes_are_plausible(sample):
    hanoi = AdminUnit.objects.get(code="01")
    retail_2024 = DataValue.objects.filter(indicator__code="RETAIL", period__code="2024").aggregate(s=Sum("value"))["s"]
    biggest = DataValue.objects.filter(indicator__code="RETAIL", period__code="2024").order_by("-value").first()
    iip_2023 = list(DataValue.objects.filter(indicator__code="IIP", period__code="2023").values_list("value", flat=True))
    monthly_iip = DataValue.objects.filter(indicator__code="IIP", period__period_type="month").values_list("value", flat=True)

    assert Decimal("2000000") < retail_2024 < Decimal("2700000")  # 1.954 thousand billion in 2022, growing
    assert biggest.unit == hanoi
    assert (sum(v > 100 for v in iip_2023), sum(v >= 110 for v in iip_2023)) == (25, 11)
    assert sum(1 for v in monthly_iip if Decimal(80) <= v <= Decimal(140)) / len(monthly_iip) > 0.9
    ytd = _value("RETAIL_YTD", "202406", hanoi)
    months = DataValue.objects.filter(indicator__code="RETAIL", unit=hanoi, period__code__in=[f"2024{m:02d}" for m in range(1, 7)])
    assert ytd == months.aggregate(s=Sum("value"))["s"] == _value("RETAIL", "2024S1", hanoi)
    clusters = DataValue.objects.filter(indicator__code="CCN_ESTABLISHED", period__code="2025N9").aggregate(s=Sum("value"))["s"]
    assert 590 <= clusters <= 640  # 613 reported at edition XI


def test_workflow_states_are_varied_and_consistent(sample):
    statuses = dict(Submission.objects.values_list("status").annotate(n=Count("id")))

    assert {"draft", "submitted", "approved", "accepted", "returned"} <= set(statuses)
    assert statuses["accepted"] > 0.8 * sum(statuses.values())
    for sub in Submission.objects.filter(status="returned"):
        assert sub.return_reason.startswith(SAMPLE_LABEL)
        assert sub.returned_by is not None
    for sub in Submission.objects.filter(status="accepted"):
        assert sub.submitted_at <= sub.approved_at <= sub.accepted_at
    reopened = Submission.objects.get(period__code="2026N9", unit__code="08", status="returned")
    assert reopened.accepted_at is not None
    assert reopened.reopened_until == dt.date(2026, 12, 9)
    returned = Submission.objects.get(dataset__code="BC-THANG", period__code="202611", unit__code="25")
    assert returned.status == "returned"
    hanoi_draft = Submission.objects.get(dataset__code="BC-THANG", period__code="202611", unit__code="01")
    assert hanoi_draft.status == "draft"
    revised = DataValueAudit.objects.filter(kind="update").count()
    assert revised > 1000  # estimates replaced by official figures, history kept


def test_submitted_sample_reports_pass_validation(sample):
    checked = 0
    for sub in Submission.objects.exclude(status="draft").select_related("dataset", "unit", "period").order_by("id")[::7]:
        report = validate_submission(submission=sub)
        assert report.blocking == [], (sub, [v.message for v in report.blocking])
        checked += 1
    assert checked > 150
    commented = DataValue.objects.filter(comment__startswith=SAMPLE_LABEL)
    assert commented.filter(comment__contains="cửa khẩu Hữu Nghị").exists()  # a planted outlier, explained
    assert commented.count() >= 5


def test_the_demo_draft_shows_an_unexplained_outlier(sample):
    sub = Submission.objects.get(dataset__code="BC-THANG", period__code="202611", unit__code="20")

    report = validate_submission(submission=sub)

    assert sub.status == "draft"
    assert any(v.indicators == ["EXPORT"] and v.needs_comment for v in report.blocking)


def test_targets_for_the_main_indicators(sample):
    assert Target.objects.filter(year=2024, indicator__code="RETAIL").count() == 28
    assert Target.objects.filter(year=2026, indicator__code="RETAIL").count() == 18
    # 2025: the 28's plans (set in December 2024) and the 8 merged units' plans for their territory; the 10
    # units that did not change are the same records before and after, with one plan.
    assert Target.objects.filter(year=2025, indicator__code="RETAIL").count() == 28 + 8
    iip = Target.objects.filter(indicator__code="IIP").values_list("value", flat=True)
    assert all(Decimal(105) <= v <= Decimal(115) for v in iip)
    hanoi = AdminUnit.objects.get(code="01")
    plan = Target.objects.get(indicator__code="RETAIL", unit=hanoi, year=2024).value
    assert Decimal("0.9") < _value("RETAIL", "2024", hanoi) / plan < Decimal("1.15")


def test_sample_can_be_demonstrated_through_the_workflow(sample):
    director = user("ls.director", Role.PROVINCE_DIRECTOR, unit=AdminUnit.objects.get(code="20"))
    sub = Submission.objects.get(dataset__code="BC-THANG", period__code="202611", unit__code="20")

    with pytest.raises(ValidationFailed) as exc:  # the unexplained outlier blocks
        submission_transition(submission=sub, actor=director, action="submit")

    assert exc.value.code == "validation_failed"


