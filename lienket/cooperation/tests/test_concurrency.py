"""Concurrent edits of one programme (real threads, real transactions; run it on PostgreSQL too): every round,
four editors send the version they all read; exactly one wins, the others get a Conflict and change nothing."""

from __future__ import annotations

import pytest

from lienket.core.errors import Conflict
from lienket.core.models import AuditEntry
from lienket.core.tests.concurrency import together

from .. import services
from ..models import Programme
from .factories import coop_world, programme

pytestmark = [pytest.mark.django_db(transaction=True)]
ROUNDS = 5
WRITERS = 4




def test_concurrent_edits_one_wins_the_others_get_409(reference_data, clock):
    cw = coop_world()
    p = programme(cw.users["hanoi"], parties=[("unit:01", "lead")])
    editors = [cw.users["hanoi"], cw.users["coordinator"]] * (WRITERS // 2)
    for _round in range(ROUNDS):
        version = Programme.objects.get(pk=p.pk).version
        calls = [
            (lambda who=who, i=i, version=version: services.programme_update(
                actor=who, programme_id=p.pk, version=version, title=f"Bản {version}-{i}"))
            for i, who in enumerate(editors)
        ]
        results = together(calls)
        winners = [r for r in results if isinstance(r, Programme)]
        conflicts = [r for r in results if isinstance(r, Conflict)]
        assert len(winners) == 1, results
        assert len(conflicts) == WRITERS - 1, results
        stored = Programme.objects.get(pk=p.pk)
        assert stored.version == version + 1
        assert stored.title == winners[0].title
    assert AuditEntry.objects.filter(action="programme.update", object_id=str(p.pk)).count() == ROUNDS
