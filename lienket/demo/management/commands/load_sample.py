from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

SAMPLE_LABEL = "Dữ liệu mẫu / sample"


class Command(BaseCommand):
    help = (
        "Load the clearly labelled sample data (Dữ liệu mẫu / sample): the default indicator catalogue, demo "
        "accounts, sample reports for 2023–2026, sample products, proposals and cooperation programmes. Idempotent. "
        "Needs `load_reference` first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-reports", action="store_true", help="Only the catalogue and the demo accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        from lienket.demo.reference import load_reference
        from lienket.demo.sample import load_sample_products, load_sample_reporting
        from lienket.demo.sample_cooperation import load_sample_cooperation
        from lienket.demo.sample_proposals import load_sample_proposals
        from lienket.reporting.catalogue import load_catalogue
        from lienket.users.demo import create_demo_users

        start = time.monotonic()
        load_reference()
        catalogue = load_catalogue()
        self.stdout.write(f"Catalogue: {catalogue}")
        accounts = create_demo_users()
        self.stdout.write(f"Sample proposals ({SAMPLE_LABEL}): {load_sample_proposals()}")
        if not options["no_reports"]:
            summary = load_sample_reporting()
            self.stdout.write(f"Sample reports ({SAMPLE_LABEL}): {summary}")
        products = load_sample_products()
        self.stdout.write(f"Sample products ({SAMPLE_LABEL}): {products}")
        cooperation = load_sample_cooperation()
        self.stdout.write(f"Sample cooperation programmes ({SAMPLE_LABEL}): {cooperation}")
        self.stdout.write(self.style.SUCCESS(f"Sample data loaded in {time.monotonic() - start:.1f}s."))
        self.stdout.write("")
        self.stdout.write(f"Demo accounts ({SAMPLE_LABEL}) — for the demo only:")
        width = max(len(a[0]) for a in accounts) if accounts else 10
        for username, password, description in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {description}")
