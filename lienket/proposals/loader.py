"""Load the proposals raised at edition X (Hà Nội, 17/5/2024) from fixtures/edition_x.csv (see SOURCES.md):
real records, status "received", dated 17/5/2024, linked to that edition. Called by
lienket.demo.reference.load_reference(); idempotent on the `ref` natural key. Like the other reference loaders it writes no audit entry (reference
data, not a user's action)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from lienket.conferences.models import Conference
from lienket.core.clock import VN
from lienket.core.text import fold, nfc
from lienket.regions.loader import ReferenceDataError, Upserter, read_csv
from lienket.regions.models import AdminUnit
from lienket.search.services import search_index_upsert
from lienket.users.models import Organisation

from .models import Field, Kind, Proposal, Status
from .selectors import search_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EDITION_X_DATE = dt.date(2024, 5, 17)
RECEIVED_AT = dt.datetime(2024, 5, 17, 17, 0, tzinfo=VN)  # the end of the conference day, Việt Nam time


@transaction.atomic
def load_proposals() -> dict[str, dict[str, int]]:
    conference = Conference.objects.filter(year=2024, date=EDITION_X_DATE).first()
    if conference is None:
        raise ReferenceDataError("load the conferences (edition X, 17/5/2024) before the proposals")
    upsert = Upserter()
    for row in read_csv(FIXTURES / "edition_x.csv"):
        unit = organisation = None
        if row["unit_code"]:
            units = list(AdminUnit.objects.provinces().valid_on(EDITION_X_DATE).filter(code=row["unit_code"]))
            if len(units) != 1:
                raise ReferenceDataError(f"proposal {row['ref']}: no single province {row['unit_code']} on {EDITION_X_DATE}")
            unit = units[0]
        else:
            organisation = Organisation.objects.filter(slug=row["organisation"]).first()
            if organisation is None:
                raise ReferenceDataError(f"proposal {row['ref']}: unknown organisation {row['organisation']!r}")
        if row["field"] not in Field.values or row["kind"] not in Kind.values:
            raise ReferenceDataError(f"proposal {row['ref']}: unknown field or type")
        title = nfc(row["title"])
        proposal = upsert("proposals", Proposal, {"ref": row["ref"]}, {
            "submitting_unit": unit, "submitting_organisation": organisation, "speaker": nfc(row["speaker"]),
            "speaker_role": nfc(row["speaker_role"]), "title": title, "title_folded": fold(title), "body": nfc(row["body"]),
            "field": row["field"], "kind": row["kind"], "legal_references": nfc(row["legal_references"]),
            "conference": conference, "raised_on": EDITION_X_DATE, "status": Status.RECEIVED, "received_at": RECEIVED_AT,
            "source": nfc(row["source"]),
        })
        search_index_upsert(document=search_document(proposal))
    return upsert.result()
