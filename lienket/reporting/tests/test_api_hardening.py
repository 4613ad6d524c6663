"""API hardening (issue 14): the order of checks on workflow actions, bounded integers, length limits."""

from __future__ import annotations

import pytest
from django.db.models import F

from lienket.reporting.models import Submission
from lienket.reporting.services import ValueItem, datavalues_apply, submission_transition

from .test_api_support import as_token, db_state

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
