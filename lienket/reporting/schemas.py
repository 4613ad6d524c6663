"""API shapes of the reporting domain.

Numbers that are data (values, bounds, factors) leave as *strings* such as "1234.5" so that no client turns
them into binary floats; dates as YYYY-MM-DD; units by GSO code plus `unit_key` (code@valid_from) because a
code alone does not identify a unit across the 2025 merger.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from lienket.core.api import MAX_SMALL_INT

#: The limits of the HTML forms (forms.MAX_COMMENT / MAX_REASON), applied to the API too.
MAX_COMMENT = 2000
MAX_REASON = 2000

# ---------------------------------------------------------------------------------------------------------
# Catalogue


class OptionOut(Schema):
    code: str
    name: str
    name_en: str
    sort_order: int


class DisaggregationOut(Schema):
    code: str
    name: str
    name_en: str
    options: list[OptionOut]


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    short_name: str
    definition: str
    definition_en: str
    unit_of_measure: str
    unit_of_measure_en: str
    value_type: str = Field(description="decimal, integer, percentage or index")
    decimals: int = Field(description="Decimals shown; values are stored with up to 6")
    aggregation: str = Field(description="Across units: sum, weighted_average, ratio or none")
    weight_indicator: str | None = Field(description="Code of the weight indicator (weighted_average)")
    numerator: str | None = Field(description="Code of the numerator indicator (ratio)")
    denominator: str | None = Field(description="Code of the denominator indicator (ratio)")
    ratio_factor: str = Field(description="Multiplier of numerator ÷ denominator, e.g. \"100\"")
    time_aggregation: str = Field(description="Over periods: sum, last, average or none")
    cumulative_ytd: bool = Field(description="Values are year-to-date totals (lũy kế)")
    disaggregation: DisaggregationOut | None
    min_value: str | None
    max_value: str | None
    source: str = Field(description="Where the definition comes from; empty if it is LienKet's own")
    definition_is_own: bool
    used_from: dt.date | None
    used_to: dt.date | None
    is_active: bool
    sort_order: int
    datasets: list[str] = Field(description="Codes of the data sets that collect it")


class ElementOut(Schema):
    indicator: str
    name: str
    unit_of_measure: str
    decimals: int
    section: str
    sort_order: int
    required: bool
    estimate_by_default: bool
    disaggregation: str | None


class UnitRefOut(Schema):
    code: str
    key: str = Field(description="code@valid_from, or the code for a unit valid over the whole range")
    name: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class DataSetPeriodOut(Schema):
    code: str
    label: str
    start: dt.date
    end: dt.date
    cutoff_date: dt.date = Field(description="Data counted up to this day (Decree 09/2019)")
    due_date: dt.date = Field(description="Reports are due on this day; units valid on it report the data set")
    edit_deadline: dt.date = Field(description="Province users may change data until this day (unless reopened)")
    reporting_units: list[UnitRefOut]


class DataSetOut(Schema):
    code: str
    name: str
    name_en: str
    form_number: str
    description: str
    period_type: str = Field(description="month, quarter, half_year, nine_months or year")
    reporting_group: str = Field(description="Key of the unit group whose members report it")
    reporting_group_name: str
    cutoff_day: int
    due_days: int
    edit_days_after_due: int
    outlier_pct: str | None
    outlier_sd: str | None
    is_active: bool
    is_sample: bool
    elements: list[ElementOut]
    period: DataSetPeriodOut | None = Field(None, description="Only when ?period= is given")


# ---------------------------------------------------------------------------------------------------------
# Data values


class DataValueOut(Schema):
    unit: str
    unit_key: str
    unit_name: str
    period: str
    indicator: str
    option: str | None
    value: str = Field(description="Exact decimal as text with trailing zeros trimmed, e.g. \"1234.5\"")
    is_estimate: bool
    comment: str
    status: str = Field(description="Status of the submission holding the value")
    submission_id: int
    version: int = Field(description="Send it back as `version` to refuse a write if someone changed it meanwhile")
    updated_at: dt.datetime


class DataValuePageOut(Schema):
    count: int | None = Field(description="Values matching the filters (all pages); null unless asked with count=true")
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page (same filters, `cursor`); null on the last page")
    next_cursor: str | None = Field(None, description="Send as `cursor` for the next page; null on the last page")
    values: list[DataValueOut]


class ValueIn(Schema):
    """One value to write (documentation of the JSON body; the endpoint reads the body itself so that it can
    also take CSV and report every problem with its place)."""

    unit: str = Field(description="GSO code (\"01\"), resolved to the unit valid on the due date, or a key \"25@2025-07-01\"")
    period: str = Field(description="202603, 2026Q1, 2026S1, 2026N9 or 2026")
    indicator: str
    option: str | None = Field(None, description="Disaggregation option code, or null")
    value: str | None = Field(
        description="\"1234.5\" (or a JSON number, or Vietnamese \"1.234,5\"); null or \"\" deletes the stored value"
    )
    is_estimate: bool | None = Field(None, description="null keeps the stored flag (new values: the element's default)")
    comment: str | None = Field(None, max_length=MAX_COMMENT, description="null keeps the stored comment")
    version: int | None = Field(
        None, ge=0, le=MAX_SMALL_INT, description="The value's version you saw (0 = you saw none); stale → error"
    )


class DataValuesIn(Schema):
    values: list[ValueIn]
    reason: str = Field("", max_length=MAX_REASON, description="Why the values change; kept in the value history")


class ApplyItemOut(Schema):
    ref: str
    unit: str
    indicator: str
    period: str
    option: str | None
    action: str = Field(description="create, update, unchanged, delete or noop (empty value, nothing stored)")
    value: str | None


class ApplyOut(Schema):
    created: int
    changed: int
    unchanged: int
    deleted: int
    dry_run: bool
    submissions: list[int] = Field(description="Ids of the submissions that were written to (empty for a dry run)")
    items: list[ApplyItemOut] = Field(description="What happens to each value (the first 1000)")


# ---------------------------------------------------------------------------------------------------------
# Submissions


class SubmissionOut(Schema):
    id: int
    dataset: str
    unit: str
    unit_key: str
    unit_name: str
    period: str
    period_label: str
    status: str = Field(description="draft, submitted, approved, accepted or returned")
    version: int = Field(description="Send it back as `version` with an action to detect concurrent changes")
    due_date: dt.date
    edit_deadline: dt.date
    on_time: bool | None
    submitted_at: dt.datetime | None
    submitted_by: str | None
    approved_at: dt.datetime | None
    approved_by: str | None
    accepted_at: dt.datetime | None
    accepted_by: str | None
    returned_at: dt.datetime | None
    returned_by: str | None
    return_reason: str
    reopened_until: dt.date | None
    is_sample: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    allowed_actions: list[str] = Field(description="Workflow actions you may fire now")
    can_edit_values: bool


class SubmissionDetailOut(SubmissionOut):
    values: list[DataValueOut]


class SubmissionPageOut(Schema):
    count: int
    limit: int
    offset: int
    submissions: list[SubmissionOut]


class SubmissionOpenIn(Schema):
    dataset: str = Field(description="Data set code")
    unit: str = Field(description="Unit code (resolved on the due date) or key code@valid_from")
    period: str = Field(description="Period code of the data set's period type")


class TransitionIn(Schema):
    reason: str = Field("", max_length=MAX_REASON, description="Required to return or reopen")
    version: int | None = Field(
        None, ge=0, le=MAX_SMALL_INT, description="The submission version you saw; stale → 409 version_conflict"
    )
    reopen_days: int | None = Field(None, ge=1, le=366, description="reopen: days the report stays editable")


# ---------------------------------------------------------------------------------------------------------
# Completeness


class CompletenessSummaryOut(Schema):
    expected: int
    missing: int
    draft: int
    returned: int
    submitted: int = Field(description="Submitted, approved or accepted")
    approved: int = Field(description="Approved or accepted")
    accepted: int
    on_time: int
    completeness_pct: float
    timeliness_pct: float


class CompletenessUnitOut(Schema):
    unit: str
    unit_key: str
    unit_name: str
    status: str = Field(description="missing (no submission yet), draft, submitted, approved, accepted or returned")
    submission_id: int | None
    submitted_at: str | None
    on_time: bool | None
    overdue: bool


class CompletenessOut(Schema):
    dataset: str
    period: str
    period_label: str
    due_date: str
    summary: CompletenessSummaryOut
    units: list[CompletenessUnitOut]


def json_body_schema() -> dict[str, Any]:
    """The JSON request body of POST /datavalues for OpenAPI (self-contained: no $refs)."""
    item = ValueIn.model_json_schema()
    item.pop("title", None)
    return {
        "type": "object",
        "required": ["values"],
        "properties": {
            "values": {"type": "array", "items": item, "maxItems": 200_000},
            "reason": {"type": "string", "default": "", "maxLength": MAX_REASON},
        },
        "example": {
            "values": [
                {"unit": "01", "period": "202603", "indicator": "RETAIL", "option": None, "value": "1234.5",
                 "is_estimate": False, "comment": "", "version": None}
            ],
            "reason": "",
        },
    }
