"""Load the library's reference documents (fixtures/documents.json): the legal texts and conference documents
that the seed article and shared/reference name, each with its source. Called by
lienket.demo.reference.load_reference(); idempotent (a second run reports everything unchanged). Only facts with a
source are set: an unknown date stays empty and an unknown status is "not recorded".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from lienket.conferences.models import Conference
from lienket.search.services import search_index_upsert

from .models import Document, DocumentRelation
from .selectors import search_document
from .values import number_check_type, number_parse

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "documents.json"


class LibraryDataError(Exception):
    pass


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _count(counts: dict[str, dict[str, int]], entity: str, outcome: str) -> None:
    counts.setdefault(entity, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1


@transaction.atomic
def load_documents(path: Path = FIXTURE) -> dict[str, dict[str, int]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    counts: dict[str, dict[str, int]] = {}
    by_number: dict[str, Document] = {}
    for row in data["documents"]:
        fields: dict[str, Any] = {
            "doc_type": row["doc_type"], "title": row["title"], "issuer": row.get("issuer", ""),
            "issue_date": _date(row.get("issue_date")), "effective_date": _date(row.get("effective_date")),
            "status": row.get("status", "unknown"), "summary": row.get("summary", ""), "source": row["source"],
        }
        if row.get("number"):
            parsed = number_parse(row["number"])
            number_check_type(parsed, row["doc_type"])
            fields.update(number=parsed.written, number_key=parsed.key, number_seq=parsed.seq,
                          number_year=parsed.year, type_abbr=parsed.type_abbr, issuer_abbr=parsed.issuer_abbr)
            lookup: dict[str, Any] = {"number_key": parsed.key}
        else:
            conference = Conference.objects.filter(year=row["conference_year"]).first()
            if conference is None:
                raise LibraryDataError(f"load the conferences before the library ({row['title']})")
            fields["conference"] = conference
            lookup = {"conference": conference, "title": row["title"]}
        doc = Document.objects.filter(**lookup).first()
        if doc is None:
            doc = Document.objects.create(**fields)
            _count(counts, "library_documents", "created")
        elif any(getattr(doc, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(doc, k, v)
            doc.version += 1
            doc.save()
            _count(counts, "library_documents", "updated")
        else:
            _count(counts, "library_documents", "unchanged")
        if doc.number:
            by_number[doc.number_key] = doc
        search_index_upsert(document=search_document(doc))
    for rel in data["relations"]:
        source = by_number[number_parse(rel["source"]).key]
        target = by_number[number_parse(rel["target"]).key]
        _obj, created = DocumentRelation.objects.update_or_create(
            source=source, target=target, kind=rel["kind"],
            defaults={"effective_date": _date(rel.get("effective_date")), "note": rel["source_ref"]},
        )
        _count(counts, "library_relations", "created" if created else "unchanged")
    return counts
