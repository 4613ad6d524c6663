"""Audit actions and error codes of lienket.cooperation. Values are stored (AuditEntry.action) or part of the API:
never change one (docs/CONVENTIONS.md, "Error codes and audit actions")."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """`<object>.<verb>`, as stored in AuditEntry.action."""

    ACTIVITY_CREATE = "activity.create"
    ACTIVITY_DELETE = "activity.delete"
    ACTIVITY_UPDATE = "activity.update"
    COOPERATION_SAMPLE_LOAD = "cooperation.sample_load"
    PROGRAMME_CREATE = "programme.create"
    PROGRAMME_STATUS = "programme.status"
    PROGRAMME_UPDATE = "programme.update"
    PROGRAMME_DOCUMENT_ADD = "programme.document_add"
    PROGRAMME_DOCUMENT_REMOVE = "programme.document_remove"


class ErrorCode(StrEnum):
    """The `code` of the ApplicationErrors this app raises (the API's `{code, message, details}`)."""

    ACTIVITY_CHANGED = "activity_changed"
    ACTIVITY_NOT_FOUND = "activity_not_found"
    ACTIVITY_OUTSIDE_PROGRAMME = "activity_outside_programme"
    DOCUMENT_NOT_FOUND = "document_not_found"
    DOCUMENT_SOURCE_REQUIRED = "document_source_required"
    DUPLICATE_PARTY = "duplicate_party"
    END_BEFORE_START = "end_before_start"
    INVALID_PARTY = "invalid_party"
    INVALID_PROGRAMME = "invalid_programme"
    INVALID_RESULT = "invalid_result"
    NO_PARTY = "no_party"
    NOT_A_PARTY = "not_a_party"
    PROGRAMME_CHANGED = "programme_changed"
    PROGRAMME_NOT_FOUND = "programme_not_found"
    STATUS_DATE_BEFORE_PREVIOUS = "status_date_before_previous"
    STATUS_UNCHANGED = "status_unchanged"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    UNKNOWN_UNIT = "unknown_unit"
