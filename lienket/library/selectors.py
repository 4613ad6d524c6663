"""Reads of the library, filtered by what the user may see; the links other apps use
(`document_find(number="32/2024/NĐ-CP")`) and the items the library gives the search index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lienket.core.errors import NotFound
from lienket.core.text import nfc
from lienket.search.selectors import search_for_user
from lienket.search.values import SearchDocument

from . import permissions
from .models import INVERSE_LABELS, Document, DocumentRelation, DocVisibility, RelationKind
from .values import CitedBy, cites, number_key, numbers_in_text


def document_find(*, number: str) -> Document | None:
    """The document with this number (any case, Đ or D, spaces around / and -), or None. For links from other
    apps (a proposal asking for a guiding circular names the decree it is about). Unfiltered: the caller shows
    it only through `document_url` / its own permission rules."""
    key = number_key(number)
    return Document.objects.filter(number_key=key).first() if key else None


def documents_cited(*, texts: Iterable[str | None], user: Any) -> list[Document]:
    """The library documents whose numbers are written in `texts` (a proposal's legal references, title and
    body; a programme's documents), in the order they are first written, each once, only those `user` may see.
    Full numbers (`32/2024/NĐ-CP`) match by number; a type with a short number (`Nghị định 32/2024`) matches
    when exactly one document of that type carries that number and year. Two queries at most."""
    cited = [c for text in texts for c in numbers_in_text(text)]
    if not cited:
        return []
    keys = [c.number.key for c in cited if c.number is not None]
    short = [c for c in cited if c.number is None]
    visible = permissions.visible_documents(user)
    condition = Q(number_key__in=keys) if keys else Q(pk__in=[])
    for c in short:
        condition |= Q(doc_type=c.doc_type, number_seq=c.seq, number_year=c.year)
    docs = list(visible.filter(condition).order_by("pk"))
    by_key = {d.number_key: d for d in docs}
    out: list[Document] = []
    for c in cited:
        if c.number is not None:
            doc = by_key.get(c.number.key)
        else:
            same = [d for d in docs if d.doc_type == c.doc_type and d.number_seq == c.seq and d.number_year == c.year]
            doc = same[0] if len(same) == 1 else None
        if doc is not None and doc not in out:
            out.append(doc)
    return out


def cited_by(*, document: Document, user: Any) -> list[CitedBy]:
    """What names `document` in the apps above the library (proposals, programmes), as `user` may see it: each
    function of settings.LIBRARY_CITED_BY_SOURCES (`f(document=..., user=...) -> list[CitedBy]`) — the library
    knows none of those apps, they register their reader there."""
    if not document.number_seq:
        return []
    out: list[CitedBy] = []
    for path in getattr(settings, "LIBRARY_CITED_BY_SOURCES", []):
        out.extend(import_string(path)(document=document, user=user))
    return out


def citation_fragment(document: Document) -> str:
    """The text every mention of the document's number contains (`32/2024`, `60-NQ`, `55/VBHN`): what the
    citing apps look for in the database before `numbers_in_text` confirms it."""
    if document.number_year:
        return f"{document.number_seq}/{document.number_year}"
    return document.number.split("/")[0] if document.number else ""


def document_cited_in(document: Document, texts: Iterable[str | None]) -> bool:
    """Whether any of `texts` names `document`."""
    return any(
        cites(c, number_key=document.number_key, doc_type=document.doc_type, seq=document.number_seq,
              year=document.number_year)
        for text in texts for c in numbers_in_text(text)
    )


def document_link(doc: Document) -> dict[str, Any]:
    """`{id, number, title, url}`: how other apps' pages and API show a linked document."""
    return {"id": doc.pk, "number": doc.number, "title": doc.title,
            "url": reverse("library:document_detail", kwargs={"pk": doc.pk})}


def document_search(
    *, user: Any, doc_type: str | None = None, issuer: str | None = None, status: str | None = None,
    year: int | None = None, conference_id: int | None = None, q: str | None = None,
) -> QuerySet[Document]:
    docs = permissions.visible_documents(user)
    if doc_type:
        docs = docs.filter(doc_type=doc_type)
    if issuer:
        docs = docs.filter(issuer=nfc(issuer))
    if status:
        docs = docs.filter(status=status)
    if year:
        docs = docs.filter(Q(issue_date__year=year) | Q(issue_date__isnull=True, number_year=year))
    if conference_id:
        docs = docs.filter(conference_id=conference_id)
    if q:
        key = number_key(q)
        docs = docs.filter(Q(number_key__contains=key) | Q(title__icontains=nfc(q)))
    return docs.select_related("conference")


def document_get_for_user(*, id: int, user: Any) -> Document:
    """The document if the user may see it; NotFound otherwise (a hidden document does not exist for them)."""
    doc = permissions.visible_documents(user).select_related("conference", "unit").filter(pk=id).first()
    if doc is None:
        raise NotFound(_("Document not found."))
    return doc


def document_relations(*, document: Document, user: Any) -> list[dict[str, Any]]:
    """Both directions, as [{label, document, kind, direction, effective_date}], only documents the user may see."""
    visible = permissions.visible_documents(user)
    out: list[dict[str, Any]] = []
    for rel in DocumentRelation.objects.filter(source=document, target__in=visible).select_related("target"):
        out.append({"id": rel.pk, "kind": rel.kind, "direction": "out", "label": rel.get_kind_display(), "document": rel.target,
                    "effective_date": rel.effective_date, "note": rel.note})
    for rel in DocumentRelation.objects.filter(target=document, source__in=visible).select_related("source"):
        out.append({"id": rel.pk, "kind": rel.kind, "direction": "in", "label": INVERSE_LABELS[RelationKind(rel.kind)],
                    "document": rel.source,
                    "effective_date": rel.effective_date, "note": rel.note})
    return out


def relation_get_for_document(*, document: Document, relation_id: int) -> DocumentRelation:
    """A relation of `document` (either side); NotFound otherwise."""
    rel = (DocumentRelation.objects.select_related("source", "target")
           .filter(Q(source=document) | Q(target=document), pk=relation_id).first())
    if rel is None:
        raise NotFound(_("This relation does not exist (any more)."))
    return rel


def relation_candidates(*, document: Document, q: str, user: Any, limit: int = 20) -> list[Document]:
    """Documents `document` may be related to, for the editor's search field: those whose number contains what was
    typed (`32/2024`, `nd-cp`), then the search index's matches (accents, case and typos aside: `nghi dinh cum cong
    nghiep`), only those `user` may see, never `document` itself."""
    q = nfc(q or "").strip()[:200]
    if not q:
        return []
    visible = permissions.visible_documents(user).exclude(pk=document.pk)
    found: list[Document] = []
    key = number_key(q)
    if key and any(ch.isdigit() for ch in q):
        found = list(visible.filter(number_key__contains=key).order_by("-issue_date", "number", "pk")[:limit])
    hits = search_for_user(user=user, q=q, kinds=["document"], limit=limit).hits
    ids = [int(h.key) for h in hits if h.key.isdigit()]
    by_id = {d.pk: d for d in visible.filter(pk__in=ids)}
    for pk in ids:
        doc = by_id.get(pk)
        if doc is not None and doc not in found:
            found.append(doc)
    return found[:limit]


def document_issuers() -> list[str]:
    return list(Document.objects.exclude(issuer="").order_by("issuer").values_list("issuer", flat=True).distinct())


def document_years() -> list[int]:
    years = {d.year for d in Document.objects.exclude(issue_date=None).values_list("issue_date", flat=True) if d}
    years |= {y for y in Document.objects.exclude(number_year=None).values_list("number_year", flat=True) if y}
    return sorted(years, reverse=True)


def _format_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def search_document(doc: Document) -> SearchDocument:
    """The index entry of one document: title = type, number and subject; text = issuer, dates, summary. In the
    site's language (Vietnamese: "Nghị định 32/2024/NĐ-CP"), whatever language is active when it is written."""
    with translation.override(settings.LANGUAGE_CODE):
        return _search_document(doc)


def _search_document(doc: Document) -> SearchDocument:
    body_parts = [doc.issuer, _format_date(doc.issue_date), doc.summary]
    if doc.conference_id:
        body_parts.append(str(doc.conference))
    visibility = {DocVisibility.PUBLIC: "public", DocVisibility.MINISTRY: "ministry", DocVisibility.UNIT: "unit"}[
        DocVisibility(doc.visibility)
    ]
    return SearchDocument(
        kind="document", key=str(doc.pk), title=doc.display_title, body=" · ".join(p for p in body_parts if p),
        url=reverse("library:document_detail", kwargs={"pk": doc.pk}), visibility=visibility,
        unit_id=doc.unit_id, unit_key=doc.unit.key if doc.unit else "", unit_name=doc.unit.name if doc.unit else "",
    )


def search_documents() -> Iterator[SearchDocument]:
    for doc in Document.objects.select_related("conference", "unit").order_by("pk"):
        yield search_document(doc)
