"""API: submissions, the approval workflow and completeness (/api/v1/submissions, /api/v1/completeness)."""

from __future__ import annotations

import pytest

from lienket.core.models import AuditEntry
from lienket.reporting.models import DataValue, Submission
from lienket.reporting.services import datavalues_apply, submission_open, submission_transition
from lienket.reporting.values import ValueItem

from .test_api_support import anonymous, as_session, as_token, db_state, value_row

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def _submitted(w, unit=None, period="202603"):
    """Given: a report with one value, submitted by its officer."""
    unit = unit or w.hanoi
    officer = w.users["hanoi_officer"] if unit == w.hanoi else w.users["phutho_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit=unit.key, period=period, indicator="RETAIL", value=10)], source="form")
    sub = Submission.objects.get(unit=unit, period__code=period)
    return submission_transition(submission=sub, actor=officer, action="submit")


def test_the_whole_workflow_through_the_api_with_every_role(w):
    officer = as_token(w.users["hanoi_officer"])
    director = as_session(w.users["hanoi_director"])
    coordinator = as_token(w.users["coordinator"])

    opened = officer.post_json("/submissions", {"dataset": "BC-THANG", "unit": "01", "period": "202603"})
    assert opened.status_code == 201
    sub = opened.json()
    assert (sub["status"], sub["version"], sub["allowed_actions"], sub["can_edit_values"]) == ("draft", 1, ["submit"], True)
    again = officer.post_json("/submissions", {"dataset": "BC-THANG", "unit": "01", "period": "202603"})
    assert (again.status_code, again.json()["id"]) == (200, sub["id"])
    assert officer.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5")]}).status_code == 200

    submitted = officer.post_json(f"/submissions/{sub['id']}/submit", {"version": 1})
    assert submitted.status_code == 200, submitted.json()
    assert (submitted.json()["status"], submitted.json()["submitted_by"]) == ("submitted", "hanoi_officer")
    refused = officer.post_json(f"/submissions/{sub['id']}/approve")
    assert refused.status_code == 403
    assert director.get(f"/submissions/{sub['id']}").json()["allowed_actions"] == ["approve", "return"]
    approved = director.post_json(f"/submissions/{sub['id']}/approve", {"version": submitted.json()["version"]})
    assert approved.json()["status"] == "approved"
    accepted = coordinator.post_json(f"/submissions/{sub['id']}/accept")
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["accepted_by"] == "coordinator"

    locked = officer.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "6")]})
    assert locked.status_code == 422
    assert locked.json()["details"]["errors"][0]["code"] == "locked"
    reopened = coordinator.post_json(f"/submissions/{sub['id']}/reopen", {"reason": "Sai số liệu", "reopen_days": 10})
    assert (reopened.json()["status"], reopened.json()["return_reason"]) == ("returned", "Sai số liệu")
    assert reopened.json()["reopened_until"] is not None
    assert officer.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "6")]}).status_code == 200
    assert officer.post_json(f"/submissions/{sub['id']}/submit").json()["status"] == "submitted"
    assert AuditEntry.objects.filter(action__startswith="submission.").count() >= 6


def test_director_returns_with_a_reason_and_without_one_is_422(w):
    sub = _submitted(w)
    director = as_token(w.users["hanoi_director"])
    before = db_state()

    no_reason = director.post_json(f"/submissions/{sub.pk}/return", {"reason": "  "})
    no_body = director.post_empty(f"/submissions/{sub.pk}/return")

    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "reason_required")
    assert (no_body.status_code, no_body.json()["code"]) == (422, "reason_required")
    assert db_state() == before
    returned = director.post_json(f"/submissions/{sub.pk}/return", {"reason": "Thiếu số liệu xuất khẩu"})
    assert returned.json()["status"] == "returned"


def test_a_stale_version_is_a_409_conflict_and_nothing_changes(w):
    sub = _submitted(w)
    director = as_token(w.users["hanoi_director"])
    seen = director.get(f"/submissions/{sub.pk}").json()["version"]
    submission_transition(submission=sub, actor=w.users["hanoi_director"], action="return", reason="x")
    before = db_state()

    response = director.post_json(f"/submissions/{sub.pk}/approve", {"version": seen})

    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"
    assert response.json()["details"]["status"] == "returned"
    assert db_state() == before


def test_an_action_that_does_not_apply_to_the_state_is_409(w):
    sub = submission_open(dataset=w.monthly, unit=w.hanoi, period_code="202603", actor=w.users["hanoi_officer"])

    response = as_token(w.users["coordinator"]).post_json(f"/submissions/{sub.pk}/accept")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert Submission.objects.get().status == "draft"


def test_unknown_action_and_bad_bodies_are_clear_errors(w):
    sub = _submitted(w)
    director = as_token(w.users["hanoi_director"])

    unknown = director.post_json(f"/submissions/{sub.pk}/publish")
    bad_json = director.post_raw(f"/submissions/{sub.pk}/approve", "{oops", "application/json")
    not_object = director.post_json(f"/submissions/{sub.pk}/approve", [1])
    bad_version = director.post_json(f"/submissions/{sub.pk}/approve", {"version": "two"})
    bad_days = as_token(w.users["coordinator"]).post_json(f"/submissions/{sub.pk}/reopen", {"reason": "x", "reopen_days": 0})
    missing = director.post_json("/submissions/999999/approve")

    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_action")
    assert (bad_json.status_code, bad_json.json()["code"]) == (400, "invalid_json")
    assert (not_object.status_code, not_object.json()["code"]) == (400, "invalid_body")
    assert (bad_version.status_code, bad_version.json()["code"]) == (422, "invalid")
    assert (bad_days.status_code, bad_days.json()["code"]) == (422, "invalid")
    assert missing.status_code == 404
    assert Submission.objects.get().status == "submitted"


def test_other_province_director_cannot_see_or_approve(w):
    sub = _submitted(w)
    other = as_token(w.users["phutho_director"])

    detail = other.get(f"/submissions/{sub.pk}")
    approve = other.post_json(f"/submissions/{sub.pk}/approve")

    assert detail.status_code == 403
    assert approve.status_code == 403
    assert Submission.objects.get().status == "submitted"


def test_only_the_coordinator_accepts_and_reopens(w):
    sub = _submitted(w)
    submission_transition(submission=sub, actor=w.users["hanoi_director"], action="approve")

    director_accept = as_token(w.users["hanoi_director"]).post_json(f"/submissions/{sub.pk}/accept")
    officer_reopen = as_token(w.users["hanoi_officer"]).post_json(f"/submissions/{sub.pk}/reopen", {"reason": "x"})
    ministry_accept = as_token(w.users["ministry_unit"]).post_json(f"/submissions/{sub.pk}/accept")

    assert director_accept.status_code == 403
    assert officer_reopen.status_code == 403
    assert ministry_accept.status_code == 403  # cannot even see an approved (not yet accepted) report
    assert Submission.objects.get().status == "approved"
    admin_reopen = as_token(w.users["admin"]).post_json(f"/submissions/{sub.pk}/reopen", {"reason": "Kiểm tra lại"})
    assert admin_reopen.json()["status"] == "returned"


def test_workflow_endpoints_need_authentication(w):
    sub = _submitted(w)
    api = anonymous()

    responses = [
        api.get("/submissions"), api.get(f"/submissions/{sub.pk}"),
        api.post_json(f"/submissions/{sub.pk}/approve"),
        api.post_json("/submissions", {"dataset": "BC-THANG", "unit": "01", "period": "202604"}),
        api.get("/completeness", dataset="BC-THANG", period="202603"),
    ]

    assert [r.status_code for r in responses] == [401] * 5
    assert Submission.objects.count() == 1


def test_submission_list_shows_own_reports_and_accepted_reports_of_others(w):
    hanoi = _submitted(w)
    _submitted(w, unit=w.phutho)
    phutho = as_token(w.users["phutho_officer"])

    before = phutho.get("/submissions").json()
    submission_transition(submission=hanoi, actor=w.users["hanoi_director"], action="approve")
    submission_transition(submission=hanoi, actor=w.users["coordinator"], action="accept")
    after = phutho.get("/submissions", period="202603").json()
    detail = phutho.get(f"/submissions/{hanoi.pk}").json()

    assert [s["unit_key"] for s in before["submissions"]] == ["25@2025-07-01"]
    assert sorted(s["unit"] for s in after["submissions"]) == ["01", "25"]
    assert detail["allowed_actions"] == []
    assert detail["can_edit_values"] is False
    assert [(v["indicator"], v["value"]) for v in detail["values"]] == [("RETAIL", "10")]


def test_submission_list_filters(w):
    _submitted(w)
    submission_open(dataset=w.monthly, unit=w.phutho, period_code="202604", actor=w.users["phutho_officer"])
    api = as_token(w.users["coordinator"])

    assert api.get("/submissions").json()["count"] == 2
    assert [s["unit"] for s in api.get("/submissions", status="draft").json()["submissions"]] == ["25"]
    assert api.get("/submissions", unit="01", dataset="BC-THANG", period="202603").json()["count"] == 1
    assert api.get("/submissions", limit=1, offset=1).json()["submissions"][0]["period"] == "202603"
    assert api.get("/submissions", dataset="NOPE").status_code == 404
    assert api.get("/submissions", status="done").json()["code"] == "invalid_status"
    assert api.get("/submissions", period="03/2026").json()["code"] == "invalid_period"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"dataset": "NOPE", "unit": "01", "period": "202603"}, 404, "unknown_dataset"),
        ({"dataset": "BC-THANG", "unit": "99", "period": "202603"}, 404, "unknown_unit"),
        ({"dataset": "BC-THANG", "unit": "25@soon", "period": "202603"}, 422, "invalid_unit"),
        ({"dataset": "BC-THANG", "unit": "01", "period": "2026S1"}, 422, "wrong_period_type"),
        ({"dataset": "BC-THANG", "unit": "01", "period": "2026-13"}, 422, "invalid_period"),
        ({"dataset": "BC-THANG", "unit": "26", "period": "202603"}, 404, "unknown_unit"),  # Vĩnh Phúc merged away
        ({"dataset": "BC-THANG", "unit": "01"}, 422, "invalid"),
    ],
)
def test_opening_a_submission_with_bad_input_is_a_clear_error(w, payload, status, code):
    response = as_token(w.users["coordinator"]).post_json("/submissions", payload)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert Submission.objects.count() == 0


def test_a_province_user_cannot_open_another_units_report(w):
    response = as_token(w.users["phutho_officer"]).post_json("/submissions", {"dataset": "BC-THANG", "unit": "01", "period": "202603"})

    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_completeness_counts_each_reporting_unit(w):
    _submitted(w)
    submission_open(dataset=w.half_year, unit=w.phutho, period_code="2026S1", actor=w.users["phutho_officer"])
    coordinator = as_token(w.users["coordinator"])

    monthly = coordinator.get("/completeness", dataset="BC-THANG", period="202603")
    half = as_session(w.users["phutho_officer"]).get("/completeness", dataset="BC-6THANG", period="2026S1")

    assert monthly.status_code == 200
    summary = monthly.json()["summary"]
    assert (summary["expected"], summary["submitted"], summary["missing"], summary["completeness_pct"]) == (2, 1, 1, 50.0)
    assert {u["unit_key"]: u["status"] for u in monthly.json()["units"]} == {"01": "submitted", "25@2025-07-01": "missing"}
    assert half.status_code == 200
    assert (half.json()["summary"]["draft"], half.json()["summary"]["missing"]) == (1, 1)
    assert "value" not in half.json()["units"][0]


def test_completeness_before_the_merger_expects_the_old_provinces(w):
    response = as_token(w.users["ministry_unit"]).get("/completeness", dataset="BC-6THANG", period="2025S1")

    assert [u["unit"] for u in response.json()["units"]] == ["01", "25", "26"]
    assert response.json()["summary"]["missing"] == 3


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"dataset": "NOPE", "period": "202603"}, 404, "unknown_dataset"),
        ({"dataset": "BC-THANG", "period": "2026Q5"}, 422, "invalid_period"),
        ({"dataset": "BC-THANG", "period": "2026S1"}, 422, "wrong_period_type"),
        ({"dataset": "BC-THANG"}, 400, "invalid_parameter"),
    ],
)
def test_completeness_bad_input(w, query, status, code):
    response = as_token(w.users["coordinator"]).get("/completeness", **query)

    assert response.status_code == status
    assert response.json()["code"] == code


def test_nothing_is_written_when_a_transition_is_refused(w):
    sub = _submitted(w)
    values_before = list(DataValue.objects.values_list("value", "version"))

    as_token(w.users["hanoi_officer"]).post_json(f"/submissions/{sub.pk}/approve")

    assert list(DataValue.objects.values_list("value", "version")) == values_before
    assert not AuditEntry.objects.filter(action="submission.approve").exists()
