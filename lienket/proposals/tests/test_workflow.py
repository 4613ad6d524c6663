"""Every transition with the roles that may fire it and roles that may not — and the database unchanged after
each refusal; the database constraints; optimistic locking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from lienket.core.errors import ApplicationError, Conflict, PermissionDenied
from lienket.core.models import AuditEntry
from lienket.proposals import services
from lienket.proposals.models import Proposal, Status

from .factories import advance, draft
from .helpers import db_state

KWARGS = {
    "assign": lambda pw: {"lead_unit": pw.market, "deadline": dt.date(2026, 5, 1)},
    "answer": lambda pw: {"answer": "Bộ đã bố trí vốn."},
    "decline": lambda pw: {"reason": "Không thuộc thẩm quyền của Bộ."},
    "forward": lambda pw: {"forwarded_to": "Bộ Tài chính"},
    "reopen": lambda pw: {"reason": "Câu trả lời chưa nêu thời hạn."},
}
# action: (state it starts from, roles allowed, roles refused)
CASES = {
    "submit": ("draft", ["director"], ["officer", "other_director", "coordinator", "market_staff"]),
    "receive": ("submitted", ["coordinator", "admin"], ["director", "market_staff", "other_officer"]),
    "assign": ("received", ["coordinator"], ["market_staff", "director", "local_staff"]),
    "answer": ("assigned", ["market_staff"], ["local_staff", "director", "officer", "coordinator"]),
    "decline": ("assigned", ["coordinator", "market_staff"], ["local_staff", "director"]),
    "forward": ("assigned", ["coordinator", "market_staff"], ["local_staff", "officer"]),
    "accept": ("answered", ["director", "officer"], ["other_director", "market_staff", "coordinator"]),
    "reopen": ("answered", ["director"], ["other_officer", "coordinator", "market_staff"]),
    "close": ("answered", ["coordinator"], ["director", "market_staff"]),
}
TARGET = {"submit": "submitted", "receive": "received", "assign": "assigned", "answer": "answered", "decline": "declined",
          "forward": "forwarded", "accept": "closed", "reopen": "assigned", "close": "closed"}


def _at(pw, state: str) -> Proposal:
    p = draft(pw)
    return p if state == "draft" else advance(pw, p, state)


@pytest.mark.parametrize("action", list(CASES))
def test_each_transition_is_allowed_for_its_roles_and_audited(pw, action):
    start, allowed, _refused = CASES[action]
    for role in allowed:
        p = _at(pw, start)
        audits = AuditEntry.objects.count()
        done = services.proposal_transition(proposal=p, actor=pw.users[role], action=action, expected_version=p.version,
                                            **KWARGS.get(action, lambda pw: {})(pw))
        assert done.status == TARGET[action], role
        assert done.version == p.version + 1
        entry = AuditEntry.objects.order_by("-id").first()
        assert AuditEntry.objects.count() == audits + 1
        assert entry.action == f"proposal.{action}"
        assert entry.actor == pw.users[role]


@pytest.mark.parametrize("action", list(CASES))
def test_each_transition_is_refused_for_other_roles_and_nothing_changes(pw, action):
    start, _allowed, refused = CASES[action]
    p = _at(pw, start)
    for role in refused:
        before = db_state()
        with pytest.raises(PermissionDenied):
            services.proposal_transition(proposal=p, actor=pw.users[role], action=action, expected_version=p.version,
                                         **KWARGS.get(action, lambda pw: {})(pw))
        assert db_state() == before, f"{action} by {role} changed the database"


def test_a_province_cannot_answer_and_a_ministry_unit_cannot_answer_what_is_not_assigned_to_it(pw):
    p = advance(pw, draft(pw), "assigned", lead=pw.local)
    before = db_state()
    for who in (pw.director, pw.officer, pw.market_staff):
        with pytest.raises(PermissionDenied) as exc:
            services.proposal_transition(proposal=p, actor=who, action="answer", answer="Trả lời", expected_version=p.version)
        assert "Cục Công Thương địa phương" in exc.value.message
    assert db_state() == before


def test_a_director_of_another_unit_cannot_submit(pw):
    p = draft(pw)
    before = db_state()
    with pytest.raises(PermissionDenied, match="Hà Nội"):
        services.proposal_transition(proposal=p, actor=pw.other_director, action="submit", expected_version=p.version)
    assert db_state() == before


def test_a_transition_from_the_wrong_state_is_a_conflict_and_changes_nothing(pw):
    p = draft(pw)
    before = db_state()
    with pytest.raises(ApplicationError) as exc:
        services.proposal_transition(proposal=p, actor=pw.coordinator, action="receive", expected_version=p.version)
    assert exc.value.status == 409
    assert exc.value.code == "proposal_invalid_transition"
    assert db_state() == before


def test_reopen_once_only_with_a_reason(pw):
    p = advance(pw, draft(pw), "answered")
    with pytest.raises(ApplicationError) as exc:
        services.proposal_transition(proposal=p, actor=pw.director, action="reopen", reason=" ", expected_version=p.version)
    assert exc.value.code == "proposal_reason_required"
    p = services.proposal_transition(proposal=p, actor=pw.director, action="reopen", reason="Chưa rõ", expected_version=p.version)
    p = services.proposal_transition(proposal=p, actor=pw.market_staff, action="answer", answer="Bổ sung", expected_version=p.version)
    assert "reopen" not in __import__("lienket.proposals.permissions", fromlist=["x"]).allowed_actions(pw.director, p)
    before = db_state()
    with pytest.raises(ApplicationError) as exc:
        services.proposal_transition(proposal=p, actor=pw.director, action="reopen", reason="Lần nữa", expected_version=p.version)
    assert exc.value.code == "reopen_limit"
    assert db_state() == before


def test_a_stale_version_is_a_conflict(pw):
    p = advance(pw, draft(pw), "received")
    services.proposal_transition(proposal=p, actor=pw.coordinator, action="assign", lead_unit=pw.market, expected_version=p.version)
    before = db_state()
    with pytest.raises(Conflict) as exc:
        services.proposal_transition(proposal=p, actor=pw.coordinator, action="assign", lead_unit=pw.local,
                                     expected_version=p.version)
    assert exc.value.code == "proposal_version_conflict"
    assert exc.value.details["current_version"] == p.version + 1
    assert db_state() == before


def test_assign_defaults_the_deadline_from_the_type(pw):
    p = advance(pw, draft(pw, kind="guidance"), "received")
    p = services.proposal_transition(proposal=p, actor=pw.coordinator, action="assign", lead_unit=pw.market,
                                     co_units=[pw.local, pw.market], expected_version=p.version)
    assert p.deadline == dt.date(2026, 4, 10) + dt.timedelta(days=30)
    assert list(p.co_units.all()) == [pw.local]


def test_the_database_refuses_states_without_what_they_need(pw):
    p = draft(pw)
    for changes in ({"status": Status.ANSWERED}, {"status": Status.ASSIGNED}, {"status": Status.DECLINED},
                    {"status": Status.RECEIVED}, {"reopen_count": 2}, {"title": ""}, {"submitting_unit": None},
                    {"status": "bogus"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Proposal.objects.filter(pk=p.pk).update(**changes)
