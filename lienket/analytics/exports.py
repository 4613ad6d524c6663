"""Exports of exactly the table the pivot page shows: XLSX, CSV and SDMX-CSV 2.0.

* XLSX through `lienket.core.xlsx_safe` (text never a formula): numbers as numbers with the indicator's decimals,
  units of measure in the headers, frozen header, notes (partial totals, derived, unaccepted) and the source and
  extraction time in a footer.
* CSV: UTF-8 with BOM (Excel shows the diacritics), every text cell through `xlsx_safe.csv_quote` (the shared
  rule: `=`, `+`, `-`, `@` neutralised), numbers with a dot and the displayed decimals.
* SDMX-CSV 2.0 written here rather than with pysdmx's writer: `pysdmx[data]` brings pandas and pyarrow (about
  240 MB) into production for a file of a dozen columns whose format fits in one function. The tests read the
  file back with both pysdmx and sdmx1 and compare with the API's numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from lienket.core import xlsx_safe
from lienket.reporting.periods import PeriodSpec, PeriodType

from .selectors import Cell, Table

DATAFLOW = "LIENKET:DF_ANALYTICS(1.0)"
SDMX_HEADER = ["STRUCTURE", "STRUCTURE_ID", "ACTION", "REF_AREA", "INDICATOR", "DISAGGREGATION", "MEASURE",
               "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "COMMENT"]


def rounded(cell: Cell) -> Decimal | None:
    if cell.value is None:
        return None
    return cell.value.quantize(Decimal(1).scaleb(-cell.decimals), rounding=ROUND_HALF_UP)


def header(table: Table) -> list[str]:
    return [table.row_header, *(f"{c.label} ({c.uom})" if c.uom else c.label for c in table.columns)]


def notes(table: Table) -> list[str]:
    """One line per cell that is not a plain complete accepted figure."""
    out: list[str] = []
    for row in table.rows:
        for col, cell in zip(table.columns, row.cells, strict=True):
            marks = []
            if cell.status == "partial":
                marks.append(_("partial: %(label)s, missing %(missing)s") % {"label": cell.partial_label, "missing": ", ".join(cell.missing)})
            if cell.status in ("refused", "not_comparable"):
                marks.append(cell.display())
            if cell.derived:
                marks.append(_("derived from the former units"))
            if cell.unaccepted:
                marks.append(_("includes values not yet accepted"))
            if marks:
                out.append(f"{row.label} · {col.label}: {'; '.join(marks)}")
    return out


def footer(table: Table) -> list[str]:
    when = timezone.localtime(table.generated_at).strftime("%d/%m/%Y %H:%M")
    return [_("Source: %(source)s") % {"source": table.source}, _("Extracted: %(when)s") % {"when": when}]


def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([xlsx_safe.csv_quote(h) for h in header(table)])
    for row in table.rows:
        values = [rounded(c) for c in row.cells]
        writer.writerow([xlsx_safe.csv_quote(row.label),
                         *("" if v is None and c.status == "missing" else (c.display() if v is None else f"{v:f}")
                           for v, c in zip(values, row.cells, strict=True))])
    writer.writerow([])
    for line in [*notes(table), *footer(table)]:
        writer.writerow([xlsx_safe.csv_quote(line)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    wb = xlsx_safe.new_workbook()
    ws = wb.create_sheet(_("Analytics")[:31])
    ws.freeze_panes = "B3"
    ws.column_dimensions["A"].width = 28
    bold = Font(bold=True)
    title = xlsx_safe.cell(ws, table.title)
    title.font = Font(bold=True, size=13)
    ws.append([title])
    heads = []
    for text in header(table):
        c = xlsx_safe.cell(ws, text)
        c.font = bold
        heads.append(c)
    ws.append(heads)
    for row in table.rows:
        out = [xlsx_safe.cell(ws, row.label)]
        for cell in row.cells:
            value = rounded(cell)
            if value is None:
                out.append(xlsx_safe.cell(ws, "" if cell.status == "missing" else cell.display()))
                continue
            c = xlsx_safe.cell(ws, float(value) if cell.decimals else int(value))
            c.number_format = "#,##0" + ("." + "0" * cell.decimals if cell.decimals else "")
            out.append(c)
        ws.append(out)
    ws.append([])
    for line in [*notes(table), *footer(table)]:
        xlsx_safe.append(ws, [line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sdmx_period(spec: PeriodSpec) -> str:
    """SDMX time period: 2024-01, 2024-Q1, 2024-S1, 2024; the first nine months as a time range."""
    return {
        PeriodType.MONTH: f"{spec.year}-{spec.index:02d}",
        PeriodType.QUARTER: f"{spec.year}-Q{spec.index}",
        PeriodType.HALF_YEAR: f"{spec.year}-S1",
        PeriodType.YEAR: str(spec.year),
    }.get(spec.period_type, f"{spec.start.isoformat()}/P9M")


def sdmx_csv_bytes(table: Table) -> bytes:
    """SDMX-CSV 2.0: one observation per cell (A = accepted, P = includes unaccepted values, M = no value)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(SDMX_HEADER)
    q = table.query
    for row in table.rows:
        for col, cell in zip(table.columns, row.cells, strict=True):
            area = col.entity.key if col.entity is not None else row.key
            period = col.period if col.period is not None else next(p for p in q.periods if p.code == row.key)
            option = col.option.code if col.option is not None else (row.key if q.by == "option" else "_T")
            value = rounded(cell)
            status = "M" if value is None else ("P" if cell.unaccepted else "A")
            comment = cell.partial_label or ("" if value is not None else cell.status)
            writer.writerow(["dataflow", DATAFLOW, "I", area, col.indicator.code, "_T" if option == "total" else option,
                             q.measure.upper(), sdmx_period(period), "" if value is None else f"{value:f}",
                             col.uom, status, xlsx_safe.csv_quote(comment)])
    return buf.getvalue().encode("utf-8")
