"""`manage.py send_reminders [--date YYYY-MM-DD] [--days-before 3,1]`: every registered reminder sender
(lienket.core.reminders) — reporting: the units that have not submitted a report due in N days, and an overdue
notice the day after the due date; proposals: the lead Ministry unit of a proposal whose answer is due in N days or
was due yesterday. Run it daily (cron); running it again
the same day sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienket.core.errors import ValidationFailed
from lienket.core.formats import format_date, parse_iso_date
from lienket.core.reminders import reminders_send_all
from lienket.reporting.reminders import DAYS_BEFORE


class Command(BaseCommand):
    help = "Send due-date reminders and overdue notices (reports not yet submitted, proposals not yet answered). Idempotent per day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD); default: today (Asia/Ho_Chi_Minh).")
        parser.add_argument(
            "--days-before", default=",".join(str(d) for d in DAYS_BEFORE),
            help="Days before the due date to remind, comma-separated (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = parse_iso_date(options["date"], field="--date")
            except ValidationFailed as exc:
                raise CommandError(exc.message) from exc
        try:
            days = tuple(int(part) for part in str(options["days_before"]).split(",") if part.strip())
        except ValueError as exc:
            raise CommandError("--days-before takes whole numbers separated by commas, e.g. 3,1") from exc
        counts = reminders_send_all(on=on, days_before=days)
        when = format_date(on) if on else "today"
        detail = ", ".join(f"{name}: {n}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} reminder e-mail(s) sent ({when}). {detail}"))
