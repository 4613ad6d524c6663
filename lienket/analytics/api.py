"""GET /api/v1/analytics: the engine's answer as JSON, CSV, XLSX or SDMX-CSV — thin: parse, one selector, one
export. Public: an anonymous caller sees accepted figures only (reporting.permissions.figures_visible_submissions)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from lienket.core.api import ERRORS

from . import exports
from .query import query_parse
from .selectors import analytics_table

router = Router(tags=["analytics"])

CONTENT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sdmx-csv": ("application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", "csv"),
}


class ExplanationOut(Schema):
    rule: str
    units: list[str]
    periods: list[str]
    missing: list[str]
    notes: list[str]
    present: int
    expected: int


class CellOut(Schema):
    value: str | None
    display: str
    status: str
    partial: str
    derived: bool
    unaccepted: bool
    explanation: ExplanationOut


class RowOut(Schema):
    key: str
    label: str
    kind: str
    cells: list[CellOut]


class ColumnOut(Schema):
    key: str
    label: str
    unit_of_measure: str
    indicator: str
    period: str | None
    entity: str | None
    option: str | None


class AnalyticsOut(Schema):
    query: dict[str, str]
    generated_at: str
    source: str
    columns: list[ColumnOut]
    rows: list[RowOut]


EXAMPLE = {
    "query": {"indicator": "EXPORT", "period": "202401", "by": "unit", "measure": "value", "group": "north"},
    "generated_at": "2026-04-10T09:00:00+07:00",
    "source": "LienKet",
    "columns": [{"key": "EXPORT||202401", "label": "Kim ngạch xuất khẩu · Tháng 01/2024", "unit_of_measure": "triệu USD",
                 "indicator": "EXPORT", "period": "202401", "entity": None, "option": None}],
    "rows": [{"key": "north", "label": "Khu vực phía Bắc", "kind": "group", "cells": [{
        "value": "120", "display": "120,0", "status": "partial", "partial": "2/3 đơn vị", "derived": False,
        "unaccepted": False, "explanation": {"rule": "Across units: sum of the members' values; over time: months summed.",
                                             "units": ["Hà Nội", "Phú Thọ"], "periods": ["202401"],
                                             "missing": ["Vĩnh Phúc"], "notes": [], "present": 2, "expected": 3}}]}],
}


@router.get(
    "", response={200: AnalyticsOut, **ERRORS}, summary="Aggregated figures with how each was obtained",
    openapi_extra={
        "parameters": [
            {"in": "query", "name": "indicator", "required": True, "schema": {"type": "string"}, "example": "EXPORT,CCN_RATE",
             "description": "Indicator code(s), comma-separated"},
            {"in": "query", "name": "period", "required": True, "schema": {"type": "string"}, "example": "202401..202412",
             "description": "Period code(s) (202401, 2024Q1, 2024S1, 2024N9, 2024), comma-separated, or a range `202401..202412`"},
            {"in": "query", "name": "unit", "schema": {"type": "string"}, "example": "01,25@2025-07-01",
             "description": "Unit key(s) (code, or code@valid-from); or use `group`"},
            {"in": "query", "name": "group", "schema": {"type": "string"}, "example": "north",
             "description": "Group key (default `north`, the conference region; members taken at each period's date)"},
            {"in": "query", "name": "by", "schema": {"type": "string", "enum": ["unit", "subregion", "period", "option"]},
             "example": "subregion", "description": "What goes in the rows"},
            {"in": "query", "name": "measure", "schema": {"type": "string", "enum": [
                "value", "yoy", "yoy_abs", "ytd", "plan_pct", "per_capita", "per_km2", "share", "rank", "count_above"]},
             "example": "yoy"},
            {"in": "query", "name": "threshold", "schema": {"type": "string"}, "example": "100",
             "description": "For count_above: a number, or `group` / `national` for the group's or the country's value"},
            {"in": "query", "name": "option", "schema": {"type": "string"}, "description": "Disaggregation option code(s)"},
            {"in": "query", "name": "format", "schema": {"type": "string", "enum": ["json", "csv", "xlsx", "sdmx-csv"]},
             "example": "json"},
        ],
        "responses": {200: {"content": {
            "application/json": {"example": EXAMPLE},
            "text/csv": {"schema": {"type": "string"}},
            CONTENT_TYPES["xlsx"][0]: {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.sdmx.data+csv; version=2.0.0": {"schema": {"type": "string"}, "example": (
                "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,DISAGGREGATION,MEASURE,TIME_PERIOD,OBS_VALUE,"
                "UNIT_MEASURE,OBS_STATUS,COMMENT\ndataflow,LIENKET:DF_ANALYTICS(1.0),I,north,EXPORT,_T,VALUE,2024-01,"
                "150.0,triệu USD,A,\n")},
        }}},
    },
)
def analytics_get(request: HttpRequest) -> Any:
    """Figures of indicators × periods × units or a group, by the catalogue's rules (sums, ratios recomputed from
    parts, weighted averages, stocks; indices refused as totals), across the 1/7/2025 merger, each with its
    explanation. Partial totals say so (`partial`: "18/28 units", `explanation.missing`). The Ministry and the
    public see accepted figures only; a province also its own unaccepted ones (`unaccepted: true`).
    A bad parameter → 400 `analytics_bad_parameter` with `details.parameter` naming it."""
    query = query_parse(request.GET)
    table = analytics_table(user=request.user, query=query)
    if query.fmt == "json":
        return table.as_dict()
    return export_response(table, query.fmt)


def export_response(table: Any, fmt: str) -> HttpResponse:
    content_type, ext = CONTENT_TYPES[fmt]
    body = {"csv": exports.csv_bytes, "xlsx": exports.xlsx_bytes, "sdmx-csv": exports.sdmx_csv_bytes}[fmt](table)
    response = HttpResponse(body, content_type=content_type)
    name = "lienket-analytics" + ("-sdmx" if fmt == "sdmx-csv" else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response
