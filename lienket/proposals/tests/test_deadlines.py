"""Deadlines are dates in Việt Nam: overdue starts at 00:00 in Hà Nội, not at midnight UTC; reminders go to the
lead unit once per (proposal, deadline, kind)."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.management import call_command

from lienket.core.clock import VN
from lienket.proposals import selectors, services
from lienket.proposals.models import ReminderLog
from lienket.proposals.reminders import reminders_send

from .factories import advance, draft


def test_overdue_is_computed_in_vietnamese_time_around_midnight(pw, clock):
    p = advance(pw, draft(pw), "assigned", deadline=dt.date(2026, 4, 10))
    clock.set(dt.datetime(2026, 4, 10, 23, 59, 59, tzinfo=VN))  # 16:59:59 UTC — still the deadline day in Hà Nội
    assert not p.is_overdue(clock.today())
    assert selectors.deadlines(user=pw.market_staff)["overdue"] == []
    assert [x.pk for x in selectors.deadlines(user=pw.market_staff)["due_soon"]] == [p.pk]
    clock.set(dt.datetime(2026, 4, 10, 17, 0, 1, tzinfo=dt.UTC))  # 00:00:01 on 11/4 in Hà Nội, still 10/4 in UTC
    assert p.is_overdue(clock.today())
    assert [x.pk for x in selectors.deadlines(user=pw.market_staff)["overdue"]] == [p.pk]
    assert [x.pk for x in selectors.deadlines(user=pw.coordinator)["overdue"]] == [p.pk]
    assert selectors.deadlines(user=pw.local_staff)["overdue"] == []  # another unit's list
    assert selectors.deadlines(user=pw.director) == {"overdue": [], "due_soon": []}
    row = selectors.escalation()[0]
    assert row["unit"] == pw.market
    assert row["overdue"][0]["days"] == 1


def test_answered_on_time_uses_the_vietnamese_date(pw, clock):
    p = advance(pw, draft(pw), "assigned", deadline=dt.date(2026, 4, 10))
    clock.set(dt.datetime(2026, 4, 10, 16, 30, tzinfo=dt.UTC))  # 23:30 in Hà Nội on the deadline day
    p = services.proposal_transition(proposal=p, actor=pw.market_staff, action="answer", answer="Trả lời",
                                     expected_version=p.version)
    assert p.answered_on() == dt.date(2026, 4, 10)
    assert p.answered_on_time() is True
    q = advance(pw, draft(pw, title="Khác"), "assigned", deadline=dt.date(2026, 4, 10))
    clock.set(dt.datetime(2026, 4, 10, 17, 30, tzinfo=dt.UTC))  # 00:30 on 11/4 in Hà Nội
    q = services.proposal_transition(proposal=q, actor=pw.market_staff, action="answer", answer="Trả lời",
                                     expected_version=q.version)
    assert q.answered_on_time() is False
    rows = {r.label: r for r in selectors.statistics_by(user=pw.coordinator, by="ministry_unit")}
    assert rows["Vụ Thị trường trong nước"].answered == 2
    assert rows["Vụ Thị trường trong nước"].on_time == 1


def test_reminders_go_to_the_lead_unit_once(pw, clock):
    advance(pw, draft(pw), "assigned", deadline=dt.date(2026, 4, 13))
    assert reminders_send(on=dt.date(2026, 4, 10)) == 1
    assert reminders_send(on=dt.date(2026, 4, 10)) == 0  # a second run the same day sends nothing
    assert mail.outbox[0].to == ["market_staff@example.vn".replace("market_staff", "ministry_unit")]
    assert "13/04/2026" in mail.outbox[0].subject
    assert "/kien-nghi/" in mail.outbox[0].body
    assert reminders_send(on=dt.date(2026, 4, 14)) == 1  # overdue the day after
    assert "Quá hạn" in mail.outbox[-1].subject
    assert set(ReminderLog.objects.values_list("kind", flat=True)) == {"due_3", "overdue"}


def test_the_send_reminders_command_runs_the_proposal_reminders_too(pw, clock, capsys):
    advance(pw, draft(pw), "assigned", deadline=dt.date(2026, 4, 11))
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", "--date", "2026-04-10", stdout=out)
    assert "proposals: 1" in out.getvalue()
