"""/api/v1/ — reporting: the indicator catalogue, data sets, data values (JSON and CSV), the submission
workflow and completeness.

Thin on purpose: reads go through selectors (submission_search, values_visible) and submission_get_for_user, writes through
services.datavalues_apply / submission_open / submission_transition — the code paths of the HTML forms — so
a token can do exactly what its user could do in the browser, no more.

Over 500 lines on purpose: one router whose endpoints carry their OpenAPI descriptions (most of the length);
the endpoints themselves are a few lines each.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.responses import NinjaJSONEncoder
from pydantic import ValidationError as PydanticValidationError

from lienket.core.api import ERRORS, ErrorOut, authenticated, id_path, limit_param, offset_param
from lienket.core.errors import ApplicationError, NotFound, ValidationFailed
from lienket.core.text import nfc
from lienket.regions.keys import unit_key_parse, unit_key_problem
from lienket.regions.models import AdminUnit

from . import csv, paging, permissions, selectors, services
from .codes import ErrorCode
from .models import (
    DataSet,
    DataSetElement,
    DataValue,
    DisaggregationOption,
    Indicator,
    Submission,
    SubmissionStatus,
)
from .periods import PeriodSpec, cutoff_date, parse_period, period_type_check
from .schemas import (
    MAX_REASON,
    ApplyOut,
    CompletenessOut,
    DataSetOut,
    DataValuePageOut,
    IndicatorOut,
    SubmissionDetailOut,
    SubmissionOpenIn,
    SubmissionOut,
    SubmissionPageOut,
    TransitionIn,
    json_body_schema,
)
from .values import ApplyResult, ValueItem
from .workflow import transition_get

router = Router(tags=["reporting"])

CATALOGUE = ["reporting: catalogue"]
VALUES = ["reporting: data values"]
WORKFLOW = ["reporting: workflow"]

JSON_TYPES = frozenset({"application/json", "text/json"})
CSV_TYPES = frozenset({"text/csv", "application/csv"})
MAX_ITEMS_OUT = 1000


# ---------------------------------------------------------------------------------------------------------
# Look-ups that turn a bad code into a clear 404/422


def _dataset_get(code: str) -> DataSet:
    dataset = DataSet.objects.select_related("reporting_group").filter(code=nfc(code)).first()
    if dataset is None:
        raise NotFound(_("There is no data set with code “%(code)s”.") % {"code": code}, {"dataset": code}, code=ErrorCode.UNKNOWN_DATASET)
    return dataset


def _indicator_get(code: str) -> Indicator:
    indicator = _indicator_qs().filter(code=nfc(code)).first()
    if indicator is None:
        raise NotFound(
            _("There is no indicator with code “%(code)s”.") % {"code": code}, {"indicator": code}, code=ErrorCode.UNKNOWN_INDICATOR
        )
    return indicator


def _period_for(dataset: DataSet, code: str) -> PeriodSpec:
    return period_type_check(dataset=dataset, spec=parse_period(code))


def _unit_ids(raw: str) -> list[int]:
    """The unit records a filter means: a key (`25@2025-07-01`) names one; a bare code every record that has
    carried it (rows still say which one through `unit_key`)."""
    text = nfc(raw)
    problem = unit_key_problem(text)
    if problem:
        raise ValidationFailed(problem, {"unit": raw}, code=ErrorCode.INVALID_UNIT)
    key = unit_key_parse(text)
    qs = AdminUnit.objects.filter(code=key.code)
    if key.valid_from is not None:
        qs = qs.filter(valid_from=key.valid_from)
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        raise NotFound(_("There is no administrative unit with code “%(code)s”.") % {"code": raw}, {"unit": raw}, code=ErrorCode.UNKNOWN_UNIT)
    return ids


def _status_check(status: str) -> str:
    if status not in SubmissionStatus.values:
        raise ValidationFailed(
            _("Unknown status “%(status)s”. Allowed: %(allowed)s.") % {"status": status, "allowed": ", ".join(SubmissionStatus.values)},
            {"status": status}, code=ErrorCode.INVALID_STATUS,
        )
    return status


# ---------------------------------------------------------------------------------------------------------
# Catalogue


def _indicator_qs() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("weight_indicator", "numerator", "denominator", "disaggregation").prefetch_related(
        Prefetch("disaggregation__options", queryset=DisaggregationOption.objects.order_by("sort_order", "code")),
        Prefetch("elements", queryset=DataSetElement.objects.select_related("dataset").order_by("dataset__code")),
    )


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else csv.decimal_text(value)


def _indicator_out(ind: Indicator) -> dict[str, Any]:
    disagg = ind.disaggregation
    return {
        "code": ind.code, "name": ind.name, "name_en": ind.name_en, "short_name": ind.short_name,
        "definition": ind.definition, "definition_en": ind.definition_en,
        "unit_of_measure": ind.unit_of_measure, "unit_of_measure_en": ind.unit_of_measure_en,
        "value_type": ind.value_type, "decimals": ind.decimals, "aggregation": ind.aggregation,
        "weight_indicator": ind.weight_indicator.code if ind.weight_indicator else None,
        "numerator": ind.numerator.code if ind.numerator else None,
        "denominator": ind.denominator.code if ind.denominator else None,
        "ratio_factor": csv.decimal_text(ind.ratio_factor),
        "time_aggregation": ind.time_aggregation, "cumulative_ytd": ind.cumulative_ytd,
        "disaggregation": {
            "code": disagg.code, "name": disagg.name, "name_en": disagg.name_en,
            "options": [{"code": o.code, "name": o.name, "name_en": o.name_en, "sort_order": o.sort_order}
                        for o in disagg.options.all()],
        } if disagg else None,
        "min_value": _dec(ind.min_value), "max_value": _dec(ind.max_value),
        "source": ind.source, "definition_is_own": ind.definition_is_own,
        "used_from": ind.used_from, "used_to": ind.used_to, "is_active": ind.is_active, "sort_order": ind.sort_order,
        "datasets": [el.dataset.code for el in ind.elements.all()],
    }


@router.get(
    "/indicators", response={200: list[IndicatorOut], **ERRORS}, auth=authenticated, tags=CATALOGUE,
    summary="The indicator catalogue",
)
def indicator_list(request: HttpRequest, dataset: str | None = None, active: bool | None = None) -> list[dict[str, Any]]:
    """Every indicator with all its catalogue fields: unit of measure (vi/en), decimals, bounds, how it aggregates
    across units (`aggregation` with weight / numerator / denominator codes) and over time (`time_aggregation`,
    `cumulative_ytd`), its disaggregation with options, and where its definition comes from.

    `dataset`: only indicators of that data set (404 if unknown). `active`: true/false to filter on `is_active`."""
    qs = _indicator_qs()
    if dataset:
        qs = qs.filter(elements__dataset=_dataset_get(dataset))
    if active is not None:
        qs = qs.filter(is_active=active)
    return [_indicator_out(i) for i in qs.order_by("sort_order", "code").distinct()]


@router.get(
    "/indicators/{code}", response={200: IndicatorOut, **ERRORS}, auth=authenticated, tags=CATALOGUE,
    summary="One indicator",
)
def indicator_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One indicator by code, with the same fields as the list. 404 `unknown_indicator` if there is none."""
    return _indicator_out(_indicator_get(code))


def _dataset_qs() -> QuerySet[DataSet]:
    return DataSet.objects.select_related("reporting_group").prefetch_related(
        Prefetch("elements", queryset=DataSetElement.objects.select_related("indicator__disaggregation").order_by("sort_order", "id"))
    )


def _unit_ref(unit: AdminUnit) -> dict[str, Any]:
    return {"code": unit.code, "key": unit.key, "name": unit.name, "valid_from": unit.valid_from, "valid_to": unit.valid_to}


def _dataset_out(ds: DataSet, spec: PeriodSpec | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": ds.code, "name": ds.name, "name_en": ds.name_en, "form_number": ds.form_number,
        "description": ds.description, "period_type": ds.period_type,
        "reporting_group": ds.reporting_group.key, "reporting_group_name": ds.reporting_group.name,
        "cutoff_day": ds.cutoff_day, "due_days": ds.due_days, "edit_days_after_due": ds.edit_days_after_due,
        "outlier_pct": _dec(ds.outlier_pct), "outlier_sd": _dec(ds.outlier_sd),
        "is_active": ds.is_active, "is_sample": ds.is_sample,
        "elements": [
            {"indicator": el.indicator.code, "name": el.indicator.name, "unit_of_measure": el.indicator.unit_of_measure,
             "decimals": el.indicator.decimals, "section": el.section, "sort_order": el.sort_order,
             "required": el.required, "estimate_by_default": el.estimate_by_default,
             "disaggregation": el.indicator.disaggregation.code if el.indicator.disaggregation else None}
            for el in ds.elements.all()
        ],
        "period": None,
    }
    if spec is not None:
        out["period"] = {
            "code": spec.code, "label": spec.label(), "start": spec.start, "end": spec.end,
            "cutoff_date": cutoff_date(spec, ds.cutoff_day), "due_date": ds.due_date(spec), "edit_deadline": ds.edit_deadline(spec),
            "reporting_units": [_unit_ref(u) for u in selectors.reporting_units(dataset=ds, period=spec)],
        }
    return out


@router.get(
    "/datasets", response={200: list[DataSetOut], **ERRORS}, auth=authenticated, tags=CATALOGUE,
    summary="Data sets (report forms)",
)
def dataset_list(request: HttpRequest, period: str | None = None) -> list[dict[str, Any]]:
    """Every data set with its elements, period type, reporting group, cut-off day, due days and editing window.

    With `period` (e.g. 202603, 2026Q1, 2026S1) only the data sets reported for that kind of period are listed,
    each with the period's cut-off, due date, edit deadline and the units that report it (members of the
    reporting group on the due date — which decides old vs new units around the 1/7/2025 merger)."""
    spec = parse_period(period) if period else None
    qs = _dataset_qs()
    if spec is not None:
        qs = qs.filter(period_type=spec.period_type)
    return [_dataset_out(ds, spec) for ds in qs.order_by("code")]


@router.get(
    "/datasets/{code}", response={200: DataSetOut, **ERRORS}, auth=authenticated, tags=CATALOGUE,
    summary="One data set",
)
def dataset_detail(request: HttpRequest, code: str, period: str | None = None) -> dict[str, Any]:
    """One data set; with `period`, also its due date, edit deadline and reporting units for that period.
    404 `unknown_dataset`; 422 `invalid_period` or `wrong_period_type` (e.g. a month for a 6-month report)."""
    ds = _dataset_qs().filter(code=nfc(code)).first() or _dataset_get(code)
    return _dataset_out(ds, _period_for(ds, period) if period else None)


# ---------------------------------------------------------------------------------------------------------
# Data values


def _value_out(dv: DataValue) -> dict[str, Any]:
    return {
        "unit": dv.unit.code, "unit_key": dv.unit.key, "unit_name": dv.unit.name, "period": dv.period.code,
        "indicator": dv.indicator.code, "option": dv.option.code if dv.option else None,
        "value": csv.decimal_text(dv.value), "is_estimate": dv.is_estimate, "comment": dv.comment,
        "status": dv.submission.status, "submission_id": dv.submission_id, "version": dv.version, "updated_at": dv.updated_at,
    }


#: The columns of a value as the list returns it (plain tuples: no model instances for a page of 1000).
VALUE_COLUMNS = (
    "id", "period_id", "unit__code", "unit__valid_from", "unit__name", "period__code", "indicator__code", "option__code",
    "value", "is_estimate", "comment", "submission__status", "submission_id", "version", "updated_at",
)


def _value_row_out(row: tuple[Any, ...]) -> dict[str, Any]:
    """`_value_out` of a VALUE_COLUMNS tuple."""
    (_pk, _period_id, code, valid_from, name, period, indicator, option, value, is_estimate, comment, status, submission_id,
     version, updated_at) = row
    return {
        "unit": code, "unit_key": f"{code}@{valid_from.isoformat()}" if valid_from else code, "unit_name": name,
        "period": period, "indicator": indicator, "option": option, "value": csv.decimal_text(value),
        "is_estimate": is_estimate, "comment": comment, "status": status, "submission_id": submission_id,
        "version": version, "updated_at": updated_at,
    }


#: One report's values read in form order (a few hundred rows: no index needed).
REPORT_VALUE_ORDER = ("unit__code", "indicator__sort_order", "indicator__code", "option__sort_order", "option__code", "id")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")


def _indicator_id(code: str) -> int:
    pk = Indicator.objects.filter(code=nfc(code)).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound(
            _("There is no indicator with code “%(code)s”.") % {"code": code}, {"indicator": code}, code=ErrorCode.UNKNOWN_INDICATOR
        )
    return pk


def _dataset_id(code: str) -> int:
    pk = DataSet.objects.filter(code=nfc(code)).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound(_("There is no data set with code “%(code)s”.") % {"code": code}, {"dataset": code}, code=ErrorCode.UNKNOWN_DATASET)
    return pk


def _period_ids(text: str) -> list[int]:
    first, last = paging.period_range_parse(text)
    return selectors.period_ids_between(first=first, last=last)


def _next_link(request: HttpRequest, cursor: paging.Cursor) -> str:
    query = request.GET.copy()
    query.pop("offset", None)
    query["cursor"] = cursor.encode()
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/datavalues", response={200: DataValuePageOut, **ERRORS}, auth=authenticated, tags=VALUES,
    summary="Read data values (JSON or CSV), page by page",
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": (
        "unit,period,indicator,option,value,is_estimate,comment,status,version\r\n"
        "01,202603,RETAIL,,1234.5,false,,draft,1\r\n"
    )}}}}},
)
def datavalue_list(
    request: HttpRequest,
    dataset: str | None = None,
    period: str | None = Query(None, description="A period code (202603, 2026Q1, …) or a range of one kind: 202401..202412"),
    unit: str | None = None,
    indicator: str | None = None,
    status: str | None = None,
    updated_since: str | None = Query(
        None, description="Only values created or changed at or after this ISO 8601 date or date-time (no offset: Vietnam time)"
    ),
    format: Literal["json", "csv"] = "json",
    limit: int | None = limit_param(None, csv.MAX_ROWS, "JSON: default 1000, at most 10000; CSV: default and at most 200000"),
    cursor: str | None = Query(None, description="Where the page starts: the `next_cursor` of the previous page (opaque)"),
    offset: int = offset_param("Rows to skip (deprecated: slow on deep pages; follow `next` instead)"),
    count: bool = Query(False, description="true: also count every matching value (`count`; CSV: X-Total-Count) — slow on millions"),
) -> Any:
    """The values you may see: province users their own unit's values in any state plus other units' accepted
    values; the Ministry coordinator and administrators everything; everybody else accepted values only.

    Filters (all optional, unknown codes → 404, a bad period code → 422): `dataset` code, `period` code (202603,
    2026Q1, …) or range of one kind of period (`202401..202412`, `2024Q1..2025Q4`), `unit` (a code matches every
    unit record that carried it — `unit_key` tells them apart — a key such as `25@2025-07-01` one record),
    `indicator` code, `status` of the submission, `updated_since` (values created or changed since then: for
    clients that sync).

    Paging: values come in a stable order (period, then the order they were stored); a page holds `limit`
    values (default 1000) and, when there are more, `next` — the URL of the next page — and `next_cursor`
    (send it as `cursor` with the same filters). `count` is null unless asked with `count=true`: counting
    millions of values is slow. `offset` still works but is deprecated. A bad `cursor` or `updated_since`, or a
    range whose ends differ in kind or are reversed, is a 400 `invalid_parameter` naming the parameter.

    `value` is the exact stored decimal as text ("1234.5"). `format=csv` answers a UTF-8 file (with BOM) with the
    header `unit,period,indicator,option,value,is_estimate,comment,status,version` that POST /datavalues accepts
    back unchanged; with `count=true` the total is in the `X-Total-Count` header."""
    filters = selectors.ValueFilter(
        dataset_id=_dataset_id(dataset) if dataset else None,
        period_ids=_period_ids(period) if period else None,
        unit_ids=_unit_ids(unit) if unit else None,
        indicator_id=_indicator_id(indicator) if indicator else None,
        status=_status_check(status) if status else "",
        updated_since=paging.updated_since_parse(updated_since) if updated_since is not None else None,
    )
    after = paging.cursor_decode(cursor) if cursor is not None else None
    qs = selectors.values_for_api(user=request.user, filters=filters, after=(after.period_id, after.value_id) if after else None)
    total = qs.count() if count else None
    if after is not None:
        offset = 0
    if format == "csv":
        page_size = limit or csv.MAX_ROWS
        rows = (_value_row_out(row) for row in qs.values_list(*VALUE_COLUMNS)[offset : offset + page_size].iterator(chunk_size=2000))
        response = StreamingHttpResponse(csv.csv_write(rows), content_type="text/csv; charset=utf-8")
        name = "_".join(_safe_name(p) for p in ("datavalues", dataset, period, unit, indicator, status) if p)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        if total is not None:
            response["X-Total-Count"] = str(total)
        return response
    page_size = min(limit or 1000, 10_000)
    page = list(selectors.values_page(qs, offset, offset + page_size + 1, unit_ids=filters.unit_ids).values_list(*VALUE_COLUMNS))
    more = len(page) > page_size
    page = page[:page_size]
    following = paging.Cursor(page[-1][1], page[-1][0]) if more else None
    body = {
        "count": total, "limit": page_size, "offset": offset,
        "next": _next_link(request, following) if following else None,
        "next_cursor": following.encode() if following else None,
        "values": [_value_row_out(row) for row in page],
    }
    # Rows are built from plain tuples and written directly (the shape of DataValuePageOut): a page of 1000
    # values as model instances validated one by one cost ~10× the query itself at 10 million values.
    return HttpResponse(json.dumps(body, cls=NinjaJSONEncoder, ensure_ascii=False), content_type="application/json; charset=utf-8")


def _body_read(request: HttpRequest, reason: str) -> tuple[list[ValueItem], str, list[dict[str, Any]], str]:
    """(items, reason, problems found while reading, source) of a JSON or CSV body."""
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApplicationError(
            ErrorCode.TOO_LARGE, _("The request body is too large. Split the values into smaller batches."), status=413
        ) from None
    ctype = (request.content_type or "").lower()
    if not body.strip():
        raise ApplicationError(ErrorCode.EMPTY_BODY, _("The request body is empty."), status=400)
    if ctype in JSON_TYPES or ctype.endswith("+json"):
        try:
            data = json.loads(body, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ApplicationError(
                ErrorCode.INVALID_JSON, _("The body is not valid JSON (line %(line)s, column %(col)s: %(error)s).")
                % {"line": exc.lineno, "col": exc.colno, "error": exc.msg}, {"line": exc.lineno, "column": exc.colno}, status=400,
            ) from None
        except (ValueError, RecursionError):
            raise ApplicationError(ErrorCode.INVALID_JSON, _("The body is not valid JSON."), status=400) from None
        items, body_reason, problems = csv.json_read(data)
        return items, body_reason or reason, problems, "api"
    if ctype in CSV_TYPES:
        items, problems = csv.csv_read(csv.csv_decode(body, request.encoding))
        return items, reason, problems, "csv"
    raise ApplicationError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        _("Send the values as Content-Type: application/json or text/csv (got “%(type)s”).") % {"type": ctype or "—"},
        {"accepted": sorted(JSON_TYPES | CSV_TYPES)}, status=415,
    )


def _ref_order(error: dict[str, Any]) -> int:
    found = re.search(r"\d+", str(error.get("ref", "")))
    return int(found.group()) if found else -1


def _values_refused(errors: list[dict[str, Any]], total: int) -> ApplicationError:
    """One answer listing every problem; 403 when the only problem is that the user may not write there."""
    errors = sorted(errors, key=_ref_order)
    details = {"errors": errors[:1000], "error_count": total}
    if total == len(errors) and all(e.get("code") == "forbidden" for e in errors):
        return ApplicationError(
            ErrorCode.FORBIDDEN, _("You may not change any of these values; nothing was saved."), details, status=403,
        )
    return ValidationFailed(_("%(count)s error(s) found; nothing was saved.") % {"count": total}, details, code=ErrorCode.INVALID_VALUES)


def _apply_out(result: ApplyResult) -> dict[str, Any]:
    items = []
    for item in result.items[:MAX_ITEMS_OUT]:
        value = item.get("value")
        items.append({**item, "value": csv.decimal_text(Decimal(value)) if value is not None else None})
    return {**result.as_dict(), "items": items}


@router.post(
    "/datavalues", response={200: ApplyOut, **ERRORS, 413: ErrorOut, 415: ErrorOut}, auth=authenticated, tags=VALUES,
    summary="Write data values (JSON or CSV), optionally as a dry run",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": json_body_schema()},
        "text/csv": {"schema": {"type": "string"}, "example": (
            "unit,period,indicator,option,value,is_estimate,comment\r\n01,202603,RETAIL,,\"1.234,5\",false,\r\n"
        )},
    }}},
)
def datavalue_write(
    request: HttpRequest,
    dry_run: bool = Query(False, description="true: validate and report what would change, write nothing"),
    reason: str = Query("", description="Why the values change (CSV bodies; a JSON body has its own `reason`)"),
) -> dict[str, Any]:
    """Create, change or delete values, with the same permissions as the data entry form: province officers and
    directors write their own unit while its report is a draft or returned and the period is open.

    Body: JSON `{"values": [{"unit", "period", "indicator", "option", "value", "is_estimate", "comment",
    "version"}], "reason": ""}` or CSV (`Content-Type: text/csv`, UTF-8) with the header
    `unit,period,indicator,option,value,is_estimate,comment` (`status` and `version` columns of an export are
    accepted). Decimals may be written "1234.5" or Vietnamese "1.234,5"; an empty value deletes the stored one.
    Units are GSO codes, resolved to the unit valid on the report's due date, or keys `25@2025-07-01`.
    A `version` (the value's version you read; 0 = none) makes a concurrent change an error instead of an overwrite.

    All or nothing: the whole body is checked first and nothing is written if anything is wrong. Writing the same
    values again changes nothing (`unchanged`). At most 200 000 values per request.

    Errors: 409 `version_conflict` when every problem is a `version` that is no longer the stored one (someone else
    changed the value meanwhile, also at the same moment: exactly one concurrent writer wins), with the same
    `details.errors`; 422 `invalid_values` with `details.errors` = every problem as `{ref, field, code, message}` (`ref` is
    `values[i]` for JSON, `row N` for CSV with the header as row 1); a value the user may not write has code
    `forbidden`, and when *every* problem is of that kind the status is **403** (code `forbidden`, same details).
    400 `empty_body` / `invalid_json` / `invalid_body` / `invalid_header` / `invalid_csv` / `invalid_encoding`;
    413 `too_many_rows` / `too_large`; 415 `unsupported_media_type`; 401 without authentication."""
    user = request.user
    items, reason, problems, source = _body_read(request, nfc(reason))
    reason = nfc(reason)
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            _("The reason has %(length)s characters; at most %(max)s are allowed.") % {"length": len(reason), "max": MAX_REASON},
            {"field": "reason", "max_length": MAX_REASON}, code=ErrorCode.TOO_LONG,
        )
    if problems:  # check the readable values too, so one answer lists every problem
        listed, total = services.datavalues_problems(actor=user, items=items, problems=problems, source=source, reason=reason)
        raise _values_refused(listed, total)
    try:
        result = services.datavalues_apply(actor=user, items=items, source=source, dry_run=dry_run, reason=reason)
    except ValidationFailed as exc:
        if exc.code != "invalid_values":
            raise
        raise _values_refused(list(exc.details["errors"]), int(exc.details["error_count"])) from None
    return _apply_out(result)


# ---------------------------------------------------------------------------------------------------------
# Submissions and the workflow


def _name(user: Any) -> str | None:
    return user.display_name if user is not None else None


def _submission_out(sub: Submission, user: Any) -> dict[str, Any]:
    return {
        "id": sub.pk, "dataset": sub.dataset.code, "unit": sub.unit.code, "unit_key": sub.unit.key, "unit_name": sub.unit.name,
        "period": sub.period.code, "period_label": sub.period.label(), "status": sub.status, "version": sub.version,
        "due_date": sub.due_date, "edit_deadline": sub.edit_deadline, "on_time": sub.on_time,
        "submitted_at": sub.submitted_at, "submitted_by": _name(sub.submitted_by),
        "approved_at": sub.approved_at, "approved_by": _name(sub.approved_by),
        "accepted_at": sub.accepted_at, "accepted_by": _name(sub.accepted_by),
        "returned_at": sub.returned_at, "returned_by": _name(sub.returned_by), "return_reason": sub.return_reason,
        "reopened_until": sub.reopened_until, "is_sample": sub.is_sample,
        "created_at": sub.created_at, "updated_at": sub.updated_at,
        "allowed_actions": permissions.allowed_actions(user, sub),
        "can_edit_values": permissions.can_edit_values(user, sub),
    }


SUBMISSION_RELATED = ("dataset", "unit", "period", "submitted_by", "approved_by", "accepted_by", "returned_by")


def _submission_reload(pk: int) -> Submission:
    return Submission.objects.select_related(*SUBMISSION_RELATED).get(pk=pk)


@router.get(
    "/submissions", response={200: SubmissionPageOut, **ERRORS}, auth=authenticated, tags=WORKFLOW,
    summary="Submissions you may see",
)
def submission_list(
    request: HttpRequest,
    dataset: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    limit: int = limit_param(100, 1000),
    offset: int = offset_param(),
) -> dict[str, Any]:
    """Reports (one data set × unit × period) with their workflow state, deadlines and the actions you may fire
    now (`allowed_actions`). Same visibility as data values: own unit any state, others accepted only, the
    coordinator everything. Filters as for GET /datavalues."""
    user = request.user
    qs = selectors.submission_search(
        user=user, dataset=_dataset_get(dataset) if dataset else None, period_code=parse_period(period).code if period else "",
        unit_ids=_unit_ids(unit) if unit else None, status=_status_check(status) if status else "",
    ).select_related(*SUBMISSION_RELATED)
    return {
        "count": qs.count(), "limit": limit, "offset": offset,
        "submissions": [_submission_out(s, user) for s in qs[offset : offset + limit]],
    }


@router.post(
    "/submissions", response={200: SubmissionOut, 201: SubmissionOut, **ERRORS}, auth=authenticated, tags=WORKFLOW,
    summary="Open (start) the report of a unit for a period",
)
def submission_create(request: HttpRequest, payload: SubmissionOpenIn) -> Status[dict[str, Any]]:
    """Start the draft report of `unit` for `dataset` and `period` (201), or return the existing one (200).
    Province users open their own unit's report, the coordinator any. 404 for an unknown data set or unit;
    422 `invalid_period`, `wrong_period_type` or `not_a_reporting_unit`."""
    user = request.user
    dataset = _dataset_get(payload.dataset)
    spec = _period_for(dataset, payload.period)
    problem = unit_key_problem(nfc(payload.unit))
    if problem:
        raise ValidationFailed(problem, {"unit": payload.unit}, code=ErrorCode.INVALID_UNIT)
    unit = selectors.unit_resolve(code=payload.unit, dataset=dataset, period=spec)
    existed = Submission.objects.filter(dataset=dataset, unit=unit, period__code=spec.code).exists()
    sub = services.submission_open(dataset=dataset, unit=unit, period_code=spec.code, actor=user)
    return Status(200 if existed else 201, _submission_out(_submission_reload(sub.pk), user))


@router.get(
    "/submissions/{submission_id}", response={200: SubmissionDetailOut, **ERRORS}, auth=authenticated, tags=WORKFLOW,
    summary="One submission with its values",
)
def submission_detail(request: HttpRequest, submission_id: int = id_path("Submission id")) -> dict[str, Any]:
    """The submission and all its values. 404 if it does not exist, 403 if you may not see it (another
    province's report that is not accepted yet)."""
    user = request.user
    sub = permissions.submission_get_for_user(id=submission_id, user=user)
    sub = _submission_reload(sub.pk)
    values = sub.values.select_related("unit", "period", "indicator", "option", "submission").order_by(*REPORT_VALUE_ORDER)
    return {**_submission_out(sub, user), "values": [_value_out(dv) for dv in values]}


def _transition_body(request: HttpRequest) -> TransitionIn:
    """The optional JSON body of a workflow action: none at all means no reason and no version check."""
    if not request.body.strip():
        return TransitionIn.model_validate({})
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        raise ApplicationError(ErrorCode.INVALID_JSON, _("The body is not valid JSON."), status=400) from None
    if not isinstance(data, dict):
        raise ApplicationError(ErrorCode.INVALID_BODY, _("The body must be a JSON object such as {\"reason\": \"...\", \"version\": 3}."), status=400)
    try:
        return TransitionIn.model_validate(data)
    except PydanticValidationError as exc:
        details = [{"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"], "type": err["type"]} for err in exc.errors()]
        fields = ", ".join(d["field"] for d in details)
        raise ValidationFailed(_("Invalid input: %(fields)s") % {"fields": fields}, details) from None


@router.post(
    "/submissions/{submission_id}/{action}", response={200: SubmissionOut, **ERRORS}, auth=authenticated, tags=WORKFLOW,
    summary="Fire a workflow action: submit, approve, return, accept or reopen",
    openapi_extra={"requestBody": {"required": False, "content": {"application/json": {
        "schema": {k: v for k, v in TransitionIn.model_json_schema().items() if k != "title"},
        "example": {"reason": "Số liệu tháng 3 chưa khớp với báo cáo quý", "version": 3},
    }}}},
)
def submission_action(request: HttpRequest, action: str, submission_id: int = id_path("Submission id")) -> dict[str, Any]:
    """`action` is one of submit (province officer or director), approve and return a submitted report (the
    unit's director), accept and return an approved report (Ministry coordinator), reopen (coordinator or
    administrator). Body (optional): `{"reason": "...", "version": N, "reopen_days": D}` — a reason is required
    to return or reopen (422 `reason_required`); `version` is the submission version you saw, and if someone
    changed the report meanwhile the answer is 409 `version_conflict`. 409 `invalid_transition` when the report
    is not in a state the action applies to; 403 when your role may not fire it; 422 `unknown_action`; 422
    `validation_failed` when the report breaks validation rules on submit."""
    user = request.user
    transition_get(action)
    body = _transition_body(request)
    sub = permissions.submission_get_for_user(id=submission_id, user=user)
    sub = services.submission_transition(
        submission=sub, actor=user, action=action, reason=body.reason, expected_version=body.version,
        reopen_days=body.reopen_days,
    )
    return _submission_out(_submission_reload(sub.pk), user)


# ---------------------------------------------------------------------------------------------------------
# Completeness


@router.get(
    "/completeness", response={200: CompletenessOut, **ERRORS}, auth=authenticated, tags=WORKFLOW,
    summary="Completeness and timeliness of a data set for a period",
)
def completeness(request: HttpRequest, dataset: str, period: str) -> dict[str, Any]:
    """Which of the units due to report `dataset` for `period` (members of its reporting group on the due date)
    have no report yet (`missing`), a draft, or have submitted / been approved / accepted, and whether on time.
    Statuses only, no values, so every signed-in user may read it. 404 unknown data set; 422 bad period."""
    ds = _dataset_get(dataset)
    spec = _period_for(ds, period)
    return selectors.completeness(dataset=ds, period_code=spec.code).as_dict()
