"""Error codes of lienket.regions (the `code` of its ApplicationErrors). Values are part of the API: never change one.

StrEnum members are the strings themselves (`AuditAction.X == "..."`), so nothing changes on the wire or in
the database; see docs/CONVENTIONS.md, "Error codes and audit actions".
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The `code` of the ApplicationErrors this app raises (the API's `{code, message, details}`)."""

    INVALID_LEVEL = "invalid_level"
    INVALID_UNIT = "invalid_unit"
    INVALID_YEAR = "invalid_year"
    MISSING_COUNTRY_FIGURES = "missing_country_figures"
    MISSING_FIGURES = "missing_figures"
    NO_DATA = "no_data"
    NO_MEMBERS = "no_members"
    UNIT_NOT_VALID_ON_DATE = "unit_not_valid_on_date"
    UNKNOWN_GROUP = "unknown_group"
    UNKNOWN_UNIT = "unknown_unit"
