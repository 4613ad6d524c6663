"""E-mail reminders to the lead Ministry unit before a proposal's answer is due (3 and 1 days before) and an
overdue notice the day after, through the shared mechanism of lienket.core.reminders (send once, log row and
mail in one transaction). Registered in apps.py, run by `manage.py send_reminders` with the reporting reminders.
Mails are in Vietnamese, dates dd/mm/yyyy, computed in Asia/Ho_Chi_Minh (lienket.core.clock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from lienket.core import clock
from lienket.core.formats import format_date
from lienket.core.reminders import send_once, site_url
from lienket.users.models import Membership, Role

from .models import Proposal, ReminderLog, Status

DAYS_BEFORE = (3, 1)
OVERDUE = "overdue"


def _recipients(proposal: Proposal) -> list[str]:
    emails = (Membership.objects.filter(role=Role.MINISTRY_UNIT, ministry_unit_id=proposal.lead_unit_id, user__is_active=True)
              .exclude(user__email="").order_by("user__email").values_list("user__email", flat=True).distinct())
    return list(dict.fromkeys(emails))


def _message(proposal: Proposal, kind: str, days: int, to: list[str]) -> EmailMessage:
    link = site_url() + reverse("proposals:detail", kwargs={"pk": proposal.pk})
    due = format_date(proposal.deadline)
    if kind == OVERDUE:
        subject = f"[LienKet] Quá hạn trả lời kiến nghị: {proposal.title[:80]} (hạn {due})"
        first = f"Kiến nghị của {proposal.submitter_name} đã quá hạn trả lời ngày {due}."
    else:
        subject = f"[LienKet] Nhắc hạn trả lời kiến nghị: {proposal.title[:80]} (hạn {due})"
        first = f"Kiến nghị của {proposal.submitter_name} cần được trả lời trước ngày {due} (còn {days} ngày)."
    body = "\n".join([
        f"Kính gửi {proposal.lead_unit.name if proposal.lead_unit else 'đơn vị chủ trì'},", "", first,
        f"Nội dung: {proposal.title}", "", f"Xem và trả lời tại: {link}", "",
        "Thư này do hệ thống LienKet gửi tự động, vui lòng không trả lời.",
    ])
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)


def reminders_send(*, on: dt.date | None = None, days_before: Iterable[int] = DAYS_BEFORE) -> int:
    """Send the proposal reminders due on `on` (default: today in Việt Nam); returns the number of e-mails sent."""
    day = on or clock.today()
    wanted = {day + dt.timedelta(days=n): (f"due_{n}", n) for n in days_before if n > 0}
    wanted[day - dt.timedelta(days=1)] = (OVERDUE, -1)
    sent = 0
    for proposal in Proposal.objects.filter(status=Status.ASSIGNED, deadline__in=list(wanted)).select_related(
            "lead_unit", "submitting_unit", "submitting_ministry_unit", "submitting_organisation").order_by("pk"):
        kind, days = wanted[proposal.deadline]  # type: ignore[index]
        to = _recipients(proposal)
        if not to:
            continue
        key = {"proposal": proposal, "deadline": proposal.deadline, "kind": kind}
        if send_once(log=ReminderLog, key=key, recipients=to, message=_message(proposal, kind, days, to),
                     what=f"{kind} for proposal {proposal.pk}"):
            sent += 1
    return sent
