"""Excel templates that map back exactly, and the reader of filled-in templates.

A template is an ordinary .xlsx workbook: one sheet per reporting unit (title block, Vietnamese headers,
one row per indicator × disaggregation option, locked labels, data validation) plus a very hidden sheet
`_lienket` that says what every row means: the data set, the period, the unit of each sheet (by its
`AdminUnit.key`, never the bare GSO code) and the indicator + option of each row. The mapping is signed
with an HMAC of settings.SECRET_KEY, so a hand-edited mapping is detected instead of writing numbers to the
wrong unit or indicator; the visible code column is checked against it, so moved rows are detected too.

Reading produces `services.ValueItem`s whose `ref` is the cell (`Biểu 01 - Hà Nội!F7`); writing them is
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
import html
import io
import json
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from lienket.core import xlsx_safe
from lienket.core.errors import ValidationFailed
from lienket.core.formats import format_number, parse_number
from lienket.core.text import nfc
from lienket.regions.models import AdminUnit

from .codes import ErrorCode
from .models import DataSet, DataSetElement, DataValue, DisaggregationOption, Indicator, Target
from .periods import PeriodSpec, parse_period
from .services import ValueItem

FORMAT_VERSION = 1
MAPPING_SHEET = "_lienket"
MAPPING_MAGIC = "LIENKET"
_HMAC_SALT = "lienket.reporting.xlsx.mapping"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Layout of a data sheet. Values live in column F from row 7: `Biểu 01 - Hà Nội!F7`.
FIRST_DATA_ROW = 7
HEADER_ROW = 6
COL_STT, COL_CODE, COL_NAME, COL_UOM, COL_OPTION, COL_VALUE, COL_ESTIMATE, COL_COMMENT, COL_LAST_YEAR, COL_PLAN = range(1, 11)
LETTER = {COL_VALUE: "F", COL_ESTIMATE: "G", COL_COMMENT: "H", COL_CODE: "B", COL_OPTION: "E"}
COLUMN_WIDTHS = {"A": 6, "B": 16, "C": 52, "D": 12, "E": 18, "F": 18, "G": 10, "H": 32, "I": 18, "J": 18}
READ_COLUMNS = COL_COMMENT  # columns A..H are read back; I and J are for information only
_READ_SET = frozenset({COL_CODE, COL_OPTION, COL_VALUE, COL_ESTIMATE, COL_COMMENT})

DELETE_MARKERS = frozenset({"-", "–", "—"})  # en/em dashes: Excel autocorrects a lone "-" sometimes
ESTIMATE_MARKERS = frozenset({"x", "X"})
MAX_UNCOMPRESSED_RATIO = 250  # a real sheet compresses 5-30×; a zip bomb thousands of times
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
_REF = re.compile(r"^(?P<sheet>.*)!(?P<col>[A-Z]{1,3})(?P<row>\d+)$")


# ---------------------------------------------------------------------------------------------------------
# Limits


def max_upload_bytes() -> int:
    return int(settings.LIENKET_MAX_UPLOAD_BYTES)


def max_uncompressed_bytes() -> int:
    """How much the members of an uploaded zip may expand to in total (zip bomb guard)."""
    configured = getattr(settings, "LIENKET_MAX_UNCOMPRESSED_BYTES", None)
    return int(configured) if configured else max(25 * max_upload_bytes(), 64 * 1024 * 1024)


def _mb(n: int) -> str:
    return format_number(Decimal(n) / Decimal(1024 * 1024), 1)


# ---------------------------------------------------------------------------------------------------------
# The mapping and its signature


@dataclass(frozen=True)
class RowSpec:
    """One data row of every unit sheet: which indicator and option its value cell holds."""

    row: int
    indicator: str
    option: str  # "" = no disaggregation (the indicator's total)
    option_label: str  # what column E shows, checked on upload


@dataclass
class Mapping:
    version: int
    dataset: str
    period: str
    first_row: int
    sheets: list[tuple[str, str]]  # (sheet title, AdminUnit.key)
    rows: list[RowSpec]
    signature: str = ""
    generated_at: str = ""

    def payload(self) -> str:
        return json.dumps(
            {
                "v": self.version, "dataset": self.dataset, "period": self.period, "first_row": self.first_row,
                "sheets": [list(s) for s in self.sheets],
                "rows": [[r.row, r.indicator, r.option, r.option_label] for r in self.rows],
            },
            ensure_ascii=False, separators=(",", ":"), sort_keys=True,
        )

    def sign(self) -> str:
        return salted_hmac(_HMAC_SALT, self.payload(), algorithm="sha256").hexdigest()

    def signature_ok(self) -> bool:
        return bool(self.signature) and constant_time_compare(self.signature, self.sign())


# ---------------------------------------------------------------------------------------------------------
# Building templates


@dataclass
class _Row:
    spec: RowSpec | None  # None: a section heading
    stt: str
    indicator: Indicator | None
    option: DisaggregationOption | None
    element: DataSetElement | None
    label: str


def sheet_title(dataset: DataSet, unit: AdminUnit, taken: set[str]) -> str:
    """`Biểu 01 - Hà Nội`: at most 31 characters, none of []:*?/\\, unique ignoring case (Excel's rules)."""
    prefix = _SHEET_TITLE_BAD.sub("", dataset.form_number or dataset.code).strip() or "LienKet"
    name = _SHEET_TITLE_BAD.sub("", unit.name).strip()
    base = f"{prefix} - {name}"[:31].rstrip(" -'") or prefix[:31]
    title, n = base, 2
    while title.lower() in taken or title == MAPPING_SHEET:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _cell_number(value: Decimal) -> int | float | str:
    """A stored value as an Excel cell value. Excel holds doubles (15 significant digits); a longer value is
    written as Vietnamese-format text so that it reads back exactly and a re-upload changes nothing."""
    value = value.normalize()
    digits = len(value.as_tuple().digits)
    if digits > 15:
        return format_number(value, lang="vi")
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _number_format(decimals: int, *, percent: bool = False) -> str:
    """The indicator's decimals; for an indicator kept in per cent the number of per cent followed by a literal
    " %" (`112,50 %` holds 112.5, not 1.125): the cell shows the unit without Excel's ×100 percentage format."""
    code = "#,##0" if decimals <= 0 else "#,##0." + "0" * min(decimals, 6)
    return code + '" %"' if percent else code


Rule = tuple[bool, Decimal | None, Decimal | None, int, Decimal]


def _validation_rule(indicator: Indicator, parts: int = 0) -> Rule:
    """What a value cell accepts. `parts` > 0: the total row of a disaggregated indicator, followed by that many
    rows of parts, which must not add up to more than the total."""
    whole = indicator.value_type == Indicator.ValueType.INTEGER
    tolerance = indicator.total_tolerance(parts)
    return whole, indicator.min_value, indicator.max_value, parts, tolerance


def _validation(rule: Rule, first: int, last: int) -> DataValidation:
    """A value cell takes a number within the indicator's bounds (whole for integers), or `-` to delete.
    A custom formula, because Excel's decimal/whole-number validation would refuse the `-` marker."""
    whole, low, high, parts, tolerance = rule
    cell = f"F{first}"
    checks = [f"ISNUMBER({cell})"]
    if whole:
        checks.append(f"{cell}=INT({cell})")
    if low is not None:
        checks.append(f"{cell}>={_plain(low)}")
    if high is not None:
        checks.append(f"{cell}<={_plain(high)}")
    if parts:
        slack = f"-{_plain(tolerance)}" if tolerance else ""
        checks.append(f"{cell}>=SUM(F{first + 1}:F{first + parts}){slack}")
    kind = _("a whole number") if whole else _("a number")
    if low is not None and high is not None:
        bounds = _(" from %(min)s to %(max)s") % {"min": format_number(low.normalize()), "max": format_number(high.normalize())}
    elif low is not None:
        bounds = _(" of at least %(min)s") % {"min": format_number(low.normalize())}
    elif high is not None:
        bounds = _(" of at most %(max)s") % {"max": format_number(high.normalize())}
    else:
        bounds = ""
    error = _("Enter %(kind)s%(bounds)s, or “-” to delete the stored value.") % {"kind": kind, "bounds": bounds}
    if parts:
        error += " " + _("The total must not be less than the sum of its parts below.")
    dv = DataValidation(
        type="custom", formula1=f'OR({cell}="-",AND({",".join(checks)}))', allow_blank=True,
        showErrorMessage=True, errorStyle="stop", errorTitle=_("Invalid value")[:32], error=error[:255],
    )
    dv.add(f"F{first}:F{last}" if last > first else f"F{first}")
    return dv


def _layout(dataset: DataSet, lang: str, spec: PeriodSpec | None = None) -> list[_Row]:
    """The rows of a unit sheet, in the data set's order: section headings, then per indicator its total and
    one row per disaggregation option ("Chia ra", as on paper forms)."""
    elements_qs = dataset.elements.filter(indicator__is_active=True)
    if spec is not None:
        elements_qs = elements_qs.filter(Indicator.in_use_q(spec.start, spec.end, prefix="indicator__"))
    elements = list(
        elements_qs
        .select_related("indicator", "indicator__disaggregation")
        .order_by("sort_order", "id")
    )
    disagg_ids = {el.indicator.disaggregation_id for el in elements if el.indicator.disaggregation_id}
    options: dict[int, list[DisaggregationOption]] = {}
    for opt in DisaggregationOption.objects.filter(disaggregation_id__in=disagg_ids).order_by("sort_order", "code"):
        options.setdefault(opt.disaggregation_id, []).append(opt)
    rows: list[_Row] = []
    section = ""
    row = FIRST_DATA_ROW
    total_label = _("Total")
    for n, el in enumerate(elements, 1):
        ind = el.indicator
        if el.section and el.section != section:
            section = el.section
            rows.append(_Row(None, "", None, None, None, section))
            row += 1
        opts = options.get(ind.disaggregation_id or 0, [])
        rows.append(_Row(RowSpec(row, ind.code, "", total_label if opts else ""), str(n), ind, None, el, ind.label(lang)))
        row += 1
        for k, opt in enumerate(opts, 1):
            label = opt.name if lang.startswith("vi") or not opt.name_en else opt.name_en
            rows.append(_Row(RowSpec(row, ind.code, opt.code, label), f"{n}.{k}", ind, opt, el, "- " + label))
            row += 1
    return rows


_THIN = Side(style="thin", color="8C959F")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5EE")
_INPUT_FILL = PatternFill("solid", fgColor="FFFBE6")
_READONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top")
_BOLD = Font(bold=True)


def _text_cell(ws: Any, value: Any, *, bold: bool = False, size: float | None = None, italic: bool = False) -> Cell:
    cell = xlsx_safe.cell(ws, value)
    cell.font = Font(bold=bold, italic=italic, size=size)
    return cell


def _cell(ws: Any, value: Any, *, unlocked: bool = False, fmt: str | None = None, fill: Any = None, align: Any = None,
          bold: bool = False) -> Cell:
    """A bordered table cell; value, estimate and comment cells are unlocked, everything else stays locked.
    Text is never written as a formula (see lienket.core.xlsx_safe): comments come from other users."""
    c = xlsx_safe.cell(ws, value)
    c.border = _BORDER
    if unlocked:
        c.protection = _UNLOCKED
    if fmt:
        c.number_format = fmt
    if fill is not None:
        c.fill = fill
    if align is not None:
        c.alignment = align
    if bold:
        c.font = _BOLD
    return c


def template_build(*, dataset: DataSet, units: list[AdminUnit], period_code: str, lang: str = "vi") -> bytes:
    """A ready-to-fill workbook for `dataset` and `period_code`: one sheet per unit, existing values filled in.
    Permission to download is the caller's business (views check it); uploading is checked on the way in."""
    spec = parse_period(period_code)
    if spec.period_type != dataset.period_type:
        raise ValidationFailed(
            _("%(dataset)s is reported per %(ptype)s, not for period %(period)s.")
            % {"dataset": dataset.code, "ptype": dataset.get_period_type_display().lower(), "period": spec.code},
            code=ErrorCode.WRONG_PERIOD_TYPE,
        )
    if not units:
        raise ValidationFailed(_("No reporting unit was given for the template."), code=ErrorCode.NO_UNITS)
    with translation.override(lang):
        return _build(dataset=dataset, units=units, spec=spec, lang=lang)


def _build(*, dataset: DataSet, units: list[AdminUnit], spec: PeriodSpec, lang: str) -> bytes:
    layout = _layout(dataset, lang, spec)
    data_rows = [r for r in layout if r.spec is not None]
    indicator_ids = {r.indicator.pk for r in data_rows if r.indicator is not None}
    unit_ids = [u.pk for u in units]

    def values_for(period_code: str) -> dict[tuple[int, int, int], tuple[Decimal, bool, str]]:
        return {
            (u, i, o or 0): (v, e, c)
            for u, i, o, v, e, c in DataValue.objects.filter(
                period__code=period_code, unit_id__in=unit_ids, indicator_id__in=indicator_ids
            ).values_list("unit_id", "indicator_id", "option_id", "value", "is_estimate", "comment")
        }

    current = values_for(spec.code)
    last_year = values_for(spec.same_period_last_year().code)
    targets = {
        (u, i, o or 0): v
        for u, i, o, v in Target.objects.filter(year=spec.year, unit_id__in=unit_ids, indicator_id__in=indicator_ids)
        .values_list("unit_id", "indicator_id", "option_id", "value")
    }

    wb = xlsx_safe.new_workbook()
    taken: set[str] = set()
    sheets: list[tuple[str, str]] = []
    due = dataset.due_date(spec)
    last_row = data_rows[-1].spec.row if data_rows and data_rows[-1].spec else FIRST_DATA_ROW
    # Contiguous runs of rows sharing a validation rule: one DataValidation per run and sheet.
    runs: list[tuple[Rule, int, int]] = []
    parts_of = Counter(r.spec.indicator for r in data_rows if r.spec is not None and r.spec.option)
    for r in data_rows:
        if r.spec is None or r.indicator is None:
            continue
        rule = _validation_rule(r.indicator, 0 if r.spec.option else parts_of.get(r.spec.indicator, 0))
        if runs and runs[-1][0] == rule and runs[-1][2] == r.spec.row - 1:
            runs[-1] = (rule, runs[-1][1], r.spec.row)
        else:
            runs.append((rule, r.spec.row, r.spec.row))

    headers = [
        _("No."), _("Indicator code"), _("Indicator"), _("Unit of measure"), _("Breakdown"),
        _("Value for the period"), _("Estimate (x)"), _("Comment"), _("Same period last year"), _("Annual plan"),
    ]
    instructions = _(
        "Enter values in column F only (column G: “x” for an estimate; column H: a comment). An empty value cell "
        "leaves the stored value unchanged; “-” deletes it. Do not insert, delete or move rows, and do not "
        "rename sheets: the file is matched back to the data row by row."
    ) + " " + _(
        "Values in % are numbers of per cent: enter 112,5 for 112,5 % (a cell Excel formatted as a percentage is "
        "read as per cent too). Values are rounded to the decimals shown. The “Total” row of an indicator with a "
        "breakdown is the reported total: the parts below it must not add up to more."
    )
    for unit in units:
        title = sheet_title(dataset, unit, taken)
        sheets.append((title, unit.key))
        ws = wb.create_sheet(title)
        for letter, width in COLUMN_WIDTHS.items():
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = f"D{FIRST_DATA_ROW}"
        ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, formatCells=False)
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        for row_no in range(1, 5):
            ws.merged_cells.add(f"A{row_no}:J{row_no}")
        ws.row_dimensions[4].height = 90

        heading = f"{dataset.form_number}: {dataset.label(lang)}" if dataset.form_number else dataset.label(lang)
        xlsx_safe.append(ws, [_text_cell(ws, heading, bold=True, size=14)])
        xlsx_safe.append(ws, [_text_cell(ws, _("Reporting unit: %(unit)s (code %(code)s)") % {"unit": unit.name, "code": unit.code}, bold=True)])
        xlsx_safe.append(ws, [_text_cell(
            ws, _("Period: %(period)s · Due date: %(due)s · Editable until: %(until)s")
            % {"period": spec.label(lang), "due": due.strftime("%d/%m/%Y"), "until": dataset.edit_deadline(spec).strftime("%d/%m/%Y")}
        )])
        note = _text_cell(ws, instructions, italic=True)
        note.alignment = _WRAP
        xlsx_safe.append(ws, [note])
        xlsx_safe.append(ws, [_text_cell(
            ws, _("LienKet template, downloaded %(when)s. Only the values of this file are read back.")
            % {"when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}, italic=True, size=9,
        )])
        header_cells = []
        for label in headers:
            cell = xlsx_safe.cell(ws, label)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            header_cells.append(cell)
        xlsx_safe.append(ws, header_cells)

        for r in layout:
            if r.spec is None:
                xlsx_safe.append(ws, [None, None, _text_cell(ws, r.label, bold=True, italic=True)])
                continue
            ind, opt, el = r.indicator, r.option, r.element
            if ind is None or el is None:
                continue
            key = (unit.pk, ind.pk, opt.pk if opt else 0)
            have = current.get(key)
            number_format = _number_format(ind.decimals, percent=ind.in_percent)

            estimate = have[1] if have else el.estimate_by_default
            prior = last_year.get(key)
            plan = targets.get(key)
            xlsx_safe.append(ws, [
                _cell(ws, r.stt, align=_CENTER),
                _cell(ws, ind.code, bold=opt is None),
                _cell(ws, r.label, align=_WRAP, bold=opt is None),
                _cell(ws, ind.uom(lang), align=_CENTER),
                _cell(ws, r.spec.option_label),
                _cell(ws, _cell_number(have[0]) if have else None, unlocked=True, fmt=number_format, fill=_INPUT_FILL),
                _cell(ws, "x" if estimate else None, unlocked=True, fill=_INPUT_FILL, align=_CENTER),
                _cell(ws, have[2] if have and have[2] else None, unlocked=True, fill=_INPUT_FILL, align=_WRAP),
                _cell(ws, _cell_number(prior[0]) if prior else None, fmt=number_format, fill=_READONLY_FILL),
                _cell(ws, _cell_number(plan) if plan is not None else None, fmt=number_format, fill=_READONLY_FILL),
            ])
        for rule, first, last in runs:
            ws.data_validations.append(_validation(rule, first, last))
        if data_rows:
            est = DataValidation(
                type="list", formula1='"x"', allow_blank=True, showErrorMessage=True, errorTitle=_("Invalid value")[:32],
                error=_("Write “x” if the value is an estimate; leave the cell empty otherwise."),
            )
            est.add(f"G{FIRST_DATA_ROW}:G{last_row}")
            ws.data_validations.append(est)

    mapping = Mapping(
        version=FORMAT_VERSION, dataset=dataset.code, period=spec.code, first_row=FIRST_DATA_ROW, sheets=sheets,
        rows=[r.spec for r in data_rows if r.spec is not None], generated_at=timezone.now().isoformat(timespec="seconds"),
    )
    hidden = wb.create_sheet(MAPPING_SHEET)
    hidden.sheet_state = "veryHidden"
    xlsx_safe.append(hidden, [MAPPING_MAGIC, mapping.version, mapping.dataset, mapping.period, mapping.first_row,
                              mapping.sign(), mapping.generated_at])
    for sheet_name, unit_key in mapping.sheets:
        xlsx_safe.append(hidden, ["S", sheet_name, unit_key])
    for spec_row in mapping.rows:
        xlsx_safe.append(hidden, ["R", spec_row.row, spec_row.indicator, spec_row.option, spec_row.option_label])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_filename(*, dataset: DataSet, period_code: str, unit: AdminUnit | None = None) -> str:
    """An ASCII file name such as `BC-THANG_01_202603.xlsx` (`..._all_...` for the multi-unit workbook)."""
    who = unit.key.replace("@", "_") if unit is not None else "all"
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{dataset.code}_{who}_{parse_period(period_code).code}")
    return f"{safe}.xlsx"


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

    @property
    def ok(self) -> bool:
        return not self.errors

    def sheet_of(self, title: str) -> SheetInfo | None:
        for s in self.sheets:
            if s.title == title:
                return s
        return None


@dataclass(frozen=True)
class Formula:
    """A formula cell as the readers give it: the formula's text (without "=") and the result the spreadsheet
    program saved with it (`cached`; None when there is none — files written by scripts, e.g. openpyxl)."""

    text: str
    cached: Any = None


#: What Excel and LibreOffice save as the result of a formula that failed.
EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!",
    "#BLOCKED!", "#CONNECT!", "#BUSY!", "#FIELD!", "#UNKNOWN!", "Err:502", "Err:504", "Err:508", "Err:522",
})


class _Refused(Exception):
    """The file cannot be read as a LienKet template; the message says why (already translated)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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


def _check_zip(data: bytes, filename: str) -> None:
    """Before openpyxl sees the bytes: is it a zip holding a workbook, and what does it expand to?"""
    if len(data) > max_upload_bytes():
        raise _Refused("file_too_large", _("“%(file)s” is %(size)s MB; the limit is %(limit)s MB.")
                       % {"file": filename, "size": _mb(len(data)), "limit": _mb(max_upload_bytes())})
    if not data:
        raise _Refused("empty_file", _("“%(file)s” is empty.") % {"file": filename})
    not_xlsx = _("“%(file)s” is not an Excel workbook (.xlsx) or it is damaged. Download the template again, fill "
                 "it in and save it as .xlsx (not .xls, .csv or a password-protected file).") % {"file": filename}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _Refused("not_xlsx", not_xlsx) from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _Refused("not_xlsx", not_xlsx)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > max_uncompressed_bytes() or (total > 8 * 1024 * 1024 and total / packed > MAX_UNCOMPRESSED_RATIO):
        raise _Refused("zip_bomb", _("“%(file)s” would expand to %(size)s MB; files that expand beyond %(limit)s MB "
                                     "or unusually far are refused.")
                       % {"file": filename, "size": _mb(total), "limit": _mb(max_uncompressed_bytes())})


def package_without_macros(*, data: bytes, filename: str) -> tuple[bytes, list[str]]:
    """The upload as it may be stored: a macro-enabled workbook loses its VBA project (the parts removed are
    returned). Files with Excel 4 macro sheets or ActiveX controls are refused; other problems with the file
    are left to workbook_parse, which reports them on the job."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return data, []
    if not xlsx_safe.macro_parts(names) and not any(n.lower().startswith(("xl/macrosheets/", "xl/activex/")) for n in names):
        return data, []
    try:
        _check_zip(data, filename)  # the copy below expands every member: no zip bombs
        return xlsx_safe.strip_macros(data)
    except _Refused as exc:
        raise ValidationFailed(exc.message, {"field": "file"}, code=exc.code) from None
    except xlsx_safe.MacroRefused as exc:
        raise ValidationFailed(
            _("“%(file)s” contains Excel 4.0 macro sheets or ActiveX controls, which LienKet does not accept. Save "
              "it as an Excel workbook (.xlsx) and upload it again.") % {"file": filename},
            {"field": "file", "parts": exc.parts}, code=ErrorCode.MACROS_REFUSED,
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError, ElementTree.ParseError):
        raise ValidationFailed(
            _("“%(file)s” could not be read: the file is damaged or not a valid Excel workbook.") % {"file": filename},
            {"field": "file"}, code=ErrorCode.CORRUPT_FILE,
        ) from None


@contextmanager
def _reading(filename: str) -> Iterator[None]:
    """openpyxl raises many kinds of exceptions on damaged files (zip CRC errors, XML errors, KeyError for
    missing parts, ...). Inside this block they all mean "the file is damaged" — never a 500."""
    try:
        yield
    except (_Refused, _Unsupported):
        raise
    except Exception:  # noqa: BLE001 - any failure of the reader on user-supplied bytes is a damaged file
        raise _Refused(
            "corrupt_file",
            _("“%(file)s” could not be read: the file is damaged or not a valid Excel workbook.") % {"file": filename},
        ) from None



# ---------------------------------------------------------------------------------------------------------
# Reading workbooks: a streaming reader of the sheet XML (fast), with openpyxl as the fallback


class _Unsupported(Exception):
    """The fast reader met XML it does not handle (CDATA, comments, a DTD, a non-UTF-8 encoding): use openpyxl."""


_NS = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix: Excel writes none, some libraries write `x:`
_ROW_RE = re.compile(rb"<" + _NS + rb"row\b([^>]*?)(?:/>|>(.*?)</" + _NS + rb"row>)", re.S)
# The column is captured directly when `r` is the first attribute (Excel, LibreOffice and openpyxl write it
# first); otherwise it is searched in the attributes.
_CELL_RE = re.compile(
    rb"<" + _NS + rb"""c\b(?:\s+r\s*=\s*["']([A-Z]{1,3})\d+["'])?([^>]*?)(?:/>|>(.*?)</""" + _NS + rb"c>)", re.S
)
_V_RE = re.compile(rb"<" + _NS + rb"v(?:\s[^>]*)?>(.*?)</" + _NS + rb"v>", re.S)
_F_RE = re.compile(rb"<" + _NS + rb"f\b[^>]*?(?:/>|>(.*?)</" + _NS + rb"f>)", re.S)
_T_RE = re.compile(rb"<" + _NS + rb"t(?:\s[^>]*)?>(.*?)</" + _NS + rb"t>", re.S)
_RPH_RE = re.compile(rb"<" + _NS + rb"rPh\b.*?</" + _NS + rb"rPh>", re.S)
_SI_RE = re.compile(rb"<" + _NS + rb"si\b[^>]*?(?:/>|>(.*?)</" + _NS + rb"si>)", re.S)
_R_ATTR = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_ROW_R_ATTR = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_T_ATTR = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_S_ATTR = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")
_ROW_END = re.compile(rb"</" + _NS + rb"row>")
_UNSUPPORTED = (b"<![CDATA[", b"<!--", b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 << 20


class PercentNumber(float):
    """A number read from a cell whose number format shows it as a percentage (`0.0%`): the cell holds the
    fraction (1.125) of what the person typed and sees (112,5 %). The sheet reader marks it; `_read_sheets`
    decides per indicator what it means (see `_parse_value`)."""

    __slots__ = ()


_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def is_percent_format(code: str | None) -> bool:
    """Does a number format multiply by 100 and show "%"? A "%" inside quotes (`0.0" %"`), escaped (`0\\%`) or in a
    [bracket] is literal text and does not."""
    if not code or "%" not in code:
        return False
    return "%" in _FORMAT_LITERAL.sub("", code)


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _unescape(raw: bytes) -> str:
    if b"\r" in raw:  # XML reads a literal CR or CRLF as LF (a `&#13;` reference stays CR), as openpyxl does
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _inline_text(body: bytes) -> str:
    if b"rPh" in body:
        body = _RPH_RE.sub(b"", body)
    return "".join(_unescape(t) for t in _T_RE.findall(body))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _FastBook:
    """Reads what an upload needs straight from the package: the sheet list, shared strings, which cell styles
    are dates, and the rows of a sheet, streamed in 1 MB chunks. Values come out as openpyxl's `read_only,
    data_only` reader gives them (numbers as int/float, date-formatted numbers as datetime, text as str), about
    five times faster because cells of columns we do not read are skipped without being decoded."""

    def __init__(self, data: bytes) -> None:
        self.zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(self.zf.namelist())
        workbook = self._xml("xl/workbook.xml")
        rels: dict[str, tuple[str, str]] = {}
        if "xl/_rels/workbook.xml.rels" in names:
            for rel in self._xml("xl/_rels/workbook.xml.rels"):
                target = rel.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                rels[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], posixpath.normpath(target))
        self.paths: dict[str, str] = {}
        for el in workbook.iter():
            if _local(el.tag) != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            if rid in rels:
                self.paths[el.get("name", "")] = rels[rid][1]
        self.sheetnames = list(self.paths)
        by_type = dict(rels.values())
        self.shared: list[str] = []
        shared_path = by_type.get("sharedStrings", "xl/sharedStrings.xml")
        if shared_path in names:
            xml = self.zf.read(shared_path)
            self._check(xml)
            self.shared = [_inline_text(body) if body else "" for body in _SI_RE.findall(xml)]
        self.date_styles: set[int] = set()
        self.percent_styles: set[int] = set()
        styles_path = by_type.get("styles", "xl/styles.xml")
        if styles_path in names:
            self._read_styles(self._xml(styles_path))

    def _xml(self, name: str) -> Any:
        """A small part as an element tree. `_check` refuses DTDs and entity declarations first, so nothing can
        expand (no billion laughs, no external entities)."""
        data = self.zf.read(name)
        self._check(data)
        return ElementTree.fromstring(data)  # noqa: S314 - no DTD/entities can reach the parser (see _check)

    @staticmethod
    def _check(xml: bytes) -> None:
        head = xml[:200].lower()
        if b"encoding=" in head and b"utf-8" not in head:
            raise _Unsupported("encoding")
        if any(marker in xml for marker in _UNSUPPORTED):
            raise _Unsupported("construct")

    def _read_styles(self, root: Any) -> None:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        custom = {}
        for el in root.iter():
            if _local(el.tag) == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
        xfs = next((el for el in root if _local(el.tag) == "cellXfs"), None)
        if xfs is None:
            return
        for index, xf in enumerate(x for x in xfs if _local(x.tag) == "xf"):
            fmt_id = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "")
            if code and is_date_format(code):
                self.date_styles.add(index)
            elif is_percent_format(code):
                self.percent_styles.add(index)

    @property
    def sheet_names(self) -> list[str]:
        return self.sheetnames

    def rows(
        self, title: str, *, min_row: int, max_col: int, columns: frozenset[int] | None = None,
    ) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values of columns 1..max_col) for every row at or below `min_row` that has cells. Only
        the `columns` asked for (1-based; default all) are decoded; the others come back as None."""
        shared, date_styles, percent_styles = self.shared, self.date_styles, self.percent_styles
        wanted = frozenset(range(1, max_col + 1)) if columns is None else columns
        row_no = 0
        with self.zf.open(self.paths[title]) as stream:
            pending = b""
            eof = False
            while not eof:
                chunk = stream.read(_CHUNK)
                eof = not chunk
                buf = pending + chunk
                if eof:
                    ready, pending = buf, b""
                else:
                    cut = 0
                    for end in _ROW_END.finditer(buf, max(0, len(pending) - 16)):
                        cut = end.end()
                    if not cut:
                        pending = buf
                        continue
                    ready, pending = buf[:cut], buf[cut:]
                self._check(ready)
                for row in _ROW_RE.finditer(ready):
                    m = _ROW_R_ATTR.search(row.group(1))
                    row_no = int(m.group(1)) if m else row_no + 1
                    body = row.group(2)
                    if row_no < min_row or not body:
                        continue
                    values: list[Any] = [None] * max_col
                    col = 0
                    for cell in _CELL_RE.finditer(body):
                        letters, attrs, content = cell.groups()
                        if letters is None:
                            ref = _R_ATTR.search(attrs)
                            col = _column_index(ref.group(1)) if ref else col + 1
                        else:
                            col = _column_index(letters)
                        if col > max_col:
                            break
                        if not content or col not in wanted:
                            continue
                        kind_m = _T_ATTR.search(attrs)
                        kind = kind_m.group(1) if kind_m else b"n"
                        if kind == b"inlineStr":
                            values[col - 1] = _inline_text(content)
                            continue
                        v = _V_RE.search(content)
                        value = None if v is None else self._value(kind, v.group(1), attrs, shared, date_styles, percent_styles)
                        if b"<" in content and (f := _F_RE.search(content)) is not None:
                            value = Formula(_unescape(f.group(1) or b""), value)
                        values[col - 1] = value
                    yield row_no, values

    @staticmethod
    def _value(
        kind: bytes, raw: bytes, attrs: bytes, shared: list[str], date_styles: set[int], percent_styles: set[int],
    ) -> Any:
        if kind == b"n":
            raw = raw.strip()
            if not raw:
                return None
            number: Any = float(raw) if (b"." in raw or b"E" in raw or b"e" in raw) else int(raw)
            style = _S_ATTR.search(attrs)
            if style is not None and int(style.group(1)) in date_styles:
                from openpyxl.utils.datetime import from_excel

                number = from_excel(number)
            elif style is not None and int(style.group(1)) in percent_styles:
                number = PercentNumber(number)
            return number
        if kind == b"s":
            return shared[int(raw)]
        if kind == b"b":
            return raw.strip() in (b"1", b"true")
        if kind == b"d":
            return dt.datetime.fromisoformat(raw.decode())
        return _unescape(raw)  # "str" (a formula's text result), "e" (#DIV/0! ...)

    def close(self) -> None:
        self.zf.close()


class _OpenpyxlBook:
    """The same interface over openpyxl's read-only reader: for XML the fast reader does not handle. openpyxl
    gives either a formula's text or its saved result, so the file is opened twice and formula cells come back
    as `Formula(text, saved result)` like the fast reader's."""

    def __init__(self, data: bytes) -> None:
        self.wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        self.formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        self.sheet_names = list(self.wb.sheetnames)

    def rows(
        self, title: str, *, min_row: int, max_col: int, columns: frozenset[int] | None = None,
    ) -> Iterator[tuple[int, list[Any]]]:
        cached_rows = self.wb[title].iter_rows(min_row=min_row, max_col=max_col)
        formula_rows = self.formulas[title].iter_rows(min_row=min_row, max_col=max_col)
        for row_no, (values, cells) in enumerate(zip(cached_rows, formula_rows, strict=False), min_row):
            padded: list[Any] = [_openpyxl_value(c) for c in values]
            if len(padded) < max_col:
                padded += [None] * (max_col - len(padded))
            for i, cell in enumerate(cells[:max_col]):
                if getattr(cell, "data_type", None) == "f":
                    text = getattr(cell.value, "text", cell.value)  # ArrayFormula or "=1+1"
                    padded[i] = Formula(str(text or "").removeprefix("="), padded[i])
            yield row_no, padded

    def close(self) -> None:
        self.wb.close()
        self.formulas.close()


def _openpyxl_value(cell: Any) -> Any:
    """A cell's value as the fast reader gives it: numbers in a percentage format come back as PercentNumber."""
    value = getattr(cell, "value", None)
    if isinstance(value, int | float) and not isinstance(value, bool) and is_percent_format(getattr(cell, "number_format", None)):
        return PercentNumber(value)
    return value


def _open_book(data: bytes, *, reader: str) -> _FastBook | _OpenpyxlBook:
    if reader == "fast":
        try:
            return _FastBook(data)
        except _Unsupported:
            pass
    return _OpenpyxlBook(data)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def _read_mapping(book: _FastBook | _OpenpyxlBook, filename: str) -> Mapping:
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
    path reads the sign per indicator (services.value_parse)."""
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
    `reader="openpyxl"` skips the fast reader (which falls back to openpyxl by itself when it must)."""
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
        _check_zip(data, filename)
        with _reading(filename):
            book = _open_book(data, reader=reader)
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
        code, _sep, start = key.partition("@")
        try:
            q |= Q(code=code, valid_from=dt.date.fromisoformat(start)) if start else Q(code=code, valid_from__isnull=True)
        except ValueError:
            continue
    units = {u.key: u for u in AdminUnit.objects.filter(q)}
    for title, key in mapping.sheets:
        unit = units.get(key)
        if unit is None:
            raise _Refused("unknown_unit", _("Sheet “%(sheet)s” of “%(file)s” is for unit %(unit)s, which does not exist.")
                           % {"sheet": title, "file": filename, "unit": key})
        result.sheets.append(SheetInfo(title, key, unit))


def _read_sheets(
    result: ParsedWorkbook, book: _FastBook | _OpenpyxlBook, mapping: Mapping, *, empty_deletes: bool,
    progress: Callable[[int, int], None] | None,
) -> None:
    dataset = result.dataset
    if dataset is None:  # set by _resolve
        return
    collected = set(dataset.elements.values_list("indicator__code", flat=True))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=collected)}
    by_row = {r.row: r for r in mapping.rows}
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
