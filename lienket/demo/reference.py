"""The whole sourced reference data set, loaded in dependency order by `manage.py load_reference`.

Each app loads its own part — regions (units, successions, statistics, groups), users (Ministry units, the organisations a
source names), conferences (the series and its editions), library (the legal and conference documents), proposals (those raised at
edition X) — and none of them knows the apps above it. This module sits above
all of them (lienket.demo may import every app; see docs/CONVENTIONS.md, "Dependencies") and runs them in one
transaction, so a failure leaves the database as it was. Idempotent: a second run reports everything unchanged.
"""

from __future__ import annotations

from django.db import transaction

from lienket.conferences.loader import load_conferences
from lienket.library.loader import load_documents
from lienket.proposals.loader import load_proposals
from lienket.regions.loader import load_regions
from lienket.users.loader import load_ministry_units, load_organisations


@transaction.atomic
def load_reference() -> dict[str, dict[str, int]]:
    """Load (or refresh) all reference data; returns {entity: {created, updated, unchanged}}."""
    counts = load_regions()
    counts.update(load_ministry_units())
    counts.update(load_organisations())
    counts.update(load_conferences())
    counts.update(load_documents())
    counts.update(load_proposals())
    return counts
