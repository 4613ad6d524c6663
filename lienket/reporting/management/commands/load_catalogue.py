"""`manage.py load_catalogue`: load or refresh the default indicator catalogue, data sets and rules; safe to
run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienket.core.management.loading import write_load_counts
from lienket.reporting.catalogue import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Load the default indicator catalogue, data sets and validation rules (after load_reference). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-update", action="store_true",
            help="Only create what is missing; leave existing rows (e.g. edited in the admin) unchanged.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = load_catalogue(update=not options["no_update"])
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        write_load_counts(self, counts, what="Catalogue")
