"""`manage.py load_reference`: load or refresh the sourced reference data; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lienket.core.management.loading import write_load_counts
from lienket.demo.reference import load_reference


class Command(BaseCommand):
    help = "Load the reference data (units, successions, statistics, groups, Ministry units, conferences). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference()
        write_load_counts(self, counts, what="Reference data")
