"""manage.py create_token USERNAME [--name NAME] [--expires-days N] — prints the raw token once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lienket.core.errors import ApplicationError
from lienket.users.models import User
from lienket.users.services import token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it once (only its SHA-256 is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for (default: 'command line YYYY-MM-DD')")
        parser.add_argument("--expires-days", type=int, default=None, help="Days until it expires (default: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named “{options['username']}”.")
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        name = options["name"] or f"command line {timezone.localdate().isoformat()}"
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            token, raw = token_create(actor=None, user=user, name=name, expires_at=expires_at)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        expiry = f", expires {timezone.localtime(expires_at):%d/%m/%Y %H:%M}" if expires_at else ", no expiry"
        self.stderr.write(f"Token “{token.name}” for {user.username}{expiry}. Shown once — store it safely:")
        self.stdout.write(raw)
