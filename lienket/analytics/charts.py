"""Plotly figures as plain JSON (no plotly Python at request time): the page puts the figure in a
`<script type="application/json">` block and lienket/static/lienket/analytics.js draws it with the bundled
plotly.min.js — no inline script under the site's CSP. Vietnamese separators (`layout.separators=",."`) and
dd/mm/yyyy dates."""

from __future__ import annotations

from typing import Any

from .selectors import Table

LAYOUT_BASE: dict[str, Any] = {
    "separators": ",.",
    "margin": {"l": 60, "r": 20, "t": 30, "b": 90},
    "legend": {"orientation": "h", "y": -0.25},
    "xaxis": {"automargin": True, "tickformat": "%d/%m/%Y"},
    "yaxis": {"automargin": True, "separatethousands": True},
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "autosize": True,
}


def _num(cell: Any) -> float | None:
    return None if cell.value is None else float(round(cell.value, cell.decimals))


def table_figure(table: Table, *, one_measure: bool = False) -> dict[str, Any]:
    """The table as a chart: units/sub-regions as bars (one series per column), periods as lines.
    `one_measure`: only the columns of the first indicator that has a value (one unit of measure on the axis)."""
    line = table.query.by == "period"
    rows = [r for r in table.rows if line or r.kind != "group"] or table.rows
    x = [r.label for r in rows]
    data = []
    chosen = list(range(len(table.columns)))
    if one_measure:
        with_value = [i for i in chosen if any(r.cells[i].value is not None for r in table.rows)]
        first = table.columns[with_value[0]].indicator.pk if with_value else None
        chosen = [i for i in chosen if table.columns[i].indicator.pk == first]
    for i in chosen:
        col = table.columns[i]
        values = [_num(r.cells[i]) for r in rows]
        data.append({
            "type": "scatter" if line else "bar", "mode": "lines+markers" if line else None, "name": col.label,
            "x": x, "y": values, "hovertemplate": "%{x}<br>%{y:,." + str(rows[0].cells[i].decimals if rows else 1) + "f} "
            + col.uom + "<extra>" + col.label + "</extra>",
        })
        if not line:
            data[-1].pop("mode")
    layout = {**LAYOUT_BASE, "yaxis": {**LAYOUT_BASE["yaxis"], "title": {"text": table.columns[chosen[0]].uom if chosen else ""}},
              "barmode": "group"}
    layout["xaxis"] = {"automargin": True, "type": "category"}
    return {"data": data, "layout": layout}
