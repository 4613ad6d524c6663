"""Every write of the library: keyword-only, atomic, permission-checked, validated, audited, and mirrored into
the search index in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lienket.core.audit import audit_log, snapshot
from lienket.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.text import nfc
from lienket.search.services import search_index_upsert

from . import permissions
from .codes import AuditAction, ErrorCode
from .models import LEGAL_TYPES, DocStatus, DocType, Document, DocumentRelation, DocVisibility, RelationKind
from .selectors import search_document
from .values import number_check_type, number_parse

# What a document's file may be: recognised by its first bytes, not its name.
FILE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".pptx": (b"PK\x03\x04",), ".odt": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",), ".xls": (b"\xd0\xcf\x11\xe0",), ".ppt": (b"\xd0\xcf\x11\xe0",),
}
FIELDS = ["doc_type", "number", "title", "issuer", "issue_date", "effective_date", "status", "summary", "source",
          "conference", "visibility", "unit", "file"]


def _snapshot(doc: Document) -> dict[str, Any]:
    names = [f.name for f in doc._meta.concrete_fields if f.name != "file"]
    return {**snapshot(doc, names), "file": doc.file.name or ""}


def _check_editor(actor: Any) -> None:
    if not permissions.can_edit_documents(actor):
        raise PermissionDenied(_("Only the Ministry coordinator and administrators can edit the library."))


def file_check(file: UploadedFile) -> None:
    """Refuse a file that is too large or whose content is not what its name says (PDF, Office, OpenDocument)."""
    limit = settings.LIENKET_LIBRARY_MAX_FILE_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationFailed(_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
                               details={"field": "file"}, code=ErrorCode.DOCUMENT_FILE_TOO_LARGE)
    name = (file.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if ext not in FILE_SIGNATURES or not any(head.startswith(sig) for sig in FILE_SIGNATURES[ext]):
        raise ValidationFailed(
            _("The file must be a PDF, Word, Excel, PowerPoint or OpenDocument file whose content matches its name."),
            details={"field": "file"}, code=ErrorCode.DOCUMENT_FILE_INVALID,
        )


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the fields of a document; returns the model fields to set."""
    out = {k: data[k] for k in FIELDS if k in data}
    for name in ("number", "title", "issuer", "summary", "source"):
        if name in out:
            out[name] = nfc(out[name])
    doc_type = out.get("doc_type")
    if doc_type not in DocType.values:
        raise ValidationFailed(_("Choose a document type."), details={"field": "doc_type"})
    if not out.get("title"):
        raise ValidationFailed(_("A document needs a title."), details={"field": "title"})
    if out.get("status", DocStatus.UNKNOWN) not in DocStatus.values:
        raise ValidationFailed(_("Unknown status."), details={"field": "status"})
    if out.get("visibility", DocVisibility.PUBLIC) not in DocVisibility.values:
        raise ValidationFailed(_("Unknown visibility."), details={"field": "visibility"})
    if out.get("visibility") == DocVisibility.UNIT and out.get("unit") is None:
        raise ValidationFailed(_("A document for one unit needs that unit."), details={"field": "unit"},
                               code=ErrorCode.DOCUMENT_UNIT_REQUIRED)
    number = out.get("number") or ""
    if number:
        parsed = number_parse(number)
        number_check_type(parsed, doc_type)
        out.update(number=parsed.written, number_key=parsed.key, number_seq=parsed.seq, number_year=parsed.year,
                   type_abbr=parsed.type_abbr, issuer_abbr=parsed.issuer_abbr)
    elif doc_type in LEGAL_TYPES:
        raise ValidationFailed(_("A legal document needs its number (for example 32/2024/NĐ-CP)."),
                               details={"field": "number"}, code=ErrorCode.DOCUMENT_NUMBER_INVALID)
    else:
        out.update(number_key="", number_seq="", number_year=None, type_abbr="", issuer_abbr="")
    issue, effective = out.get("issue_date"), out.get("effective_date")
    for name, day in (("issue_date", issue), ("effective_date", effective)):
        if day is not None and not isinstance(day, dt.date):
            raise ValidationFailed(_("Invalid date."), details={"field": name}, code=ErrorCode.DOCUMENT_DATES_INVALID)
    if issue and effective and effective < issue:
        raise ValidationFailed(_("A document cannot take effect before it is issued."),
                               details={"field": "effective_date"}, code=ErrorCode.DOCUMENT_DATES_INVALID)
    if out.get("file"):
        file_check(out["file"])
    return out


def _save(doc: Document) -> None:
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError as exc:
        raise Conflict(_("A document with the number %(number)s already exists.") % {"number": doc.number},
                       details={"field": "number"}, code=ErrorCode.DOCUMENT_NUMBER_TAKEN) from exc


@transaction.atomic
def document_create(*, actor: Any, data: dict[str, Any]) -> Document:
    _check_editor(actor)
    fields = _clean(data)
    if Document.objects.filter(number_key=fields.get("number_key") or "-").exists():
        raise Conflict(_("A document with the number %(number)s already exists.") % {"number": fields["number"]},
                       details={"field": "number"}, code=ErrorCode.DOCUMENT_NUMBER_TAKEN)
    doc = Document(**fields)
    _save(doc)
    audit_log(actor=actor, action=AuditAction.DOCUMENT_CREATE, obj=doc, after=_snapshot(doc))
    search_index_upsert(document=search_document(doc))
    return doc


@transaction.atomic
def document_update(*, actor: Any, document: Document, version: int, data: dict[str, Any]) -> Document:
    """Change a document; `version` is the one the editor saw (another editor's change in between → Conflict)."""
    _check_editor(actor)
    doc = Document.objects.select_for_update().get(pk=document.pk)
    if doc.version != version:
        raise Conflict(_("Someone else changed this document meanwhile; reload it and make your change again."),
                       code=ErrorCode.DOCUMENT_VERSION_CONFLICT)
    current = {k: getattr(doc, k) for k in FIELDS if k != "file"}
    fields = _clean({**current, **data})
    before = _snapshot(doc)
    for name, value in fields.items():
        setattr(doc, name, value)
    doc.version += 1
    _save(doc)
    audit_log(actor=actor, action=AuditAction.DOCUMENT_UPDATE, obj=doc, before=before, after=_snapshot(doc))
    search_index_upsert(document=search_document(doc))
    return doc


def _relation_words(kind: str) -> str:
    return str(RelationKind(kind).label)


@transaction.atomic
def relation_add(*, actor: Any, source: Document, target: Document, kind: str,
                 effective_date: dt.date | None = None, note: str = "") -> DocumentRelation:
    """`source` guides / amends / replaces `target`. Refused with a specific code: an unknown kind
    (`document_relation_invalid`), a document related to itself (`document_relation_self`), a relation already
    recorded either way (`document_relation_exists`, 409)."""
    _check_editor(actor)
    if kind not in RelationKind.values:
        raise ValidationFailed(_("A document relates to another document: guides, amends or replaces."),
                               details={"field": "kind"}, code=ErrorCode.DOCUMENT_RELATION_INVALID)
    if source.pk == target.pk:
        raise ValidationFailed(_("A document cannot be related to itself; choose another document."),
                               details={"field": "target"}, code=ErrorCode.DOCUMENT_RELATION_SELF)
    if effective_date is not None and not isinstance(effective_date, dt.date):
        raise ValidationFailed(_("Invalid date."), details={"field": "effective_date"}, code=ErrorCode.DOCUMENT_DATES_INVALID)
    note = nfc(note or "").strip()
    if len(note) > DocumentRelation._meta.get_field("note").max_length:  # type: ignore[operator]
        raise ValidationFailed(_("The note is too long (at most 300 characters)."), details={"field": "note"},
                               code=ErrorCode.DOCUMENT_RELATION_INVALID)
    values = {"source": display(source), "relation": _relation_words(kind), "target": display(target)}
    if DocumentRelation.objects.filter(source=source, target=target, kind=kind).exists():
        raise Conflict(_("This relation is already recorded: %(source)s %(relation)s %(target)s.") % values,
                       details={"field": "target"}, code=ErrorCode.DOCUMENT_RELATION_EXISTS)
    if DocumentRelation.objects.filter(source=target, target=source, kind=kind).exists():
        raise Conflict(_("The reverse relation is already recorded: %(target)s %(relation)s %(source)s.") % values,
                       details={"field": "target"}, code=ErrorCode.DOCUMENT_RELATION_EXISTS)
    try:
        with transaction.atomic():
            rel = DocumentRelation.objects.create(source=source, target=target, kind=kind, effective_date=effective_date,
                                                  note=note)
    except IntegrityError as exc:  # recorded by someone else meanwhile
        raise Conflict(_("This relation is already recorded: %(source)s %(relation)s %(target)s.") % values,
                       details={"field": "target"}, code=ErrorCode.DOCUMENT_RELATION_EXISTS) from exc
    audit_log(actor=actor, action=AuditAction.DOCUMENT_RELATION_ADD, obj=rel, object_repr=f"{display(source)} {kind} {display(target)}",
              after=snapshot(rel))
    return rel


def display(doc: Document) -> str:
    """`Nghị định 32/2024/NĐ-CP` (type and number), or the title of a document without a number."""
    return f"{doc.get_doc_type_display()} {doc.number}" if doc.number else doc.title[:80]


@transaction.atomic
def relation_remove(*, actor: Any, relation_id: int) -> None:
    """Remove a relation (both of its documents stay); NotFound when it is gone already."""
    _check_editor(actor)
    relation = DocumentRelation.objects.select_for_update().select_related("source", "target").filter(pk=relation_id).first()
    if relation is None:
        raise NotFound(_("This relation does not exist (any more)."), code=ErrorCode.DOCUMENT_RELATION_NOT_FOUND)
    before = snapshot(relation)
    audit_log(actor=actor, action=AuditAction.DOCUMENT_RELATION_REMOVE, obj=relation,
              object_repr=f"{display(relation.source)} {relation.kind} {display(relation.target)}", before=before)
    relation.delete()
