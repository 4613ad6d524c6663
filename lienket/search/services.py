"""Writes to the search index. Domain services call `search_index_upsert` / `search_index_remove` inside their
own transaction (so the index never shows an item that was rolled back); `search_index_rebuild` replaces the
whole index (manage.py search_reindex).

The index is derived data: an upsert is not audited (the domain change that caused it is); a rebuild is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lienket.core.audit import audit_log
from lienket.core.errors import ValidationFailed
from lienket.core.text import nfc

from .codes import AuditAction, ErrorCode
from .folding import search_fold
from .models import SearchEntry, SearchTerm, Visibility
from .values import KINDS, SearchDocument

MAX_BODY = 20_000


def _entry_fields(doc: SearchDocument) -> dict[str, Any]:
    kind, key, title = nfc(doc.kind), nfc(doc.key), nfc(doc.title)[:500]
    body = nfc(doc.body)[:MAX_BODY]
    if kind not in KINDS:
        raise ValidationFailed(_("Unknown search item type: %(kind)s.") % {"kind": kind}, code=ErrorCode.SEARCH_INVALID_DOCUMENT)
    if not key or not title or not doc.url:
        raise ValidationFailed(_("A search item needs a key, a title and an address."), code=ErrorCode.SEARCH_INVALID_DOCUMENT)
    if doc.visibility not in Visibility.values:
        raise ValidationFailed(_("Unknown visibility: %(v)s.") % {"v": doc.visibility}, code=ErrorCode.SEARCH_INVALID_DOCUMENT)
    if doc.visibility == Visibility.UNIT and doc.unit_id is None:
        raise ValidationFailed(_("A unit-scoped search item needs its unit."), code=ErrorCode.SEARCH_INVALID_DOCUMENT)
    return {
        "title": title, "body": body, "title_folded": search_fold(title), "body_folded": search_fold(body),
        "unit_id": doc.unit_id, "unit_key": nfc(doc.unit_key), "unit_name": nfc(doc.unit_name),
        "visibility": doc.visibility, "url": doc.url,
    }


def vocabulary_words(title_folded: str) -> set[str]:
    """The words of a folded title that typo correction may offer (not numbers, not single letters)."""
    return {w for w in title_folded.split() if 2 <= len(w) <= 60 and not w.isdigit()}


def _vocabulary_add(words: set[str]) -> None:
    if words:
        SearchTerm.objects.bulk_create([SearchTerm(term=w) for w in sorted(words)], ignore_conflicts=True)


@transaction.atomic
def search_index_upsert(*, document: SearchDocument) -> SearchEntry:
    """Add or refresh one item (identified by kind and key)."""
    fields = _entry_fields(document)
    entry, _created = SearchEntry.objects.update_or_create(
        kind=nfc(document.kind), key=nfc(document.key), defaults=fields
    )
    _vocabulary_add(vocabulary_words(fields["title_folded"]))
    return entry


@transaction.atomic
def search_index_remove(*, kind: str, key: str) -> int:
    """Remove one item; the number of rows removed (0 when it was not indexed)."""
    deleted, _detail = SearchEntry.objects.filter(kind=kind, key=key).delete()
    return deleted


@transaction.atomic
def search_index_rebuild(*, documents: Iterable[SearchDocument], kinds: Iterable[str] | None = None,
                         actor: Any = None, batch: int = 2000) -> int:
    """Replace the index (or only the items of `kinds`) by `documents`; the number of items indexed."""
    existing = SearchEntry.objects.all() if kinds is None else SearchEntry.objects.filter(kind__in=list(kinds))
    existing.delete()
    if kinds is None:
        SearchTerm.objects.all().delete()
    words: set[str] = set()
    seen: set[tuple[str, str]] = set()
    rows: list[SearchEntry] = []
    count = 0
    for doc in documents:
        ident = (nfc(doc.kind), nfc(doc.key))
        if ident in seen:
            continue
        seen.add(ident)
        fields = _entry_fields(doc)
        words |= vocabulary_words(fields["title_folded"])
        rows.append(SearchEntry(kind=ident[0], key=ident[1], **fields))
        if len(rows) >= batch:
            SearchEntry.objects.bulk_create(rows)
            count += len(rows)
            rows = []
    SearchEntry.objects.bulk_create(rows)
    count += len(rows)
    _vocabulary_add(words)
    audit_log(action=AuditAction.SEARCH_REINDEX, actor=actor, object_type="search.searchentry", object_id="*",
              after={"count": count, "kinds": sorted(kinds) if kinds is not None else "all"})
    return count
