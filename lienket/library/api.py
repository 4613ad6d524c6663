"""GET /api/v1/library/documents and /api/v1/library/documents/{id}: the same selectors and permissions as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router

from lienket.core.api import ERRORS, id_path, limit_param, offset_param

from . import selectors
from .models import DocStatus, DocType, Document
from .schemas import DocumentDetailOut, DocumentPageOut

router = Router(tags=["library"])


def _out(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.pk, "type": doc.doc_type, "type_label": str(doc.get_doc_type_display()), "number": doc.number,
        "number_parts": {"number": doc.number_seq, "year": doc.number_year, "type": doc.type_abbr, "issuer": doc.issuer_abbr},
        "title": doc.title, "issuer": doc.issuer, "issue_date": doc.issue_date, "effective_date": doc.effective_date,
        "status": doc.status, "summary": doc.summary, "source": doc.source, "conference_id": doc.conference_id,
        "file_url": doc.file.url if doc.file else None,
        "url": reverse("library:document_detail", kwargs={"pk": doc.pk}),
    }


@router.get("/documents", response={200: DocumentPageOut, **ERRORS}, summary="Documents of the library")
def document_list(
    request: HttpRequest,
    type: DocType | None = Query(None, description="Document type"),  # noqa: B008 - ninja reads the default
    issuer: str | None = Query(None, max_length=200),
    status: DocStatus | None = Query(None),  # noqa: B008 - ninja reads the default
    year: int | None = Query(None, ge=1900, le=2100),
    number: str | None = Query(None, max_length=60, description="A number as written, e.g. 32/2024/NĐ-CP"),
    limit: int = limit_param(100, 1000),
    offset: int = offset_param(),
) -> Any:
    docs = selectors.document_search(user=request.user, doc_type=type, issuer=issuer, status=status, year=year)
    if number:
        found = selectors.document_find(number=number)
        docs = docs.filter(pk=found.pk if found else 0)
    return {"count": docs.count(), "limit": limit, "offset": offset,
            "documents": [_out(d) for d in docs[offset : offset + limit]]}


@router.get("/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS}, summary="One document with its relations")
def document_detail(request: HttpRequest, document_id: int = id_path("Document id")) -> Any:
    doc = selectors.document_get_for_user(id=document_id, user=request.user)
    relations = [
        {"relation": r["kind"], "label": str(r["label"]), "direction": r["direction"], "effective_date": r["effective_date"],
         "document": {"id": r["document"].pk, "number": r["document"].number, "type": r["document"].doc_type,
                      "title": r["document"].title}}
        for r in selectors.document_relations(document=doc, user=request.user)
    ]
    return {**_out(doc), "relations": relations}
