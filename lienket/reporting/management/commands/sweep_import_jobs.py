from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Mark Excel import jobs left running by a task worker that stopped as failed (nothing was written)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--minutes", type=int, default=60, help="Jobs running longer than this are stuck (default 60).")

    def handle(self, *args: Any, **options: Any) -> None:
        from lienket.reporting.excel.imports import import_jobs_sweep

        count = import_jobs_sweep(older_than=dt.timedelta(minutes=max(options["minutes"], 1)))
        self.stdout.write(f"{count} interrupted import job(s) marked as failed.")
