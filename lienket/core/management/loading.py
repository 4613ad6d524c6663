"""What the idempotent loaders (`load_reference`, `load_catalogue`) print: one line per kind of row with how many
were created, updated and left unchanged, then a summary."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.management.base import BaseCommand


def write_load_counts(command: BaseCommand, counts: Mapping[str, Mapping[str, int]], *, what: str) -> None:
    width = max(len(label) for label in counts)
    for label, row in counts.items():
        command.stdout.write(
            f"{label:<{width}}  created {row['created']:>3}  updated {row['updated']:>3}  "
            f"unchanged {row['unchanged']:>3}  total {sum(row.values()):>3}"
        )
    changed = sum(row["created"] + row["updated"] for row in counts.values())
    command.stdout.write(command.style.SUCCESS(f"{what} loaded ({changed} rows created or updated)."))
