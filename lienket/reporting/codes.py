"""Audit actions and error codes of lienket.reporting. Values are stored (AuditEntry.action) or part of the API: never change one.

StrEnum members are the strings themselves (`AuditAction.X == "..."`), so nothing changes on the wire or in
the database; see docs/CONVENTIONS.md, "Error codes and audit actions".
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """`<object>.<verb>`, as stored in AuditEntry.action."""

    DATASET_CREATE = "dataset.create"
    DATASET_DELETE = "dataset.delete"
    DATASET_UPDATE = "dataset.update"
    DATAVALUES_SAVE = "datavalues.save"
    DISAGGREGATION_CREATE = "disaggregation.create"
    DISAGGREGATION_DELETE = "disaggregation.delete"
    DISAGGREGATION_UPDATE = "disaggregation.update"
    IMPORT_APPLY = "import.apply"
    IMPORT_CREATE = "import.create"
    IMPORT_INTERRUPTED = "import.interrupted"
    INDICATOR_CREATE = "indicator.create"
    INDICATOR_DELETE = "indicator.delete"
    INDICATOR_UPDATE = "indicator.update"
    REPORTING_SAMPLE_LOAD = "reporting.sample_load"
    SUBMISSION_ACCEPT = "submission.accept"
    SUBMISSION_APPROVE = "submission.approve"
    SUBMISSION_CREATE = "submission.create"
    SUBMISSION_REOPEN = "submission.reopen"
    SUBMISSION_RETURN = "submission.return"
    SUBMISSION_SUBMIT = "submission.submit"
    TARGET_DELETE = "target.delete"
    TARGET_SET = "target.set"
    VALIDATION_RULE_CREATE = "validation_rule.create"
    VALIDATION_RULE_DELETE = "validation_rule.delete"
    VALIDATION_RULE_UPDATE = "validation_rule.update"


class ErrorCode(StrEnum):
    """The `code` of the ApplicationErrors this app raises (the API's `{code, message, details}`)."""

    CORRUPT_FILE = "corrupt_file"
    EMPTY_BODY = "empty_body"
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    FORBIDDEN = "forbidden"
    INVALID_BODY = "invalid_body"
    INVALID_CSV = "invalid_csv"
    INVALID_ENCODING = "invalid_encoding"
    INVALID_HEADER = "invalid_header"
    INVALID_JSON = "invalid_json"
    INVALID_PERIOD = "invalid_period"
    INVALID_STATUS = "invalid_status"
    INVALID_TARGETS = "invalid_targets"
    INVALID_TRANSITION = "invalid_transition"
    INVALID_UNIT = "invalid_unit"
    INVALID_VALUES = "invalid_values"
    INVALID_YEAR = "invalid_year"
    MACROS_REFUSED = "macros_refused"
    MISSING_DATASET = "missing_dataset"
    MISSING_PERIOD = "missing_period"
    MISSING_UNIT = "missing_unit"
    NO_UNITS = "no_units"
    NOT_A_REPORTING_UNIT = "not_a_reporting_unit"
    NOT_VALIDATED = "not_validated"
    REASON_REQUIRED = "reason_required"
    TOO_LARGE = "too_large"
    TOO_LONG = "too_long"
    TOO_MANY_ROWS = "too_many_rows"
    UNIT_REQUIRED = "unit_required"
    UNKNOWN_ACTION = "unknown_action"
    UNKNOWN_DATASET = "unknown_dataset"
    UNKNOWN_INDICATOR = "unknown_indicator"
    UNKNOWN_UNIT = "unknown_unit"
    UNSUPPORTED_CHARSET = "unsupported_charset"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    VALIDATION_FAILED = "validation_failed"
    VERSION_CONFLICT = "version_conflict"
    WRONG_PERIOD_TYPE = "wrong_period_type"
