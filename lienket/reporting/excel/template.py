"""Writing Excel templates: one sheet per unit with the values stored so far, last year's and the plan (see
mapping.py for the layout and the signed mapping that makes a filled-in template map back exactly)."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from lienket.core import xlsx_safe
from lienket.core.errors import ValidationFailed
from lienket.core.formats import format_number
from lienket.regions.models import AdminUnit

from ..codes import ErrorCode
from ..models import DataSet, DataSetElement, DataValue, DisaggregationOption, Indicator, Target
from ..periods import PeriodSpec, parse_period, period_type_check
from .mapping import (
    _SHEET_TITLE_BAD,
    COLUMN_WIDTHS,
    FIRST_DATA_ROW,
    FORMAT_VERSION,
    HEADER_ROW,
    MAPPING_MAGIC,
    MAPPING_SHEET,
    Mapping,
    RowSpec,
)
from .summary import print_setup, summary_sheet

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
    period_type_check(dataset=dataset, spec=spec)
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
    if len(units) > 1:  # the coordinator's all-units workbook opens on a summary of every unit
        title = _("All units (summary)")[:31]
        taken.add(title.lower())
        summary_sheet(
            wb, title=title, dataset=dataset, units=units, spec=spec, lang=lang, values=current,
            indicators=[r.indicator for r in data_rows if r.spec is not None and not r.spec.option and r.indicator is not None],
            number_format=lambda ind: _number_format(ind.decimals, percent=ind.in_percent), cell_number=_cell_number,
        )
    for unit in units:
        title = sheet_title(dataset, unit, taken)
        sheets.append((title, unit.key))
        ws = wb.create_sheet(title)
        for letter, width in COLUMN_WIDTHS.items():
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = f"D{FIRST_DATA_ROW}"
        ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, formatCells=False)
        print_setup(ws, area=f"A1:J{max(last_row, HEADER_ROW)}", title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
        for row_no in range(1, 5):
            ws.merged_cells.add(f"A{row_no}:J{row_no}")
        ws.row_dimensions[4].height = 90
        ws.row_dimensions[HEADER_ROW].height = 32  # two lines: "Estimate (x)", "Same period last year" wrap

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
