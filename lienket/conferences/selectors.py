"""Reads of the conferences; the items the conferences give the search index."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from lienket.search.values import SearchDocument

from .models import Conference


def search_document(conference: Conference) -> SearchDocument:
    """An edition as a search item (public); it links to the edition's documents in the library."""
    parts = [
        conference.date.strftime("%d/%m/%Y") if conference.date else str(conference.year),
        conference.host.name if conference.host else "",
        conference.led_by,
        conference.reviewed_period,
    ]
    return SearchDocument(
        kind="conference", key=str(conference.pk), title=conference.title, body=" · ".join(p for p in parts if p),
        url=f"{reverse('library:document_list')}?conference={conference.pk}",
        unit_id=conference.host_id, unit_key=conference.host.key if conference.host else "",
        unit_name=conference.host.name if conference.host else "",
    )


def search_documents() -> Iterator[SearchDocument]:
    for conference in Conference.objects.select_related("host").order_by("year"):
        yield search_document(conference)
