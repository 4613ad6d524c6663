"""Audit actions and error codes of lienket.users. Values are stored (AuditEntry.action) or part of the API: never change one.

StrEnum members are the strings themselves (`AuditAction.X == "..."`), so nothing changes on the wire or in
the database; see docs/CONVENTIONS.md, "Error codes and audit actions".
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """Written before the `<object>.<verb>` style was set; kept as they are because entries are stored with them."""

    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCK = "account_unlock"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    MEMBERSHIP_ADD = "membership_add"
    MEMBERSHIP_REMOVE = "membership_remove"
    MEMBERSHIP_UPDATE = "membership_update"
    PASSWORD_CHANGE = "password_change"
    TOKEN_CREATE = "token_create"
    TOKEN_REVOKE = "token_revoke"
    USER_CREATE = "user_create"
    USER_UPDATE = "user_update"


class ErrorCode(StrEnum):
    """The `code` of the ApplicationErrors this app raises (the API's `{code, message, details}`)."""

    ACCOUNT_LOCKED = "account_locked"
    CONFERENCE_AMBIGUOUS = "conference_ambiguous"
    CONFERENCE_INVALID = "conference_invalid"
    CONFERENCE_UNKNOWN = "conference_unknown"
    EMAIL_INVALID = "email_invalid"
    INVALID_DATE = "invalid_date"
    INVALID_EXPIRY = "invalid_expiry"
    INVALID_LOGIN = "invalid_login"
    INVALID_OBJECT = "invalid_object"
    INVALID_RANGE = "invalid_range"
    INVALID_ROLE = "invalid_role"
    LAST_ADMIN = "last_admin"
    MEMBERSHIP_EXISTS = "membership_exists"
    MINISTRY_UNIT_NOT_VALID_ON_DATE = "ministry_unit_not_valid_on_date"
    MINISTRY_UNIT_UNKNOWN = "ministry_unit_unknown"
    NAME_REQUIRED = "name_required"
    NAME_TOO_LONG = "name_too_long"
    PASSWORD_INVALID = "password_invalid"
    ROLE_REQUIRED = "role_required"
    SCOPE_NOT_ALLOWED = "scope_not_allowed"
    SCOPE_REQUIRED = "scope_required"
    TOKEN_REVOKED = "token_revoked"
    UNIT_AMBIGUOUS = "unit_ambiguous"
    UNIT_NOT_PROVINCE = "unit_not_province"
    UNIT_NOT_VALID_ON_DATE = "unit_not_valid_on_date"
    UNIT_REQUIRED = "unit_required"
    UNIT_UNKNOWN = "unit_unknown"
    USER_INACTIVE = "user_inactive"
    USERNAME_INVALID = "username_invalid"
    USERNAME_REQUIRED = "username_required"
    USERNAME_TAKEN = "username_taken"
