"""The library's pages: `/thu-vien/` (list with filters type, issuer, status, year, conference) and
`/thu-vien/<id>/` (one document with its relations both ways). Public documents for everyone; others as the
permissions say (a hidden document is a 404). `/thu-vien/moi/` and `/thu-vien/<id>/sua/`: the editors' form
(the Ministry coordinator and the admin), through the audited services; `/thu-vien/<id>/quan-he/` (their relations:
search a document, add how it relates) and `/thu-vien/<id>/quan-he/<rid>/xoa/` (remove one, after confirming)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lienket.core.errors import ApplicationError, NotFound, PermissionDenied

from . import permissions, selectors, services
from .forms import DocumentForm, RelationForm
from .models import INVERSE_LABELS, DocStatus, DocType, Document, RelationKind


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


def _editable_document(request: HttpRequest, pk: int) -> Document | HttpResponse:
    """The document an editor works on, or the refusal / not-found page to answer with."""
    if not permissions.can_edit_documents(request.user):
        return _refused(request)
    doc = Document.objects.filter(pk=pk).first()
    if doc is None:
        return render(request, "library/not_found.html", {"message": _("Document not found.")}, status=404)
    return doc


@login_required
@require_http_methods(["GET", "POST"])
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the document's relations, and the search for a document to relate it to (`?q=`); POST: add one."""
    doc = _editable_document(request, pk)
    if isinstance(doc, HttpResponse):
        return doc
    q = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    form = RelationForm(request.POST or None, initial={"target": request.GET.get("target") or None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            direction, kind = form.direction_and_kind()
            other = permissions.visible_documents(request.user).filter(pk=form.cleaned_data["target"]).first()
            if other is None:
                form.add_error("target", _("Document not found."))
            else:
                source, target = (doc, other) if direction == "out" else (other, doc)
                try:
                    services.relation_add(actor=request.user, source=source, target=target, kind=kind,
                                          effective_date=form.cleaned_data.get("effective_date"),
                                          note=form.cleaned_data.get("note") or "")
                except PermissionDenied:
                    return _refused(request)
                except ApplicationError as exc:
                    field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
                    form.add_error(field if field in form.fields else None, exc.message)
                    status = exc.status
                else:
                    messages.success(request, _("The relation was recorded."))
                    return HttpResponseRedirect(reverse("library:relation_add", kwargs={"pk": doc.pk}))
        status = status if status != 200 else 422
    candidates = selectors.relation_candidates(document=doc, q=q, user=request.user) if q.strip() else []
    chosen = str(form["target"].value() or "")
    return render(request, "library/relations.html", {
        "doc": doc, "form": form, "q": q, "candidates": candidates, "chosen": chosen,
        "relations": selectors.document_relations(document=doc, user=request.user),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def relation_remove(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    """GET: the confirmation step (which relation, both documents stay); POST: remove it."""
    doc = _editable_document(request, pk)
    if isinstance(doc, HttpResponse):
        return doc
    try:
        rel = selectors.relation_get_for_document(document=doc, relation_id=rid)
    except NotFound as exc:
        return render(request, "library/not_found.html", {"message": exc.message}, status=404)
    if request.method == "POST":
        try:
            services.relation_remove(actor=request.user, relation_id=rel.pk)
        except NotFound as exc:
            return render(request, "library/not_found.html", {"message": exc.message}, status=404)
        messages.success(request, _("The relation was removed."))
        return HttpResponseRedirect(reverse("library:relation_add", kwargs={"pk": doc.pk}))
    outgoing = rel.source_id == doc.pk
    return render(request, "library/relation_remove.html", {
        "doc": doc, "rel": rel, "other": rel.target if outgoing else rel.source,
        "label": rel.get_kind_display() if outgoing else INVERSE_LABELS[RelationKind(rel.kind)],
    })
