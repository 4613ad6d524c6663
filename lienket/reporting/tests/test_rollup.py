"""The published-figures table (AcceptedValue) equals the raw computation over accepted values after accept,
reopen and re-accept — kept inside the workflow's transaction — and a province's own unaccepted values still come
from the value table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from lienket.reporting.aggregates import published_values, stored_values
from lienket.reporting.models import AcceptedValue, DataValue, Submission, SubmissionStatus
from lienket.reporting.permissions import figures_visible_submissions
from lienket.reporting.services import datavalues_apply, submission_transition
from lienket.reporting.values import ValueItem

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def _write(actor, unit, **values):
    items = [ValueItem(unit=unit, period="202603", indicator=code, value=v) for code, v in values.items()]
    datavalues_apply(actor=actor, items=items, source="form")
    return Submission.objects.get(unit__code=unit, period__code="202603")


def _raw() -> set[tuple[int, int, str, int, Decimal]]:
    """The raw computation: every value of an accepted submission."""
    rows = DataValue.objects.filter(submission__status=SubmissionStatus.ACCEPTED).values_list(
        "unit_id", "indicator_id", "period__code", "option_id", "value")
    return {(u, i, p, o or 0, v) for u, i, p, o, v in rows}


def _table() -> set[tuple[int, int, str, int, Decimal]]:
    return set(AcceptedValue.objects.values_list("unit_id", "indicator_id", "period_code", "option_key", "value"))


def _accept(w, sub):
    sub = submission_transition(submission=sub, actor=w.users["hanoi_officer"], action="submit")
    sub = submission_transition(submission=sub, actor=w.users["hanoi_director"], action="approve")
    return submission_transition(submission=sub, actor=w.users["coordinator"], action="accept")


def _views(w, user):
    units = [w.hanoi.pk, w.phutho.pk]
    inds = [w.indicators[c].pk for c in ("RETAIL", "EXPORT")]
    raw = stored_values(submissions=figures_visible_submissions(user), unit_ids=units, indicator_ids=inds, period_codes=["202603"])
    table = published_values(user=user, unit_ids=units, indicator_ids=inds, period_codes=["202603"])
    return raw, table


def test_accept_reopen_reaccept_keep_the_table_equal_to_the_raw_values(w):
    # given: Hà Nội's report with two values, submitted and approved
    sub = _write(w.users["hanoi_officer"], "01", RETAIL="120.5", EXPORT=7)
    assert _table() == set()
    # when: accepted
    sub = _accept(w, sub)
    # then: the table holds exactly the accepted values
    assert _table() == _raw()
    assert len(_raw()) == 2
    # when: reopened (returned to the province)
    sub = submission_transition(submission=sub, actor=w.users["coordinator"], action="reopen", reason="Kiểm tra lại")
    # then: no longer published
    assert _table() == _raw() == set()
    # when: corrected and accepted again
    _write(w.users["hanoi_officer"], "01", RETAIL="130")
    _accept(w, Submission.objects.get(pk=sub.pk))
    # then: the new figure, once
    assert _table() == _raw()
    assert sorted(v for *_k, v in _table()) == [Decimal("7"), Decimal("130")]


def test_published_values_answer_as_the_visibility_rule_for_everybody(w):
    # given: Hà Nội accepted, Phú Thọ's report still a draft
    _accept(w, _write(w.users["hanoi_officer"], "01", RETAIL=10, EXPORT=2))
    _write(w.users["phutho_officer"], w.phutho.code, RETAIL=5)
    for name in ("coordinator", "ministry_unit", "hanoi_officer", "phutho_officer", "phutho_director"):
        # when
        raw, table = _views(w, w.users[name])
        # then: the same keys, values and accepted flags as the raw rule
        assert table == raw, name
    _raw_view, own = _views(w, w.users["phutho_officer"])
    assert any(not s.accepted for s in own.values())  # the province's own draft, marked unaccepted


def test_rebuild_command_refills_the_table_from_accepted_submissions(w):
    # given: accepted values, and a table emptied (as after a bulk load around the workflow)
    _accept(w, _write(w.users["hanoi_officer"], "01", RETAIL=10, EXPORT=2))
    AcceptedValue.objects.all().delete()
    # when
    call_command("rollup_rebuild", verbosity=0)
    # then
    assert _table() == _raw()
    assert len(_table()) == 2
