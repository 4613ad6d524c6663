"""`manage.py load_reference`: load or refresh the sourced reference data; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lienket.demo.reference import load_reference


class Command(BaseCommand):
    help = "Load the reference data (units, successions, statistics, groups, Ministry units, conferences). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference()
        width = max(len(label) for label in counts)
        for label, row in counts.items():
            self.stdout.write(
                f"{label:<{width}}  created {row['created']:>3}  updated {row['updated']:>3}  "
                f"unchanged {row['unchanged']:>3}  total {sum(row.values()):>3}"
            )
        changed = sum(row["created"] + row["updated"] for row in counts.values())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({changed} rows created or updated)."))
