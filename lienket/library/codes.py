"""Audit actions and error codes of lienket.library. Values are stored or part of the API: never change one."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """`<object>.<verb>`, as stored in AuditEntry.action."""

    DOCUMENT_CREATE = "document.create"
    DOCUMENT_UPDATE = "document.update"
    DOCUMENT_RELATION_ADD = "document_relation.add"
    DOCUMENT_RELATION_REMOVE = "document_relation.remove"


class ErrorCode(StrEnum):
    DOCUMENT_NUMBER_INVALID = "document_number_invalid"
    DOCUMENT_NUMBER_TYPE_MISMATCH = "document_number_type_mismatch"
    DOCUMENT_NUMBER_TAKEN = "document_number_taken"
    DOCUMENT_DATES_INVALID = "document_dates_invalid"
    DOCUMENT_FILE_INVALID = "document_file_invalid"
    DOCUMENT_FILE_TOO_LARGE = "document_file_too_large"
    DOCUMENT_RELATION_EXISTS = "document_relation_exists"
    DOCUMENT_RELATION_INVALID = "document_relation_invalid"
    DOCUMENT_RELATION_NOT_FOUND = "document_relation_not_found"
    DOCUMENT_RELATION_SELF = "document_relation_self"
    DOCUMENT_VERSION_CONFLICT = "document_version_conflict"
    DOCUMENT_UNIT_REQUIRED = "document_unit_required"
