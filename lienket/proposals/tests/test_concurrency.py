"""Concurrent transitions of one proposal, through the live server with real threads (real row locks on
PostgreSQL): everybody acts on the version they saw, exactly one wins, the others get 409 and nothing of theirs
is stored. The version is checked in the UPDATE itself (services.proposal_transition)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lienket.core.models import AuditEntry
from lienket.core.tests.concurrency import together
from lienket.proposals.models import Proposal
from lienket.reporting.tests.test_api_support import token_for
from lienket.reporting.tests.test_concurrency import _post
from lienket.users.models import MinistryUnit, Role
from lienket.users.tests.factories import make_user

from .factories import advance, draft

pytestmark = [pytest.mark.django_db(transaction=True)]

ROUNDS = 5
WRITERS = 4


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"}


def _round(url: str, tokens: list[str], bodies: list[dict[str, Any]]) -> list[tuple[int, str]]:
    calls = [lambda t=t, b=b: _post(url, json.dumps(b).encode(), _headers(t)) for t, b in zip(tokens, bodies, strict=True)]
    results = together(calls)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def test_concurrent_assignments_one_wins_the_others_get_409(pw, live_server):
    coordinators = [pw.coordinator] + [make_user(f"coord{i}", Role.MINISTRY_COORDINATOR) for i in range(1, WRITERS)]
    tokens = [token_for(c) for c in coordinators]
    units = [MinistryUnit.objects.get_or_create(slug=f"don-vi-{i}", defaults={"name": f"Đơn vị {i}"})[0] for i in range(WRITERS)]
    for rnd in range(ROUNDS):
        p = advance(pw, draft(pw, title=f"Vòng {rnd}"), "received")
        audits = AuditEntry.objects.filter(action="proposal.assign").count()
        results = _round(f"{live_server.url}/api/v1/proposals/{p.pk}/assign", tokens,
                         [{"version": p.version, "lead_unit": u.slug, "deadline": "2026-06-01"} for u in units])
        statuses = sorted(s for s, _ in results)
        assert statuses == [200] + [409] * (WRITERS - 1), results
        winner = next(i for i, (s, _) in enumerate(results) if s == 200)
        p.refresh_from_db()
        assert p.lead_unit == units[winner]
        assert p.version == 4
        assert p.status == "assigned"
        assert AuditEntry.objects.filter(action="proposal.assign").count() == audits + 1
        for status, body in results:
            if status == 409:
                assert json.loads(body)["code"] == "proposal_version_conflict"


def test_concurrent_answer_and_decline_only_one_lands(pw, live_server):
    staff = [pw.market_staff] + [make_user(f"market{i}", Role.MINISTRY_UNIT, ministry_unit=pw.market) for i in range(1, WRITERS)]
    tokens = [token_for(s) for s in staff]
    for rnd in range(ROUNDS):
        p = advance(pw, draft(pw, title=f"Trả lời {rnd}"), "assigned")
        actions = ["answer", "decline"] * (WRITERS // 2)
        calls = []
        for token, action in zip(tokens, actions, strict=True):
            body = {"version": p.version, "answer": f"Trả lời của {token[:6]}", "reason": "Không thuộc thẩm quyền"}
            url = f"{live_server.url}/api/v1/proposals/{p.pk}/{action}"
            calls.append(lambda url=url, b=body, t=token: _post(url, json.dumps(b).encode(), _headers(t)))
        results = together(calls)
        assert sorted(s for s, _ in results) == [200] + [409] * (WRITERS - 1), results
        p = Proposal.objects.get(pk=p.pk)
        assert p.status in ("answered", "declined")
        assert p.version == 5
        assert (p.answer == "") == (p.status == "declined")
