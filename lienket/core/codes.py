"""Error codes of lienket.core and of the API root (config/api.py), and the list of every app's codes for the
API's documentation.

Codes are StrEnums: a member is the string itself, so nothing changes on the wire. Each domain app keeps its own
`codes.py` (`ErrorCode`, and `AuditAction` for the actions it writes to the audit trail). core knows no domain, so
it does not import them: config/api.py, which sits above every app, registers them with `error_codes_register`
and the error schema (lienket.core.api.ErrorOut) lists whatever is registered.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes raised by core itself and by the API root's handlers (the defaults of lienket.core.errors)."""

    CONFLICT = "conflict"
    ERROR = "error"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    INVALID_DATE = "invalid_date"
    INVALID_NUMBER = "invalid_number"
    INVALID_PARAMETER = "invalid_parameter"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_FOUND = "not_found"
    NUMBER_TOO_LARGE = "number_too_large"
    UNAUTHORIZED = "unauthorized"


_REGISTERED: list[type[StrEnum]] = [ErrorCode]


def error_codes_register(*enums: type[StrEnum]) -> None:
    """Add an app's ErrorCode to the codes the API documents (called once by config/api.py)."""
    for enum in enums:
        if enum not in _REGISTERED:
            _REGISTERED.append(enum)


def error_codes() -> list[str]:
    """Every registered error code, sorted, each once."""
    return sorted({str(member) for enum in _REGISTERED for member in enum})
