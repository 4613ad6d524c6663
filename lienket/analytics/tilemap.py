"""The tile-grid map: one square per unit, placed roughly where it lies — one layout for the 28 units of the
conference region before 1/7/2025 and one for the 18 after — drawn as SVG on the server, coloured by the
chosen measure in five classes, with a legend and a text label (name and value) on every tile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lienket.core.formats import format_number

from .selectors import Table

MERGER = dt.date(2025, 7, 1)
TILE, GAP = 64, 4

# (column, row) by GSO code
LAYOUT_28: dict[str, tuple[int, int]] = {
    "02": (3, 0), "04": (4, 0),
    "12": (0, 1), "10": (1, 1), "08": (3, 1), "06": (4, 1), "20": (5, 1),
    "11": (0, 2), "15": (2, 2), "19": (4, 2), "24": (5, 2), "22": (6, 2),
    "14": (1, 3), "25": (2, 3), "26": (3, 3), "27": (5, 3),
    "17": (2, 4), "01": (3, 4), "33": (4, 4), "30": (5, 4), "31": (6, 4),
    "35": (3, 5), "36": (4, 5), "34": (5, 5),
    "37": (3, 6), "38": (2, 7), "40": (2, 8), "42": (3, 9),
}
LAYOUT_18: dict[str, tuple[int, int]] = {
    "08": (3, 0), "04": (4, 0),
    "12": (0, 1), "15": (1, 1), "19": (3, 1), "20": (5, 1),
    "11": (0, 2), "14": (1, 2), "25": (2, 2), "24": (4, 2), "22": (5, 2),
    "01": (3, 3), "33": (4, 3), "31": (5, 3),
    "37": (3, 4), "38": (2, 5), "40": (2, 6), "42": (3, 7),
}
# five sequential classes (ColorBrewer Blues), with a text colour that keeps a 4.5:1 contrast
PALETTE = [("#eff3ff", "#1a1a1a"), ("#bdd7e7", "#1a1a1a"), ("#6baed6", "#1a1a1a"), ("#3182bd", "#ffffff"), ("#08519c", "#ffffff")]
NO_DATA = ("#f0f0f0", "#1a1a1a")


@dataclass
class Tile:
    code: str
    name: str
    x: int
    y: int
    fill: str
    ink: str
    text: str
    label: str
    path: str = ""  # an uploaded boundary (SVG path), drawn instead of the square


@dataclass
class TileMap:
    tiles: list[Tile]
    width: int
    height: int
    legend: list[tuple[str, str]]
    title: str
    layout: str
    source: str = ""  # the uploaded boundaries' source, when drawn from them


def tile_map(table: Table, column: int = 0) -> TileMap:
    """The map of one column of a by-unit table (its period decides the layout)."""
    col = table.columns[column]
    day = col.period.end if col.period is not None else table.query.periods[-1].end
    layout = LAYOUT_18 if day >= MERGER else LAYOUT_28
    cells = {r.key.split("@")[0]: (r, r.cells[column]) for r in table.rows if r.kind == "unit"}
    values = sorted(c.value for _r, c in cells.values() if c.value is not None)
    bounds: list[Decimal] = []
    if values:
        bounds = [values[min(len(values) - 1, (len(values) * k) // 5)] for k in range(1, 5)]
    tiles: list[Tile] = []
    for code, (cx, cy) in layout.items():
        row_cell = cells.get(code)
        if row_cell is None or row_cell[1].value is None:
            fill, ink = NO_DATA
            name = row_cell[0].label if row_cell else code
            text = "—"
        else:
            row, cell = row_cell
            value = cell.value or Decimal(0)
            klass = len([b for b in bounds if value > b])
            fill, ink = PALETTE[klass]
            name = row.label
            text = cell.display()
        tiles.append(Tile(code, name, cx * (TILE + GAP), cy * (TILE + GAP), fill, ink, text,
                          f"{name}: {text} {col.uom}"))
    legend = [(NO_DATA[0], _("no data"))]
    if values:
        edges = [values[0], *bounds, values[-1]]
        for k, (fill, _ink) in enumerate(PALETTE):
            legend.append((fill, f"{format_number(edges[k], col.indicator.decimals)} – {format_number(edges[k + 1], col.indicator.decimals)}"))
    width = (max(x for x, _y in layout.values()) + 1) * (TILE + GAP)
    height = (max(y for _x, y in layout.values()) + 1) * (TILE + GAP)
    return TileMap(tiles, width, height, legend, f"{col.label} ({col.uom})",
                   _("28 units (before 1/7/2025)") if layout is LAYOUT_28 else _("18 units (from 1/7/2025)"))


def boundary_map(table: Table, boundaries: Any, column: int = 0, width: int = 600) -> TileMap:
    """The map drawn from uploaded boundaries (equirectangular, north up), coloured as the tile grid."""
    import math

    grid = tile_map(table, column)
    rows = {r.key.split("@")[0]: r for r in table.rows if r.kind == "unit"}
    features = boundaries.geojson["features"]
    rings = [ring for f in features for poly in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon"
                                                 else [f["geometry"]["coordinates"]]) for ring in poly]
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = width / max((max(lons) - min(lons)) * kx, 1e-9)
    height = int((max(lats) - min(lats)) * scale) + 1

    def xy(p: list[float]) -> str:
        return f"{(p[0] - min(lons)) * kx * scale:.1f},{(max(lats) - p[1]) * scale:.1f}"

    tiles: list[Tile] = []
    by_code = {t.code: t for t in grid.tiles}
    for f in features:
        code = str(f["properties"]["code"])
        polys = f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [f["geometry"]["coordinates"]]
        path = " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for poly in polys for ring in poly)
        tile = by_code.get(code)
        if tile is None:
            row = rows.get(code)
            fill, ink = NO_DATA
            tile = Tile(code, row.label if row else code, 0, 0, fill, ink, "—", f"{code}: —")
        tiles.append(Tile(tile.code, tile.name, 0, 0, tile.fill, tile.ink, tile.text, tile.label, path))
    return TileMap(tiles, width, height, grid.legend, grid.title, boundaries.name, boundaries.source)
