"""API hardening (issue 14): the order of checks on workflow actions, bounded integers, length limits."""

from __future__ import annotations

import pytest
from django.db.models import F

from lienket.reporting.models import Submission
from lienket.reporting.services import datavalues_apply, submission_transition
from lienket.reporting.values import ValueItem

from .test_api_support import as_token, db_state, value_row

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def _in_state(w, status: str) -> Submission:
    """Given: Hà Nội's March report in `status` (draft, submitted, approved or accepted)."""
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit=w.hanoi.key, period="202603", indicator="RETAIL", value=10)], source="form")
    sub = Submission.objects.get(unit=w.hanoi, period__code="202603")
    steps = {"submitted": ["submit"], "approved": ["submit", "approve"], "accepted": ["submit", "approve", "accept"]}
    actors = {"submit": officer, "approve": w.users["hanoi_director"], "accept": w.users["coordinator"]}
    for action in steps.get(status, []):
        sub = submission_transition(submission=sub, actor=actors[action], action=action)
    assert sub.status == status
    return sub


# (state the action applies to, action, a user who may see the report but not fire the action)
WITHOUT_THE_RIGHT = [
    ("draft", "submit", "coordinator"),
    ("draft", "submit", "phutho_officer"),
    ("submitted", "approve", "hanoi_officer"),
    ("submitted", "return", "hanoi_officer"),
    ("submitted", "approve", "coordinator"),
    ("approved", "accept", "hanoi_director"),
    ("approved", "return", "hanoi_officer"),
    ("accepted", "reopen", "ministry_unit"),
    ("accepted", "reopen", "hanoi_director"),
]


@pytest.mark.parametrize(("state", "action", "who"), WITHOUT_THE_RIGHT)
def test_an_action_without_the_right_is_403_even_with_a_stale_version(w, state, action, who):
    sub = _in_state(w, state)
    seen = sub.version
    Submission.objects.filter(pk=sub.pk).update(version=F("version") + 1)  # someone changed it meanwhile
    before = db_state()

    response = as_token(w.users[who]).post_json(f"/submissions/{sub.pk}/{action}", {"reason": "x", "version": seen})

    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "forbidden"
    assert db_state() == before


def test_with_the_right_a_stale_version_is_still_a_409(w):
    sub = _in_state(w, "accepted")
    seen = sub.version
    Submission.objects.filter(pk=sub.pk).update(version=F("version") + 1)

    response = as_token(w.users["coordinator"]).post_json(f"/submissions/{sub.pk}/reopen", {"reason": "x", "version": seen})

    assert (response.status_code, response.json()["code"]) == (409, "version_conflict")
    assert Submission.objects.get(pk=sub.pk).status == "accepted"


def test_a_director_returning_from_a_stale_page_after_approval_gets_the_conflict(w):
    # The director may return a *submitted* report; the page was stale (approved meanwhile): a conflict, not 403
    sub = _in_state(w, "submitted")
    seen = sub.version
    submission_transition(submission=sub, actor=w.users["hanoi_director"], action="approve")

    response = as_token(w.users["hanoi_director"]).post_json(f"/submissions/{sub.pk}/return", {"reason": "x", "version": seen})

    assert (response.status_code, response.json()["code"]) == (409, "version_conflict")


# ---------------------------------------------------------------------------------------------------------
# Integers in the URL are bounded: 400 naming the parameter, never a 500


@pytest.mark.parametrize("path", ["/audit", "/datavalues", "/submissions"])
@pytest.mark.parametrize(("name", "value"), [
    ("offset", "9223372036854775808"), ("offset", str(2**64)), ("offset", "-1"), ("limit", str(2**63)), ("limit", "-5"),
])
def test_huge_or_negative_paging_is_a_400_naming_the_parameter(w, path, name, value):
    response = as_token(w.users["coordinator"]).get(path, **{name: value})

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert name in body["message"]
    assert body["details"][0]["field"] == name


@pytest.mark.parametrize("path", ["/datavalues", "/submissions"])
def test_the_largest_offset_is_an_empty_page(w, path):
    _in_state(w, "submitted")

    body = as_token(w.users["coordinator"]).get(path, offset=str(2**31 - 1)).json()

    assert body["offset"] == 2**31 - 1
    assert body.get("values", body.get("submissions")) == []


@pytest.mark.parametrize("submission_id", [str(2**63), str(2**64), "0", "-1"])
def test_an_id_out_of_range_in_the_path_is_a_400(w, submission_id):
    api = as_token(w.users["coordinator"])
    before = db_state()

    detail = api.get(f"/submissions/{submission_id}")
    action = api.post_json(f"/submissions/{submission_id}/accept", {"version": 1})
    token = as_token(w.users["hanoi_officer"])
    revoke = token.client.delete(f"/api/v1/users/tokens/{submission_id}", **token.headers)

    for response in (detail, action, revoke):
        assert (response.status_code, response.json()["code"]) == (400, "invalid_parameter"), response.content
        assert response.json()["details"][0]["field"] in ("submission_id", "token_id")
    assert db_state() == before


def test_the_largest_id_is_a_plain_404(w):
    api = as_token(w.users["coordinator"])

    assert api.get(f"/submissions/{2**63 - 1}").status_code == 404
    assert api.post_json(f"/submissions/{2**63 - 1}/accept").status_code == 404


def test_a_huge_region_profile_year_is_a_400(w):
    response = as_token(w.users["coordinator"]).get("/regions/profile", year=str(2**63))

    assert (response.status_code, response.json()["code"]) == (400, "invalid_parameter")
    assert "year" in response.json()["message"]


# ---------------------------------------------------------------------------------------------------------
# Length limits of the form apply to the API; foreign digits and invisible characters


def test_a_comment_longer_than_the_form_allows_is_a_422_naming_the_field(w):
    from lienket.reporting.schemas import MAX_COMMENT

    api = as_token(w.users["hanoi_officer"])
    before = db_state()
    long = "x" * (MAX_COMMENT + 1)

    as_json = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5", comment=long)]})
    as_csv = api.post_csv("/datavalues", f"unit,period,indicator,option,value,is_estimate,comment\r\n01,202603,RETAIL,,5,false,{long}\r\n")

    for response in (as_json, as_csv):
        assert response.status_code == 422
        error = response.json()["details"]["errors"][0]
        assert (error["field"], error["code"]) == ("comment", "too_long")
        assert str(MAX_COMMENT) in error["message"]
    assert db_state() == before
    ok = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5", comment="y" * MAX_COMMENT)]})
    assert ok.status_code == 200


def test_a_reason_longer_than_the_form_allows_is_a_422_naming_the_field(w):
    from lienket.reporting.schemas import MAX_REASON

    sub = _in_state(w, "submitted")
    long = "x" * (MAX_REASON + 1)
    officer = as_token(w.users["hanoi_officer"])
    before = db_state()

    body_reason = officer.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5")], "reason": long})
    query_reason = officer.post_csv("/datavalues", "unit,period,indicator,value\r\n01,202603,RETAIL,5\r\n", reason=long)
    action = as_token(w.users["hanoi_director"]).post_json(f"/submissions/{sub.pk}/return", {"reason": long})

    for response in (body_reason, query_reason, action):
        assert response.status_code == 422, response.content
        assert "reason" in response.json()["message"]
    assert db_state() == before


def test_a_huge_version_in_a_body_is_refused_not_a_500(w):
    sub = _in_state(w, "submitted")
    api = as_token(w.users["hanoi_director"])

    action = api.post_json(f"/submissions/{sub.pk}/approve", {"version": 2**63})
    values = as_token(w.users["hanoi_officer"]).post_json(
        "/datavalues", {"values": [value_row("01", "202603", "RETAIL", "5", version=2**63)]}
    )
    csv = as_token(w.users["hanoi_officer"]).post_csv(
        "/datavalues", f"unit,period,indicator,value,version\r\n01,202603,RETAIL,5,{2**63}\r\n01,202603,EXPORT,5,²\r\n"
    )

    assert (action.status_code, action.json()["code"]) == (422, "invalid")
    assert values.json()["details"]["errors"][0]["code"] == "invalid_version"
    assert [e["code"] for e in csv.json()["details"]["errors"]] == ["invalid_version", "invalid_version"]
    assert Submission.objects.get(pk=sub.pk).status == "submitted"


@pytest.mark.parametrize("value", ["١٢", "１２", "۱۲"])
def test_foreign_digits_are_not_read_as_numbers(w, value):
    api = as_token(w.users["hanoi_officer"])
    before = db_state()

    as_json = api.post_json("/datavalues", {"values": [value_row("01", "202603", "RETAIL", value)]})
    as_csv = api.post_csv("/datavalues", f"unit,period,indicator,value\r\n01,202603,RETAIL,{value}\r\n")

    for response in (as_json, as_csv):
        assert response.status_code == 422
        assert response.json()["details"]["errors"][0]["field"] == "value"
    assert db_state() == before


def test_foreign_digits_in_a_period_are_refused(w):
    response = as_token(w.users["coordinator"]).get("/datavalues", period="٢٠٢٦03")

    assert (response.status_code, response.json()["code"]) == (422, "invalid_period")


def test_invisible_characters_are_stripped_from_comments_and_reasons(w):
    api = as_token(w.users["hanoi_officer"])

    response = api.post_json("/datavalues", {
        "values": [value_row("01", "202603", "RETAIL", "5", comment="Ước\u200b tính\u202e theo\u2066 quý")],
        "reason": "\ufeffSửa\u200d số",
    })

    assert response.status_code == 200, response.content
    from lienket.reporting.models import DataValue, DataValueAudit

    assert DataValue.objects.get().comment == "Ước tính theo quý"
    assert DataValueAudit.objects.last().reason == "Sửa số"
    sub = Submission.objects.get()
    director = as_token(w.users["hanoi_officer"])
    submitted = director.post_json(f"/submissions/{sub.pk}/submit")
    returned = as_token(w.users["hanoi_director"]).post_json(f"/submissions/{sub.pk}/return", {"reason": "Thiếu\u200b\u202e số"})
    assert submitted.status_code == returned.status_code == 200
    assert Submission.objects.get().return_reason == "Thiếu số"
