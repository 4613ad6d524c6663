"""The library's pages: `/thu-vien/` (list with filters type, issuer, status, year, conference) and
`/thu-vien/<id>/` (one document with its relations both ways). Public documents for everyone; others as the
permissions say (a hidden document is a 404). `/thu-vien/moi/` and `/thu-vien/<id>/sua/`: the editors' form
(the Ministry coordinator and the admin), through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lienket.core.errors import ApplicationError, NotFound

from . import permissions, selectors, services
from .forms import DocumentForm
from .models import DocStatus, DocType, Document


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
        "can_edit": permissions.can_edit_documents(request.user),
        "cited_by": selectors.cited_by(document=doc, user=request.user),
    })


def _edit_page(request: HttpRequest, form: DocumentForm, doc: Document | None, status: int = 200) -> HttpResponse:
    return render(request, "library/document_form.html", {"form": form, "doc": doc}, status=status)


def _save(request: HttpRequest, doc: Document | None) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _edit_page(request, form, doc, status=400)
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    if not data.get("file"):
        data.pop("file", None)
    try:
        if doc is None:
            doc = services.document_create(actor=request.user, data=data)
        else:
            services.document_update(actor=request.user, document=doc, version=form.cleaned_data.get("version") or 0, data=data)
    except ApplicationError as exc:
        field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
        form.add_error(field if field in form.fields else None, exc.message)
        return _edit_page(request, form, doc, status=exc.status if exc.status != 422 else 400)
    return HttpResponseRedirect(reverse("library:document_detail", kwargs={"pk": doc.pk}))


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "library/not_found.html",
                  {"message": _("Only the Ministry coordinator and administrators can edit the library.")}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_documents(request.user):
        return _refused(request)
    if request.method == "POST":
        return _save(request, None)
    return _edit_page(request, DocumentForm(), None)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_edit_documents(request.user):
        return _refused(request)
    doc = Document.objects.filter(pk=pk).first()
    if doc is None:
        return render(request, "library/not_found.html", {"message": _("Document not found.")}, status=404)
    if request.method == "POST":
        return _save(request, doc)
    initial = {name: getattr(doc, name) for name in ["doc_type", "number", "title", "issuer", "issue_date", "effective_date",
                                                     "status", "visibility", "summary", "source", "version"]}
    return _edit_page(request, DocumentForm(initial=initial), doc)
