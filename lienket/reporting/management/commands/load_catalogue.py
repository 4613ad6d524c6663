"""`manage.py load_catalogue`: load or refresh the default indicator catalogue, data sets and rules; safe to
run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        width = max(len(label) for label in counts)
        for label, row in counts.items():
            self.stdout.write(
                f"{label:<{width}}  created {row['created']:>3}  updated {row['updated']:>3}  "
                f"unchanged {row['unchanged']:>3}  total {sum(row.values()):>3}"
            )
        changed = sum(row["created"] + row["updated"] for row in counts.values())
        self.stdout.write(self.style.SUCCESS(f"Catalogue loaded ({changed} rows created or updated)."))
