"""Reminders before the due date and overdue notices, once each, to the right people."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from lienket.reporting.models import ReminderLog, Submission
from lienket.reporting.reminders import reminders_due, reminders_send, reminders_send_task
from lienket.reporting.services import datavalues_apply, submission_transition
from lienket.reporting.values import ValueItem

# BC-THANG of the test world: cut-off on the 14th + 6 days → March 2026 is due on 20/03/2026.
THREE_DAYS_BEFORE = dt.date(2026, 3, 17)
ONE_DAY_BEFORE = dt.date(2026, 3, 19)
DAY_AFTER = dt.date(2026, 3, 21)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("mail server down")


def _by_unit():
    return {m.subject.split("—")[0].strip(): m for m in mail.outbox}


def test_reminder_goes_once_to_the_officers_and_the_director(w):
    sent = reminders_send(on=THREE_DAYS_BEFORE)
    again = reminders_send(on=THREE_DAYS_BEFORE)

    assert (sent, again) == (2, 0)
    recipients = sorted(tuple(sorted(m.to)) for m in mail.outbox)
    assert recipients == [
        ("hanoi_director@example.vn", "hanoi_officer@example.vn"),
        ("phutho_director@example.vn", "phutho_officer@example.vn"),
    ]
    hanoi = next(m for m in mail.outbox if "hanoi_officer@example.vn" in m.to)
    assert hanoi.subject.startswith("[LienKet] Nhắc hạn nộp báo cáo")
    assert "20/03/2026" in hanoi.subject
    assert "Tháng 03/2026" in hanoi.subject
    assert "Kính gửi Sở Công Thương Hà Nội" in hanoi.body
    assert "còn 3 ngày" in hanoi.body
    assert "/reporting/form/BC-THANG/01/202603/" in hanoi.body
    phutho = next(m for m in mail.outbox if "phutho_officer@example.vn" in m.to)
    assert "/reporting/form/BC-THANG/25@2025-07-01/202603/" in phutho.body
    assert ReminderLog.objects.filter(kind="due_3").count() == 2


def test_a_unit_that_never_opened_its_report_is_reminded_and_stays_missing_in_completeness(w):
    from lienket.reporting.selectors import completeness

    reminders_send(on=THREE_DAYS_BEFORE)

    assert len(mail.outbox) == 2
    assert not Submission.objects.filter(period__code="202603").exists()
    report = completeness(dataset=w.monthly, period_code="202603", on=THREE_DAYS_BEFORE)
    assert report.summary["missing"] == 2


def test_each_reminder_day_sends_its_own_reminder(w):
    reminders_send(on=THREE_DAYS_BEFORE)
    reminders_send(on=ONE_DAY_BEFORE)

    assert len(mail.outbox) == 4
    assert sorted(ReminderLog.objects.values_list("kind", flat=True)) == ["due_1", "due_1", "due_3", "due_3"]
    assert "còn 1 ngày" in mail.outbox[-1].body


def test_no_reminder_on_other_days(w):
    assert reminders_send(on=dt.date(2026, 3, 18)) == 0
    assert reminders_send(on=dt.date(2026, 3, 20)) == 0  # the due date itself
    assert mail.outbox == []


def test_unit_that_submitted_is_not_reminded(w):
    officer = w.users["hanoi_officer"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=10)], source="form")
    submission_transition(submission=Submission.objects.get(), actor=officer, action="submit")

    sent = reminders_send(on=THREE_DAYS_BEFORE)

    assert sent == 1
    assert mail.outbox[0].to == ["phutho_director@example.vn", "phutho_officer@example.vn"]


def test_returned_report_is_reminded_again(w):
    officer, director = w.users["hanoi_officer"], w.users["hanoi_director"]
    datavalues_apply(actor=officer, items=[ValueItem(unit="01", period="202603", indicator="RETAIL", value=10)], source="form")
    sub = submission_transition(submission=Submission.objects.get(), actor=officer, action="submit")
    submission_transition(submission=sub, actor=director, action="return", reason="Thiếu số xuất khẩu")

    reminders_send(on=THREE_DAYS_BEFORE)

    hanoi = next(m for m in mail.outbox if "hanoi_officer@example.vn" in m.to)
    assert "đã bị trả lại" in hanoi.body


def test_overdue_notice_the_day_after_the_due_date(w):
    sent = reminders_send(on=DAY_AFTER)
    again = reminders_send(on=DAY_AFTER)

    assert (sent, again) == (2, 0)
    message = mail.outbox[0]
    assert message.subject.startswith("[LienKet] Quá hạn nộp báo cáo")
    assert "đã quá hạn nộp ngày 20/03/2026" in message.body
    assert set(ReminderLog.objects.values_list("kind", flat=True)) == {"overdue"}


def test_periods_before_the_merger_remind_the_units_of_that_time(w):
    # March 2025 was reported by the 28 pre-merger units: the new Phú Thọ's people get nothing for it; the old
    # Phú Thọ and Vĩnh Phúc have no account with an e-mail address in this world, so only Hà Nội is mailed.
    sent = reminders_send(on=dt.date(2025, 3, 17))

    assert sent == 1
    assert mail.outbox[0].to == ["hanoi_director@example.vn", "hanoi_officer@example.vn"]
    assert not ReminderLog.objects.filter(unit=w.phutho).exists()


def test_inactive_users_and_missing_addresses_are_skipped(w, caplog):
    w.users["hanoi_officer"].is_active = False
    w.users["hanoi_officer"].save()
    w.users["phutho_officer"].email = ""
    w.users["phutho_officer"].save()
    w.users["phutho_director"].email = ""
    w.users["phutho_director"].save()

    sent = reminders_send(on=THREE_DAYS_BEFORE)

    assert sent == 1
    assert mail.outbox[0].to == ["hanoi_director@example.vn"]
    assert ReminderLog.objects.count() == 1
    assert "for 1 unit(s): 25@2025-07-01" in caplog.text  # one summary line per run, not one per unit


def test_half_year_and_month_due_the_same_day_are_both_reminded(w):
    sent = reminders_send(on=dt.date(2026, 6, 17))

    assert sent == 4
    assert sorted({m.subject.split(":")[1].split("—")[0].strip() for m in mail.outbox}) == ["Báo cáo BC-6THANG", "Báo cáo BC-THANG"]


def test_failed_sending_leaves_no_log_so_the_next_run_retries(w, settings):
    settings.EMAIL_BACKEND = "lienket.reporting.tests.test_reminders.FailingBackend"
    assert reminders_send(on=THREE_DAYS_BEFORE) == 0
    assert ReminderLog.objects.count() == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_send(on=THREE_DAYS_BEFORE) == 2


def test_reminders_due_lists_the_periods(w):
    due = reminders_due(on=THREE_DAYS_BEFORE)

    assert [(d.dataset.code, d.period.code, d.kind, d.due) for d in due] == [
        ("BC-THANG", "202603", "due_3", dt.date(2026, 3, 20)),
    ]


def test_send_reminders_command(w):
    out = StringIO()

    call_command("send_reminders", "--date", "2026-03-17", stdout=out)
    call_command("send_reminders", "--date", "2026-03-19", "--days-before", "2", stdout=out)

    assert "2 reminder e-mail(s) sent (17/03/2026)." in out.getvalue()
    assert "0 reminder e-mail(s) sent (19/03/2026)." in out.getvalue()
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("args", [["--date", "17/13/2026"], ["--date", "tomorrow"], ["--days-before", "three"]])
def test_send_reminders_command_refuses_bad_input(w, args):
    with pytest.raises(CommandError):
        call_command("send_reminders", *args, stdout=StringIO())
    assert mail.outbox == []


def test_background_task_sends_the_reminders(w):
    result = reminders_send_task.enqueue("2026-03-17")

    assert result.return_value == 2
    assert len(mail.outbox) == 2
