"""manage.py add_user USERNAME --role ROLE [--unit CODE [--date YYYY-MM-DD] | --ministry-unit SLUG |
--conference YEAR] [--password P] [--full-name ...] [--email ...]"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienket.core.errors import ApplicationError
from lienket.users.models import Role
from lienket.users.services import user_create


class Command(BaseCommand):
    help = (
        "Create an account with one role and its scope. Province roles need --unit (a GSO code such as 01, "
        "resolved on --date, default today); ministry_unit needs --ministry-unit; secretariat needs --conference. "
        "Without --password a password is generated and printed once. Roles: " + ", ".join(Role.values) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="One of: " + ", ".join(Role.values))
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--unit", metavar="CODE", help="GSO code of the province, e.g. 01 (province roles)")
        scope.add_argument("--ministry-unit", metavar="SLUG", help="Slug of the Ministry unit (ministry_unit role)")
        scope.add_argument("--conference", metavar="YEAR", help="Year of the conference (secretariat role)")
        parser.add_argument("--date", metavar="YYYY-MM-DD", help="Resolve --unit on this date (default: today)")
        parser.add_argument("--password", help="Initial password (validated); generated when omitted")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        unit_date = None
        if options["date"]:
            try:
                unit_date = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date: “{options['date']}” is not a date; use YYYY-MM-DD, e.g. 2025-07-01.") from None
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                password=options["password"],
                full_name=options["full_name"],
                email=options["email"],
                role=options["role"],
                unit_code=options["unit"],
                unit_date=unit_date,
                ministry_unit_slug=options["ministry_unit"],
                conference=options["conference"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        membership = user.memberships.select_related("unit", "ministry_unit", "conference").first()
        scope = ""
        if membership is not None:
            if membership.unit:
                scope = f" for {membership.unit}"
            elif membership.ministry_unit:
                scope = f" for {membership.ministry_unit} ({membership.ministry_unit.slug})"
            elif membership.conference:
                scope = f" for {membership.conference} ({membership.conference.year})"
        admin_note = " (staff + superuser)" if user.is_superuser else ""
        self.stdout.write(self.style.SUCCESS(f"Created user “{user.username}” with role {options['role']}{scope}{admin_note}."))
        if user.generated_password:
            self.stdout.write(f"Generated password (shown once, store it safely): {user.generated_password}")
