"""E-mail reminders before a report is due, and an overdue notice the day after, to the officers and the
director of every reporting unit that has not submitted yet.

Run once a day (cron: ``manage.py send_reminders``, or the ``reminders_send_task`` background task). A
``ReminderLog`` row per (submission, kind) makes a second run on the same day — or a re-run after a crash —
send nothing twice. A unit that has not opened its report yet gets a draft submission created for it (by the
system, audited), because the log hangs on a submission.

Mails are written in Vietnamese (the recipients are the provincial Departments of Industry and Trade; an
official reminder is not localised per reader), with dates as dd/mm/yyyy and a link to the form.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django_tasks import task

from lienket.core import clock
from lienket.core.formats import format_date
from lienket.core.reminders import send_once, site_url
from lienket.regions.models import AdminUnit
from lienket.users.models import Membership, Role

from .models import DataSet, Period, ReminderLog, Submission, SubmissionStatus
from .periods import PeriodSpec, periods_of_type
from .selectors import reporting_units

logger = logging.getLogger(__name__)

DAYS_BEFORE = (3, 1)
OVERDUE = "overdue"
NOT_SUBMITTED = {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}
STATUS_TEXT: dict[str | None, str] = {
    None: "chưa được lập",
    SubmissionStatus.DRAFT: "đang ở trạng thái bản nháp, chưa gửi",
    SubmissionStatus.RETURNED: "đã bị trả lại và chưa gửi lại",
}


@dataclass(frozen=True)
class Due:
    dataset: DataSet
    period: PeriodSpec
    due: dt.date
    kind: str  # "due_3", "due_1", "overdue"
    days_left: int


def form_url(*, dataset: DataSet, unit: AdminUnit, period: PeriodSpec) -> str:
    path = reverse("reporting:entry_open", kwargs={"dataset_code": dataset.code, "unit_key": unit.key, "period": period.code})
    return site_url() + path


def reminders_due(*, on: dt.date, days_before: Iterable[int] = DAYS_BEFORE) -> list[Due]:
    """The (data set, period) pairs that call for a reminder on `on`: due in N days, or due yesterday."""
    wanted = {on + dt.timedelta(days=n): (f"due_{n}", n) for n in days_before if n > 0}
    wanted[on - dt.timedelta(days=1)] = (OVERDUE, -1)
    found: list[Due] = []
    for dataset in DataSet.objects.filter(is_active=True).select_related("reporting_group").order_by("code"):
        for year in (on.year - 1, on.year, on.year + 1):
            for spec in periods_of_type(dataset.period_type, year):
                due = dataset.due_date(spec)
                if due in wanted:
                    kind, days = wanted[due]
                    found.append(Due(dataset, spec, due, kind, days))
    return found


def _recipients(unit: AdminUnit) -> list[str]:
    emails = (
        Membership.objects.filter(unit=unit, role__in=[Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR], user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return list(dict.fromkeys(emails))


def _message(item: Due, unit: AdminUnit, status: str | None, link: str, to: list[str]) -> EmailMessage:
    ds, period = item.dataset, item.period
    report = f"{ds.name} ({ds.form_number})" if ds.form_number else ds.name
    label = period.label("vi")
    due = format_date(item.due)
    deadline = format_date(ds.edit_deadline(period))
    if item.kind == OVERDUE:
        subject = f"[LienKet] Quá hạn nộp báo cáo: {ds.name} — {label} (hạn {due})"
        lines = [
            f"Kính gửi Sở Công Thương {unit.name},",
            "",
            (f"Báo cáo {report} kỳ {label} của đơn vị {STATUS_TEXT.get(status, STATUS_TEXT[None])}, "
             f"đã quá hạn nộp ngày {due}."),
            (f"Đề nghị đơn vị hoàn thành và gửi báo cáo sớm nhất. Số liệu còn được nhập, sửa đến ngày {deadline}; "
             "sau đó cần đề nghị Bộ Công Thương mở lại."),
        ]
    else:
        subject = f"[LienKet] Nhắc hạn nộp báo cáo: {ds.name} — {label} (hạn {due})"
        lines = [
            f"Kính gửi Sở Công Thương {unit.name},",
            "",
            f"Báo cáo {report} kỳ {label} của đơn vị {STATUS_TEXT.get(status, STATUS_TEXT[None])}.",
            f"Hạn nộp: {due} (còn {item.days_left} ngày).",
            "Đề nghị cán bộ nhập số liệu và lãnh đạo Sở duyệt, gửi báo cáo trước hạn.",
        ]
    lines += [
        "",
        f"Nhập số liệu và gửi báo cáo tại: {link}",
        "",
        "Thư này do hệ thống LienKet gửi tự động, vui lòng không trả lời.",
    ]
    return EmailMessage(subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL, to=to)


def reminders_send(*, on: dt.date | None = None, days_before: Iterable[int] = DAYS_BEFORE) -> int:
    """Send the reminders due on `on` (default: today in Asia/Ho_Chi_Minh); returns the number of e-mails sent.

    Each (data set, unit, period, kind) is mailed at most once: the ReminderLog row is written in the same transaction as
    the sending, so a failed send leaves no log and the next run retries it."""
    day = on or clock.today()
    sent = 0
    unreachable: set[str] = set()
    for item in reminders_due(on=day, days_before=days_before):
        units = list(reporting_units(dataset=item.dataset, period=item.period))
        subs = {
            s.unit_id: s
            for s in Submission.objects.filter(dataset=item.dataset, period__code=item.period.code, unit__in=units)
        }
        for unit in units:
            existing = subs.get(unit.pk)
            status = existing.status if existing else None
            if status is not None and status not in NOT_SUBMITTED:
                continue  # submitted, approved or accepted: nothing to remind
            to = _recipients(unit)
            if not to:
                unreachable.add(unit.key)
                continue
            period_obj = Period.for_code(item.period.code)
            key = {"dataset": item.dataset, "unit": unit, "period": period_obj, "kind": item.kind}
            link = form_url(dataset=item.dataset, unit=unit, period=item.period)
            if not send_once(log=ReminderLog, key=key, recipients=to, message=_message(item, unit, status, link, to),
                             what=f"{item.kind} for {item.dataset.code} {item.period.code} to {unit.key}"):
                continue
            sent += 1
    if unreachable:
        logger.warning("reminders on %s: no officer or director with an e-mail address for %s unit(s): %s",
                       day.isoformat(), len(unreachable), ", ".join(sorted(unreachable)))
    return sent


@task()
def reminders_send_task(on: str | None = None) -> int:
    """Background-task wrapper (django-tasks): `reminders_send_task.enqueue()` or with an ISO date."""
    return reminders_send(on=dt.date.fromisoformat(on) if on else None)
