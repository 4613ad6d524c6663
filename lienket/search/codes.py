"""Audit actions and error codes of lienket.search. Values are stored or part of the API: never change one."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """`<object>.<verb>`, as stored in AuditEntry.action."""

    SEARCH_REINDEX = "search.reindex"


class ErrorCode(StrEnum):
    SEARCH_QUERY_TOO_LONG = "search_query_too_long"
    SEARCH_INVALID_DOCUMENT = "search_invalid_document"
