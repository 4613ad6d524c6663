"""Reading filled-in templates.

Reading produces `values.ValueItem`s whose `ref` is the cell (`Biểu 01 - Hà Nội!F7`); writing them is
left to `services.datavalues_apply`, the single write path. Cell rules, also printed in the template:

* a number (or a numeric text in Vietnamese format, `1.234,5`) sets the value, rounded half-up to the indicator's
  decimals (a formula's cached 2438,063636 in a cell showing 2.438,1 is 2438.1);
* a number in a percent-formatted cell (Excel stores 1.125 when someone types `112,5%`) is 112.5 for an indicator
  kept in per cent and refused, naming the cell, for any other; the template formats those rows `#,##0.00" %"`;
* the "Total" row of a disaggregated indicator is its reported total, checked against the parts below it;
* an empty value cell leaves the stored value unchanged (it is *not* a deletion: a cleared cell is too easy
  to produce by accident) — unless the uploader asks for "empty cells delete values";
* `-` deletes the stored value;
* column G holds `x` for an estimate (ước tính); column H a comment. Both are read only on rows whose value
  cell is filled (a number or `-`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed
from lienket.core.formats import format_number, parse_number
from lienket.core.text import nfc
from lienket.regions.keys import unit_key_parse
from lienket.regions.models import AdminUnit

from ..models import DataSet, Indicator
from ..periods import parse_period
from ..values import ValueItem
from .mapping import (
    _READ_SET,
    _REF,
    COL_CODE,
    COL_COMMENT,
    COL_ESTIMATE,
    COL_OPTION,
    COL_VALUE,
    DELETE_MARKERS,
    ESTIMATE_MARKERS,
    FORMAT_VERSION,
    MAPPING_MAGIC,
    MAPPING_SHEET,
    READ_COLUMNS,
    Mapping,
    RowSpec,
)
from .workbook import (
    Book,
    Formula,
    PercentNumber,
    _check_zip,
    _open_book,
    _reading,
    _Refused,
    _text,
    _Unsupported,
)

# ---------------------------------------------------------------------------------------------------------
# Reading filled-in templates


@dataclass
class SheetInfo:
    title: str
    unit_key: str
    unit: AdminUnit | None = None

    @property
    def unit_label(self) -> str:
        return f"{self.unit.name}, {self.unit_key}" if self.unit else self.unit_key


@dataclass
class ParsedWorkbook:
    filename: str
    items: list[ValueItem] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    fatal: bool = False  # the file itself is unusable: no item was read
    dataset: DataSet | None = None
    period: str = ""
    sheets: list[SheetInfo] = field(default_factory=list)
    rows_total: int = 0
    cells_read: int = 0
    #: Things the uploader must know although nothing is wrong, e.g. a formula's saved result was used (same
    #: shape as errors: ref, sheet, cell, code, message).
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: What the file is: "xlsx" (also .xlsm), "ods" or "xls" (workbook.XLSX, ODS, XLS); "" when unreadable.
    kind: str = ""
    #: The row of every (indicator code, option code or "") in each unit sheet (the same in every sheet).
    rows: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def sheet_of(self, title: str) -> SheetInfo | None:
        for s in self.sheets:
            if s.title == title:
                return s
        return None


#: What Excel and LibreOffice save as the result of a formula that failed.
EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!",
    "#BLOCKED!", "#CONNECT!", "#BUSY!", "#FIELD!", "#UNKNOWN!", "Err:502", "Err:504", "Err:508", "Err:522",
})


def error_dict(*, ref: str, code: str, message: str, field_name: str = "value") -> dict[str, Any]:
    """An error in the shape datavalues_apply uses, with `sheet` and `cell` split out for display."""
    m = _REF.match(ref)
    return {
        "ref": ref, "field": field_name, "code": code, "message": f"{ref}: {message}" if ref else message,
        "sheet": m.group("sheet") if m else ref, "cell": f"{m.group('col')}{m.group('row')}" if m else "",
    }


def error_sort_key(sheet_order: dict[str, int]) -> Callable[[dict[str, Any]], tuple[int, int, str]]:
    """Errors in reading order: sheet by sheet, row by row, column by column."""

    def key(err: dict[str, Any]) -> tuple[int, int, str]:
        m = _REF.match(err.get("ref") or "")
        if not m:
            return (sheet_order.get(err.get("ref") or "", -1), 0, "")
        return (sheet_order.get(m.group("sheet"), len(sheet_order)), int(m.group("row")), m.group("col"))

    return key


def _read_mapping(book: Book, filename: str) -> Mapping:
    not_ours = _("“%(file)s” is not a LienKet template (its hidden description is missing or was changed). "
                 "Download the template from LienKet, fill it in and upload that file.") % {"file": filename}
    if MAPPING_SHEET not in book.sheet_names:
        raise _Refused("not_a_template", not_ours)
    rows = (values for _row_no, values in book.rows(MAPPING_SHEET, min_row=1, max_col=7))
    try:
        head = next(rows)
        if head[0] != MAPPING_MAGIC:
            raise _Refused("not_a_template", not_ours)
        version = int(head[1])
        if version != FORMAT_VERSION:
            raise _Refused("template_version", _("“%(file)s” was made by another version of LienKet's template "
                                                 "(%(version)s). Download a new template.") % {"file": filename, "version": version})
        mapping = Mapping(
            version=version, dataset=_text(head[2]), period=_text(head[3]), first_row=int(head[4]), sheets=[], rows=[],
            signature=_text(head[5]), generated_at=_text(head[6]) if len(head) > 6 else "",
        )
        for rec in rows:
            if not rec or rec[0] is None:
                if any(v is not None for v in rec):
                    raise _Refused("not_a_template", not_ours)
                continue
            if rec[0] == "S":
                mapping.sheets.append((_text(rec[1]), _text(rec[2])))
            elif rec[0] == "R":
                mapping.rows.append(RowSpec(int(rec[1]), _text(rec[2]), _text(rec[3]), _text(rec[4])))
            else:
                raise _Refused("not_a_template", not_ours)
    except (StopIteration, IndexError, TypeError, ValueError):
        raise _Refused("not_a_template", not_ours) from None
    if not mapping.signature_ok():
        raise _Refused("tampered_template", _("The hidden description of “%(file)s” does not match its signature: it "
                                              "was edited or made for another LienKet server. Download a new template.")
                       % {"file": filename})
    return mapping


def _parse_value(raw: Any) -> tuple[str, Decimal | str | None, str]:
    """(kind, number, problem): kind is "empty", "delete", "number", "percent" or "error" (problem says why).

    "percent" is a number from a percent-formatted cell: the fraction the cell holds (1.125 for 112,5 %); what it
    means depends on the indicator (`_read_sheets`). A text such as "112,5%" comes back as the text: the write
    path reads the sign per indicator (values.value_parse)."""
    if raw is None:
        return "empty", None, ""
    if isinstance(raw, bool):
        return "error", None, _('"%(value)s" is not a number') % {"value": raw}
    if isinstance(raw, PercentNumber):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return "error", None, _('"%(value)s" is not a number') % {"value": raw}
        return "percent", Decimal(repr(float(raw))), ""
    if isinstance(raw, int):
        return "number", Decimal(raw), ""
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return "error", None, _('"%(value)s" is not a number') % {"value": raw}
        return "number", Decimal(repr(raw)), ""
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        return "error", None, _("a date or time is not a number; format the cell as a number")
    text = str(raw).strip()
    if not text:
        return "empty", None, ""
    if text in DELETE_MARKERS:
        return "delete", None, ""
    if text.endswith("%"):
        return "number", text, ""
    try:
        return "number", parse_number(text, lang="vi"), ""
    except (ValidationFailed, InvalidOperation, ValueError):
        shown = text if len(text) <= 50 else text[:49] + "…"
        return "error", None, _('"%(value)s" is not a number') % {"value": shown}


def workbook_parse(
    *, data: bytes, filename: str, empty_deletes: bool = False, expected_dataset: str | None = None,
    expected_period: str | None = None, progress: Callable[[int, int], None] | None = None, reader: str = "fast",
) -> ParsedWorkbook:
    """Read a filled-in template into ValueItems (refs `Sheet!F7`). Problems with the file as a whole (not a
    workbook, too large, a zip bomb, not our template, forged mapping, unknown data set, missing sheets) come
    back as one error with `fatal` set; problems with cells (not a number, moved rows, a bad estimate mark)
    as one error per cell. Nothing is written; permissions and bounds are checked by datavalues_apply.
    The file may be .xlsx/.xlsm, .ods or .xls (its content decides; see workbook.py). For .xlsx,
    `reader="openpyxl"` skips the fast reader (which falls back to openpyxl by itself when it must) and
    `reader="calamine"` reads it with python-calamine, the reader of .ods and .xls."""
    filename = nfc(filename).rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "upload.xlsx"
    try:
        return _parse(data, filename, reader=reader, empty_deletes=empty_deletes, expected_dataset=expected_dataset,
                      expected_period=expected_period, progress=progress)
    except _Unsupported:
        return _parse(data, filename, reader="openpyxl", empty_deletes=empty_deletes, expected_dataset=expected_dataset,
                      expected_period=expected_period, progress=progress)


def _parse(
    data: bytes, filename: str, *, reader: str, empty_deletes: bool, expected_dataset: str | None,
    expected_period: str | None, progress: Callable[[int, int], None] | None,
) -> ParsedWorkbook:
    result = ParsedWorkbook(filename=filename)
    try:
        kind = _check_zip(data, filename)
        result.kind = kind
        with _reading(filename):
            book = _open_book(data, reader=reader, kind=kind)
        try:
            with _reading(filename):
                mapping = _read_mapping(book, filename)
            _resolve(result, mapping, expected_dataset=expected_dataset, expected_period=expected_period)
            missing = [t for t, _k in mapping.sheets if t not in book.sheet_names]
            if missing:
                raise _Refused("missing_sheet", _("“%(file)s” lacks the sheet(s) %(sheets)s of the template; sheets must "
                                                  "not be renamed or deleted.") % {"file": filename, "sheets": ", ".join(f"“{m}”" for m in missing)})
            with _reading(filename):
                _read_sheets(result, book, mapping, empty_deletes=empty_deletes, progress=progress)
        finally:
            book.close()
    except _Refused as exc:
        result.fatal = True
        result.items = []
        # The message already names the file.
        result.errors = [{"ref": filename, "field": "file", "code": exc.code, "message": exc.message, "sheet": "", "cell": ""}]
    return result


def _resolve(result: ParsedWorkbook, mapping: Mapping, *, expected_dataset: str | None, expected_period: str | None) -> None:
    """The data set, period and units the mapping names, as they are now in the database."""
    filename = result.filename
    dataset = DataSet.objects.filter(code=mapping.dataset).select_related("reporting_group").first()
    if dataset is None or not dataset.is_active:
        raise _Refused("unknown_dataset", _("“%(file)s” is a template of data set %(dataset)s, which is not collected "
                                            "any more.") % {"file": filename, "dataset": mapping.dataset})
    try:
        spec = parse_period(mapping.period)
    except ValidationFailed:
        raise _Refused("not_a_template", _("“%(file)s” names an unknown period “%(period)s”.")
                       % {"file": filename, "period": mapping.period}) from None
    if spec.period_type != dataset.period_type:
        raise _Refused("wrong_period", _("“%(file)s”: data set %(dataset)s is not reported for period %(period)s.")
                       % {"file": filename, "dataset": dataset.code, "period": spec.label()})
    if expected_dataset and expected_dataset != dataset.code:
        raise _Refused("wrong_dataset", _("“%(file)s” is the template of %(found)s, not of %(expected)s. Download the "
                                          "template of %(expected)s.") % {"file": filename, "found": dataset.code, "expected": expected_dataset})
    if expected_period:
        try:
            expected = parse_period(expected_period).code
        except ValidationFailed:
            expected = expected_period
        if expected != spec.code:
            raise _Refused("wrong_period", _("“%(file)s” is the template for %(found)s, not for %(expected)s.")
                           % {"file": filename, "found": spec.label(), "expected": expected})
    result.dataset, result.period = dataset, spec.code
    keys = {k for _t, k in mapping.sheets}
    q = Q(pk__in=[])
    for key in keys:
        try:
            q |= unit_key_parse(key).record_q()
        except ValidationFailed:
            continue
    units = {u.key: u for u in AdminUnit.objects.filter(q)}
    for title, key in mapping.sheets:
        unit = units.get(key)
        if unit is None:
            raise _Refused("unknown_unit", _("Sheet “%(sheet)s” of “%(file)s” is for unit %(unit)s, which does not exist.")
                           % {"sheet": title, "file": filename, "unit": key})
        result.sheets.append(SheetInfo(title, key, unit))


def _read_sheets(
    result: ParsedWorkbook, book: Book, mapping: Mapping, *, empty_deletes: bool,
    progress: Callable[[int, int], None] | None,
) -> None:
    dataset = result.dataset
    if dataset is None:  # set by _resolve
        return
    collected = set(dataset.elements.values_list("indicator__code", flat=True))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=collected)}
    by_row = {r.row: r for r in mapping.rows}
    result.rows = {(r.indicator, r.option): r.row for r in mapping.rows}
    first, last = mapping.first_row, max(by_row, default=mapping.first_row)
    period = result.period
    total = len(mapping.rows) * len(result.sheets)
    result.rows_total = total
    done = 0
    errors, items, warnings = result.errors, result.items, result.warnings
    stale_reported: set[str] = set()
    step = 2000
    for sheet in result.sheets:
        title, unit = sheet.title, sheet.unit
        if unit is None:  # resolved by _resolve
            continue
        for row_no, values in book.rows(title, min_row=first, max_col=READ_COLUMNS, columns=_READ_SET):
            spec = by_row.get(row_no)
            n = len(values)
            raw = values[COL_VALUE - 1] if n >= COL_VALUE else None
            est_raw = values[COL_ESTIMATE - 1] if n >= COL_ESTIMATE else None
            comment_raw = values[COL_COMMENT - 1] if n >= COL_COMMENT else None
            if isinstance(raw, Formula) and spec is not None:
                ok, raw = _formula_value(raw, f"{title}!F{row_no}", errors, warnings)
                if not ok:
                    continue
            if spec is None:
                if (raw not in (None, "") or est_raw not in (None, "")) and row_no > last:
                    ref = f"{title}!F{row_no}"
                    errors.append(error_dict(ref=ref, code="outside_template", message=_(
                        "this cell is outside the rows of the template and would be lost; add indicators in LienKet, "
                        "not in the file")))
                continue
            done += 1
            if progress is not None and done % step == 0:
                progress(done, total)
            kind, number, problem = _parse_value(raw)
            if kind == "empty":
                if not empty_deletes:
                    continue
                kind = "delete"
            code_seen = _text(_plain_value(values[COL_CODE - 1])) if n >= COL_CODE else ""
            option_seen = _text(_plain_value(values[COL_OPTION - 1])) if n >= COL_OPTION else ""
            if code_seen != spec.indicator or option_seen != spec.option_label:
                errors.append(error_dict(ref=f"{title}!B{row_no}", code="moved_row", field_name="indicator", message=_(
                    "row %(row)s should hold %(code)s%(option)s but holds “%(seen)s”; rows must not be inserted, deleted "
                    "or moved. Download a new template.") % {
                        "row": row_no, "code": spec.indicator, "option": f" ({spec.option_label})" if spec.option_label else "",
                        "seen": " / ".join(x for x in (code_seen, option_seen) if x) or "—"}))
                continue
            if spec.indicator not in collected:
                if spec.indicator not in stale_reported:
                    stale_reported.add(spec.indicator)
                    errors.append(error_dict(ref=f"{title}!B{row_no}", code="stale_template", field_name="indicator", message=_(
                        "indicator %(code)s is no longer part of %(dataset)s; download a new template.")
                        % {"code": spec.indicator, "dataset": dataset.code}))
                continue
            ref = f"{title}!F{row_no}"
            if kind == "error":
                errors.append(error_dict(ref=ref, code="invalid_value", message=problem))
                continue
            if kind == "percent" and isinstance(number, Decimal):
                # The cell shows "112,5 %" and holds 1.125. For an indicator kept in per cent that is 112.5; for
                # any other the person meant either number, so ask instead of guessing.
                indicator = indicators[spec.indicator]
                number = (number * 100).normalize()
                if not indicator.in_percent:
                    errors.append(error_dict(ref=ref, code="percent_format", message=_(
                        "the cell is formatted as a percentage (it shows %(shown)s %%), but %(code)s is measured in "
                        "%(uom)s, not in per cent; format the cell as a number and enter the value in %(uom)s")
                        % {"shown": format_number(number), "code": spec.indicator, "uom": indicator.uom(translation.get_language() or "vi")}))
                    continue
                kind = "number"
            estimate: bool | None = None
            comment: str | None = None
            if kind == "number":
                if isinstance(est_raw, Formula):
                    ok, est_raw = _formula_value(est_raw, f"{title}!G{row_no}", errors, warnings)
                    if not ok:
                        continue
                if isinstance(comment_raw, Formula):
                    ok, comment_raw = _formula_value(comment_raw, f"{title}!H{row_no}", errors, warnings)
                    if not ok:
                        continue
                est_text = _text(est_raw)
                if est_text and est_text not in ESTIMATE_MARKERS:
                    errors.append(error_dict(ref=f"{title}!G{row_no}", code="invalid_estimate", field_name="is_estimate",
                                             message=_("write “x” for an estimate or leave the cell empty, not “%(value)s”")
                                             % {"value": est_text[:20]}))
                    continue
                estimate = bool(est_text)
                comment = _text(comment_raw)
            items.append(ValueItem(
                unit=unit, period=period, indicator=spec.indicator, value=number,
                option=spec.option or None, is_estimate=estimate, comment=comment, ref=ref,
            ))
    if progress is not None:
        progress(total, total)


def _plain_value(value: Any) -> Any:
    return value.cached if isinstance(value, Formula) else value


def _formula_value(cell: Formula, ref: str, errors: list[dict[str, Any]], warnings: list[dict[str, Any]]) -> tuple[bool, Any]:
    """(usable, value) of a formula in a cell that is read. The result the spreadsheet program saved is used
    and the uploader is told so, naming the cell; a formula without a saved result, or whose result is an
    error, is refused with its cell — never read as an empty cell (which would leave the value unsaved)."""
    shown = "=" + (cell.text if len(cell.text) <= 60 else cell.text[:59] + "…")
    cached = cell.cached
    if cached is None:
        errors.append(error_dict(ref=ref, code="formula_without_value", message=_(
            "the formula %(formula)s has no computed value in the file (it was saved by a program that does not "
            "calculate formulas). Open the file in Excel or LibreOffice and save it again, or type the value.")
            % {"formula": shown}))
        return False, None
    if isinstance(cached, str) and cached.strip() in EXCEL_ERRORS:
        errors.append(error_dict(ref=ref, code="formula_error", message=_(
            "the formula %(formula)s gives the error %(error)s; correct it or type the value.")
            % {"formula": shown, "error": cached.strip()}))
        return False, None
    if isinstance(cached, bool | int | float):
        seen = format_number(Decimal(repr(cached)) if isinstance(cached, float) else Decimal(int(cached)))
    else:
        seen = f"“{_text(cached)[:50]}”"
    if "[" in cell.text:
        message = _("the formula %(formula)s refers to another file; the value it had when this file was saved "
                    "(%(value)s) was used.")
    else:
        message = _("the formula %(formula)s was not kept; the value it had when the file was saved (%(value)s) "
                    "was used.")
    warnings.append(error_dict(ref=ref, code="formula_value_used", message=message % {"formula": shown, "value": seen}))
    return True, cached


def sheet_order(parsed: ParsedWorkbook) -> dict[str, int]:
    return {s.title: i for i, s in enumerate(parsed.sheets)}
