from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Refill the published-figures tables from every accepted submission — AcceptedValue one indicator per "
            "transaction, then the groups' sums (AcceptedTotal) one period per transaction — after data was written "
            "around the workflow (bulk loaders, bench/national.py).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--indicator", action="append", default=[], help="Only this indicator code (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        from lienket.reporting.aggregates import rollup_rebuild
        from lienket.reporting.models import Indicator

        ids = None
        if options["indicator"]:
            ids = list(Indicator.objects.filter(code__in=options["indicator"]).values_list("pk", flat=True))
        started = time.perf_counter()
        rows = rollup_rebuild(indicator_ids=ids)
        self.stdout.write(f"{rows} accepted value(s) in the published-figures tables, groups' sums recomputed "
                          f"({time.perf_counter() - started:.1f} s).")
