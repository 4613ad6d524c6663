"""One rule, one place: the workflow actions a user may fire are the same on the HTML page and in the API;
an unknown action is bad input, not a refusal; several targets are set by one atomic service."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from lienket.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry
from lienket.reporting.models import Submission, Target
from lienket.reporting.services import TargetItem, datavalues_apply, submission_transition, targets_set
from lienket.reporting.values import ValueItem

from .test_api_support import as_token

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

USERS = ("hanoi_officer", "hanoi_director", "coordinator", "admin", "phutho_officer")


def _report(w, period="202603"):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit=w.hanoi.key, period=period, indicator="RETAIL", value=10)], source="form")
    return Submission.objects.get(unit=w.hanoi, period__code=period)


def _html_actions(user, sub) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/reporting/submissions/{sub.pk}/")
    if response.status_code != 200:
        return []
    return re.findall(r'name="action" value="([a-z]+)"', response.content.decode())


def _api_actions(user, sub) -> list[str]:
    response = as_token(user).get(f"/submissions/{sub.pk}")
    return response.json()["allowed_actions"] if response.status_code == 200 else []


def test_html_buttons_and_api_allowed_actions_agree_in_every_state(w):
    # given: one report, taken through its states
    sub = _report(w)
    steps = [None, ("hanoi_officer", "submit"), ("hanoi_director", "approve"), ("coordinator", "accept")]
    for step in steps:
        if step is not None:
            sub = submission_transition(submission=sub, actor=w.users[step[0]], action=step[1], reason="")
        for name in USERS:
            # when / then
            assert _html_actions(w.users[name], sub) == _api_actions(w.users[name], sub), (sub.status, name)


def test_a_draft_still_open_has_nothing_to_reopen_on_either_channel(w):
    # given: a draft before its edit deadline
    sub = _report(w, period="209912")
    coordinator = w.users["coordinator"]
    # then
    assert "reopen" not in _api_actions(coordinator, sub)
    assert _html_actions(coordinator, sub) == _api_actions(coordinator, sub)


def test_an_unknown_action_called_directly_is_bad_input_not_a_refusal(w):
    # given
    sub = _report(w)
    for name in ("hanoi_officer", "phutho_officer"):
        # when
        with pytest.raises(ApplicationError) as exc:
            submission_transition(submission=sub, actor=w.users[name], action="publish", expected_version=sub.version)
        # then
        assert not isinstance(exc.value, PermissionDenied)
        assert exc.value.code == "unknown_action"
        assert exc.value.status == 422
    sub.refresh_from_db()
    assert sub.status == "draft"


def test_targets_set_saves_all_or_nothing_and_audits(w):
    # given
    officer = w.users["hanoi_officer"]
    retail, export = w.indicators["RETAIL"], w.indicators["EXPORT"]
    before = AuditEntry.objects.count()
    # when: one bad value
    with pytest.raises(ValidationFailed) as exc:
        targets_set(actor=officer, unit=w.hanoi, year=2026, items=[
            TargetItem(indicator=retail, value="100", key="RETAIL"), TargetItem(indicator=export, value="abc", key="EXPORT"),
        ])
    # then: nothing saved, the bad row named
    assert exc.value.code == "invalid_targets"
    assert list(exc.value.details["errors"]) == ["EXPORT"]
    assert not Target.objects.exists()
    assert AuditEntry.objects.count() == before
    # when: all good
    changed = targets_set(actor=officer, unit=w.hanoi, year=2026, items=[
        TargetItem(indicator=retail, value="100", key="RETAIL"), TargetItem(indicator=export, value="5", key="EXPORT"),
    ])
    # then
    assert changed == 2
    assert Target.objects.get(indicator=retail).value == Decimal(100)
    assert AuditEntry.objects.filter(action="target.set").count() == 2
    # and the same values again change nothing
    assert targets_set(actor=officer, unit=w.hanoi, year=2026, items=[TargetItem(indicator=retail, value="100", key="RETAIL")]) == 0


def test_targets_set_refuses_another_province(w):
    with pytest.raises(PermissionDenied):
        targets_set(actor=w.users["phutho_officer"], unit=w.hanoi, year=2026,
                    items=[TargetItem(indicator=w.indicators["RETAIL"], value="1", key="RETAIL")])
    assert not Target.objects.exists()
