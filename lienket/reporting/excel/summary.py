"""The first sheet of the coordinator's all-units workbook: every unit of the period on one sheet.

Units are rows and indicators columns (an indicator's reported total; its unit of measure under its name), with
a region row: the sum for indicators that add up (`aggregation = sum`), the ratio recomputed from the summed
numerator and denominator (`ratio`), the weighted mean for `weighted_average` when the weight is in the data set,
and an explicit "not additive" for the others (indices, ...). A last row says how many units have a value, so a
partial total is never taken for a complete one. The sheet prints on A4 landscape: a print area, the header rows
and the unit columns repeated on every page, fitted to the page width (several pages wide only when there are
many indicators, each page with its labels), row heights set for wrapped names. Every cell goes through
lienket.core.xlsx_safe; the sheet is not in the signed mapping, so an upload never reads it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.protection import SheetProtection

from lienket.core import xlsx_safe
from lienket.regions.models import AdminUnit

from ..models import DataSet, Indicator
from ..periods import PeriodSpec

HEADER_ROW = 5  # indicator names; HEADER_ROW + 1: units of measure
UNIT_WIDTH = 26
VALUE_WIDTH = 19
#: Indicator columns per printed page width (beside the repeated No. and Unit columns) before a second page wide.
COLUMNS_PER_PAGE = 9
LINE_HEIGHT = 15  # points per line of 11-point text
A4 = 9  # the paper size code of A4 in SpreadsheetML
_THIN = Side(style="thin", color="8C959F")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

Values = dict[tuple[int, int, int], tuple[Decimal, bool, str]]


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (a little narrower, to be safe)."""
    per_line = max(1, int(width * 1.1) - 2)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-min(max(decimals, 0), 6)), rounding=ROUND_HALF_UP)


def region_value(indicator: Indicator, units: list[AdminUnit], values: Values) -> Decimal | None:
    """The region's value of `indicator` from the units' totals, or None where it does not add up (or nothing
    is reported). Only units with the values the method needs take part (the coverage row says how many)."""
    def of(ind_id: int | None) -> dict[int, Decimal]:
        return {u.pk: values[(u.pk, ind_id, 0)][0] for u in units if ind_id is not None and (u.pk, ind_id, 0) in values}

    method = indicator.aggregation
    if method == Indicator.Aggregation.SUM:
        own = of(indicator.pk)
        return sum(own.values(), Decimal(0)) if own else None
    if method == Indicator.Aggregation.RATIO:
        num, den = of(indicator.numerator_id), of(indicator.denominator_id)
        both = num.keys() & den.keys()
        total_den = sum((den[u] for u in both), Decimal(0))
        if not both or total_den == 0:
            return None
        factor = indicator.ratio_factor or Decimal(1)
        return sum((num[u] for u in both), Decimal(0)) / total_den * factor
    if method == Indicator.Aggregation.WEIGHTED_AVERAGE:
        own, weight = of(indicator.pk), of(indicator.weight_indicator_id)
        both = own.keys() & weight.keys()
        total_weight = sum((weight[u] for u in both), Decimal(0))
        if not both or total_weight == 0:
            return None
        return sum((own[u] * weight[u] for u in both), Decimal(0)) / total_weight
    return None


def summary_sheet(
    wb: Any, *, title: str, dataset: DataSet, units: list[AdminUnit], spec: PeriodSpec, lang: str,
    indicators: list[Indicator], values: Values, number_format: Callable[[Indicator], str],
    cell_number: Callable[[Decimal], Any],
) -> Any:
    """Add the summary sheet to the write-only workbook `wb` (call it before the unit sheets: it comes first)."""
    ws = wb.create_sheet(title)
    last_col = 2 + len(indicators)
    last_letter = get_column_letter(last_col)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = UNIT_WIDTH
    for n in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(n)].width = VALUE_WIDTH
    # The title rows span the columns of the first printed page only (a page shows about
    # len(indicators) / pages_wide indicator columns), so they are never cut by a page break.
    pages_wide = max(1, math.ceil(len(indicators) / COLUMNS_PER_PAGE))
    first_page_cols = max(1, len(indicators) // pages_wide - (1 if pages_wide > 1 else 0))
    title_letter = get_column_letter(2 + first_page_cols)
    for row_no in range(1, 4):
        ws.merged_cells.add(f"A{row_no}:{title_letter}{row_no}")
    # A write-only sheet writes its properties and view with its first row: set them before any row.
    final_row = HEADER_ROW + 2 + len(units) + 3  # units, region total, coverage, a blank row, the legend
    ws.freeze_panes = f"C{HEADER_ROW + 2}"
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False, formatCells=False)
    heading = f"{dataset.form_number}: {dataset.label(lang)}" if dataset.form_number else dataset.label(lang)
    group = dataset.reporting_group.name if dataset.reporting_group_id else ""
    subtitle = _("Summary of all units · Period: %(period)s · %(count)s units · %(group)s") % {
        "period": spec.label(lang), "count": len(units), "group": group}
    # Printed from the table's header down: the title goes into the page header, so that every page — also the
    # second page wide, where the repeated unit columns would cut a title row — carries it whole.
    print_setup(ws, area=f"A{HEADER_ROW}:{last_letter}{final_row}", title_rows=f"{HEADER_ROW}:{HEADER_ROW + 1}",
                title_cols="A:B", pages_wide=pages_wide)
    # (one line per section: LibreOffice shows an encoded line break literally; short enough not to meet)
    ws.oddHeader.left.text = _header_text(heading[:80])
    ws.oddHeader.right.text = _header_text(_("Period: %(period)s · %(count)s units") % {
        "period": spec.label(lang), "count": len(units)})[:70]
    ws.oddFooter.left.text = _header_text(_("Italic: estimate. Region row: sum, ratio recomputed or weighted mean; "
                                            "“not additive”: no region value."))[:200]

    bold, italic, small = Font(bold=True), Font(italic=True, size=9), Font(italic=True, size=9, color="555555")
    wrap = Alignment(wrap_text=True, vertical="top")
    head_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    number_align = Alignment(horizontal="right", vertical="top")

    def text(value: Any, *, font: Font | None = None, align: Alignment | None = None, border: bool = False) -> Any:
        c = xlsx_safe.cell(ws, value)
        if font is not None:
            c.font = font
        if align is not None:
            c.alignment = align
        if border:
            c.border = BORDER
        return c

    xlsx_safe.append(ws, [text(heading, font=Font(bold=True, size=14))])
    xlsx_safe.append(ws, [text(subtitle, font=bold)])
    note = _("Values stored in LienKet when this file was downloaded (%(when)s). The region row adds the units' values "
             "for indicators that add up, recomputes ratios from their numerator and denominator and weighs averages "
             "by their weight; indicators that do not add up (indices, ...) have no region value. This sheet is for "
             "reading and printing: it is not read back when the file is uploaded.") % {
        "when": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    xlsx_safe.append(ws, [text(note, font=italic, align=wrap)])
    # the note spans the printed width; 9-point italic, one line of slack: a clipped note is worse than a gap
    note_width = UNIT_WIDTH + 6 + VALUE_WIDTH * first_page_cols
    ws.row_dimensions[3].height = 12 * (_lines(note, note_width * 0.9) + 1)
    xlsx_safe.append(ws, [])

    names = [f"{ind.code}\n{ind.label(lang)}" for ind in indicators]
    header = [text(_("No."), font=bold, align=head_align, border=True), text(_("Unit"), font=bold, align=head_align, border=True)]
    header += [text(name, font=bold, align=head_align, border=True) for name in names]
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * max([_lines(n, VALUE_WIDTH * 0.9) for n in names] or [1])  # bold
    xlsx_safe.append(ws, header)
    xlsx_safe.append(ws, [text("", font=small, border=True), text(_("Unit of measure"), font=small, align=head_align, border=True)]
                     + [text(ind.uom(lang), font=small, align=head_align, border=True) for ind in indicators])

    formats = [number_format(ind) for ind in indicators]
    row_no = HEADER_ROW + 2
    for n, unit in enumerate(units, 1):
        row: list[Any] = [text(n, align=Alignment(horizontal="center", vertical="top"), border=True),
                          text(unit.name, align=wrap, border=True)]
        for ind, fmt in zip(indicators, formats, strict=True):
            have = values.get((unit.pk, ind.pk, 0))
            c = text(cell_number(have[0]) if have else None, align=number_align, border=True)
            c.number_format = fmt
            if have and have[1]:
                c.font = Font(italic=True)  # an estimate
            row.append(c)
        lines = _lines(unit.name, UNIT_WIDTH)
        if lines > 1:
            ws.row_dimensions[row_no].height = LINE_HEIGHT * lines
        xlsx_safe.append(ws, row)
        row_no += 1

    total_label = _("Region total") + (f" ({group})" if group else "")
    total: list[Any] = [text("", border=True), text(total_label, font=bold, align=wrap, border=True)]
    for ind, fmt in zip(indicators, formats, strict=True):
        value = region_value(ind, units, values)
        if value is not None:
            c = text(cell_number(_quantize(value, ind.decimals)), font=bold, align=number_align, border=True)
            c.number_format = fmt
        elif ind.aggregation in {Indicator.Aggregation.SUM, Indicator.Aggregation.RATIO, Indicator.Aggregation.WEIGHTED_AVERAGE}:
            c = text(_("no values"), font=small, align=number_align, border=True)
        else:
            c = text(_("not additive"), font=small, align=number_align, border=True)
        total.append(c)
    ws.row_dimensions[row_no].height = LINE_HEIGHT * _lines(total_label, UNIT_WIDTH)
    xlsx_safe.append(ws, total)
    row_no += 1
    coverage = [text(""), text(_("Units with a value"), font=small, align=wrap)]
    for ind in indicators:
        reported = sum(1 for u in units if (u.pk, ind.pk, 0) in values)
        coverage.append(text(f"{reported}/{len(units)}", font=small, align=number_align))
    xlsx_safe.append(ws, coverage)
    xlsx_safe.append(ws, [])
    xlsx_safe.append(ws, [text(""), text(_("Italic values are estimates."), font=small)])
    return ws


def _header_text(text: str) -> str:
    """Text for a page header or footer: "&" starts a code there (page number, font), so it is doubled."""
    return text.replace("&", "&&")


def print_setup(ws: Any, *, area: str, title_rows: str, title_cols: str | None = None, pages_wide: int = 1) -> None:
    """A4 landscape, `area` printed, the title rows (and columns) on every page, as wide as `pages_wide` pages
    and as many pages long as it takes; page numbers in the footer."""
    ws.print_area = area
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.8  # room for the page header and footer
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.right.text = "&P / &N"
