"""Load the Ministry units (lienket/users/fixtures/ministry_units.csv), versioned reference data.

Idempotent like the rest of the reference data: upserted on (slug, valid_from) with the shared Upserter of
lienket.regions.loader. Called by lienket.demo.reference.load_reference() after the regions.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from lienket.regions.loader import Upserter, parse_date, read_csv

from .models import MinistryUnit, Organisation

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@transaction.atomic
def load_ministry_units() -> dict[str, dict[str, int]]:
    """Upsert the Ministry units; returns {"ministry_units": {created, updated, unchanged}}."""
    upsert = Upserter()
    for row in read_csv(FIXTURES / "ministry_units.csv"):
        upsert(
            "ministry_units",
            MinistryUnit,
            {"slug": row["slug"], "valid_from": parse_date(row["valid_from"])},
            {
                "name": row["name"],
                "name_en": row["name_en"],
                "is_coordinator": row["is_coordinator"].lower() == "true",
                "valid_to": parse_date(row["valid_to"]),
                "source": row["source"],
            },
        )
    return upsert.result()


@transaction.atomic
def load_organisations() -> dict[str, dict[str, int]]:
    """Upsert the businesses and associations named by a source (lienket/users/fixtures/organisations.csv), with
    only what the source says of them; returns {"organisations": {created, updated, unchanged}}."""
    upsert = Upserter()
    for row in read_csv(FIXTURES / "organisations.csv"):
        upsert(
            "organisations",
            Organisation,
            {"slug": row["slug"]},
            {"name": row["name"], "short_name": row["short_name"], "kind": row["kind"],
             "description": row["description"], "source": row["source"]},
        )
    return upsert.result()
