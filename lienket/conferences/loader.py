"""Load the conference series of the northern region and its editions (lienket/conferences/fixtures/editions.csv).

Called by lienket.demo.reference.load_reference(). Only editions with a year are loaded; edition VII is known only
from the numbering and is stored with confidence "inferred" and no date or host. The host is the administrative
unit valid on the conference date (Tuyên Quang in 2025 is the merged unit 08 of 1/7/2025).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from lienket.regions.loader import ReferenceDataError, Upserter, parse_date, read_csv
from lienket.regions.models import AdminUnit, UnitGroup

from .models import Conference, ConferenceSeries

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SERIES_KEY = "north"
SERIES_NAME = "Hội nghị ngành Công Thương các tỉnh, thành phố khu vực phía Bắc"
SERIES_GROUP = "north"


@transaction.atomic
def load_conferences() -> dict[str, dict[str, int]]:
    """Upsert the series and its editions on their natural keys; returns {entity: {created, updated, unchanged}}."""
    upsert = Upserter()
    group = UnitGroup.objects.filter(key=SERIES_GROUP).first()
    if group is None:
        raise ReferenceDataError(f"load the region group {SERIES_GROUP!r} before the conferences")
    series = upsert(
        "conference_series", ConferenceSeries, {"key": SERIES_KEY}, {"name": SERIES_NAME, "region_group": group}
    )
    for row in read_csv(FIXTURES / "editions.csv"):
        if not row["year"]:
            continue  # editions without a year are not loaded
        date = parse_date(row["date"])
        host = None
        if row["host_code"]:
            if date is None:
                raise ReferenceDataError(f"edition {row['year']}: a host needs a date to pick the unit valid then")
            hosts = list(AdminUnit.objects.valid_on(date).filter(code=row["host_code"]))
            if len(hosts) != 1:
                raise ReferenceDataError(f"edition {row['year']}: no single unit {row['host_code']} on {date}")
            host = hosts[0]
        confidence = row["confidence"]
        if confidence not in Conference.Confidence.values:
            raise ReferenceDataError(f"edition {row['year']}: unknown confidence {confidence!r}")
        upsert(
            "conferences",
            Conference,
            {"series": series, "year": int(row["year"])},
            {
                "ordinal": int(row["ordinal"]) if row["ordinal"] else None,
                "date": date,
                "host": host,
                "title": row["title"],
                "led_by": row["led_by"],
                "reviewed_period": row["reviewed_period"],
                "confidence": confidence,
                "source": row["source"],
            },
        )
    from lienket.search.services import search_index_upsert

    from .selectors import search_documents

    for document in search_documents():
        search_index_upsert(document=document)
    return upsert.result()
