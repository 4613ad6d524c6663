"""Smoke tests of the write path shared by the form, the Excel upload, CSV and the API."""

from decimal import Decimal

import pytest

from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry
from lienket.reporting.models import DataValue, DataValueAudit, Submission
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.values import ValueItem


def test_officer_saves_values_and_a_second_save_changes_nothing(w):
    officer = w.users["hanoi_officer"]
    items = [ValueItem(unit="01", period="202603", indicator="RETAIL", value="1.234,5", ref="A1"),
             ValueItem(unit="01", period="202603", indicator="EXPORT", value=12, ref="A2")]

    first = datavalues_apply(actor=officer, items=items, source="api")
    second = datavalues_apply(actor=officer, items=items, source="api")

    assert (first.created, first.changed) == (2, 0)
    assert (second.created, second.changed, second.unchanged) == (0, 0, 2)
    assert DataValue.objects.get(indicator__code="RETAIL").value == Decimal("1234.5")
    assert DataValueAudit.objects.count() == 2


def test_code_25_means_old_phu_tho_before_merger_and_new_after(w):
    officer_new = w.users["phutho_officer"]
    datavalues_apply(actor=officer_new, items=[ValueItem(unit="25", period="2026S1", indicator="RETAIL", value=5)], source="api")
    assert DataValue.objects.get().unit == w.phutho
    with pytest.raises(ValidationFailed) as exc:  # 2025S1 is reported by the OLD Phú Thọ, not by the new one's officer
        datavalues_apply(actor=officer_new, items=[ValueItem(unit="25", period="2025S1", indicator="RETAIL", value=5)], source="api")
    assert exc.value.details["errors"][0]["code"] == "forbidden"


def test_other_province_cannot_write_and_nothing_is_written(w):
    with pytest.raises(ValidationFailed) as exc:
        datavalues_apply(actor=w.users["phutho_officer"], items=[
            ValueItem(unit="25", period="202603", indicator="RETAIL", value=1, ref="r1"),
            ValueItem(unit="01", period="202603", indicator="RETAIL", value=1, ref="r2"),
        ], source="api")
    assert [e["ref"] for e in exc.value.details["errors"]] == ["r2"]
    assert DataValue.objects.count() == 0


def test_bad_values_are_all_reported_with_their_place(w):
    with pytest.raises(ValidationFailed) as exc:
        datavalues_apply(actor=w.users["hanoi_officer"], items=[
            ValueItem(unit="01", period="202603", indicator="RETAIL", value="abc", ref="Biểu 01!D7"),
            ValueItem(unit="01", period="202603", indicator="NOPE", value=1, ref="Biểu 01!D8"),
            ValueItem(unit="01", period="2026X", indicator="RETAIL", value=1, ref="Biểu 01!D9"),
            ValueItem(unit="01", period="202603", indicator="EXPORT", value=-5, ref="Biểu 01!D10"),
        ], source="xlsx")
    messages = [e["message"] for e in exc.value.details["errors"]]
    assert messages[0].startswith("Biểu 01!D7:")
    assert len(messages) == 4
    assert DataValue.objects.count() == 0


def test_workflow_submit_approve_accept_and_lock(w):
    officer, director, coord = w.users["hanoi_officer"], w.users["hanoi_director"], w.users["coordinator"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=10)], source="form")
    sub = Submission.objects.get()

    sub = submission_transition(submission=sub, actor=officer, action="submit")
    with pytest.raises(PermissionDenied):
        submission_transition(submission=sub, actor=officer, action="approve")
    sub = submission_transition(submission=sub, actor=director, action="approve")
    sub = submission_transition(submission=sub, actor=coord, action="accept")

    assert sub.status == "accepted"
    with pytest.raises(ValidationFailed):
        datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=11)], source="form")
    assert AuditEntry.objects.filter(action__startswith="submission.").count() >= 4


def test_concurrent_approval_conflicts(w):
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    sub = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=officer)
    sub = submission_transition(submission=sub, actor=officer, action="submit")
    seen_version = sub.version

    submission_transition(submission=sub, actor=director, action="approve", expected_version=seen_version)
    with pytest.raises(Conflict):
        submission_transition(submission=sub, actor=director, action="return", reason="x", expected_version=seen_version)


def test_an_indicator_is_refused_outside_the_years_it_was_collected(w):
    import datetime as dt

    from lienket.reporting.selectors import dataset_elements

    retail = w.indicators["EXPORT"]
    retail.used_to = dt.date(2020, 12, 31)
    retail.save()

    with pytest.raises(ValidationFailed) as exc:
        datavalues_apply(actor=w.users["hanoi_officer"], items=[
            ValueItem(unit="01", period="202603", indicator="EXPORT", value=1, ref="r1")], source="api")

    assert exc.value.details["errors"][0]["code"] == "not_in_use"
    assert DataValue.objects.count() == 0
    from lienket.reporting.periods import parse_period

    codes = [el.indicator.code for el in dataset_elements(dataset=w.monthly, period=parse_period("202603"))]
    assert "EXPORT" not in codes
    assert "RETAIL" in codes
