"""The library's pages: `/thu-vien/` (list with filters type, issuer, status, year, conference) and
`/thu-vien/<id>/` (one document with its relations both ways). Public documents for everyone; others as the
permissions say (a hidden document is a 404)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lienket.core.errors import NotFound

from . import permissions, selectors
from .models import DocStatus, DocType


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 9 else None


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters: dict[str, Any] = {
        "doc_type": g.get("type") if g.get("type") in DocType.values else None,
        "issuer": g.get("issuer") or None,
        "status": g.get("status") if g.get("status") in DocStatus.values else None,
        "year": _int(g.get("year")),
        "conference_id": _int(g.get("conference")),
    }
    documents = list(selectors.document_search(user=request.user, **filters)[:500])
    return render(request, "library/document_list.html", {
        "documents": documents, "filters": filters, "types": DocType.choices, "statuses": DocStatus.choices,
        "issuers": selectors.document_issuers(), "years": selectors.document_years(),
        "can_edit": permissions.can_edit_documents(request.user),
    })


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        doc = selectors.document_get_for_user(id=pk, user=request.user)
    except NotFound as exc:
        return render(request, "library/not_found.html", {"message": exc.message}, status=404)
    return render(request, "library/document_detail.html", {
        "doc": doc, "relations": selectors.document_relations(document=doc, user=request.user),
    })
