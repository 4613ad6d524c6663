"""Spreadsheet safety in one place: text that a spreadsheet program would run as a formula, and macros.

Any text that users typed (a comment, a name) can come back in a file that someone else opens: a province's
comment `=HYPERLINK("http://…", "…")` ends up in the Ministry's all-units workbook. A spreadsheet program
treats a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return before them) as a formula.

* CSV has no cell types, so risky text is written with a leading apostrophe (`csv_quote`), which Excel and
  LibreOffice show as text; `csv_unquote` removes it on import, so a comment survives the round trip.
* XLSX has cell types: every text cell is written as a string cell (openpyxl would otherwise write any `str`
  that starts with `=` as a formula), and risky text also gets the `quotePrefix` style, Excel's own mark for
  text typed after an apostrophe, so that editing the cell in Excel or LibreOffice keeps it text. The value
  itself is unchanged — no apostrophe is added — so nothing has to be stripped when the file is read back.

Every XLSX export builds its cells here (`new_workbook`, `cell`, `append`); a test over the source refuses
modules that create openpyxl cells or workbooks for writing by themselves.

`strip_macros` removes a VBA project from an uploaded macro-enabled workbook (.xlsm) before it is stored.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

#: A cell starting with one of these is run as a formula (CSV/formula injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CELL_MAX_CHARS = 32767  # Excel's limit for one cell


def formula_risk(text: str) -> bool:
    """Would a spreadsheet program read this text as a formula?"""
    return text.startswith(FORMULA_START)


# ---------------------------------------------------------------------------------------------------------
# CSV


def csv_quote(text: str) -> str:
    """Quote text a spreadsheet would run as a formula with a leading apostrophe. Text that already starts
    with an apostrophe gets one more, so that `csv_unquote` gives back exactly what was stored."""
    if formula_risk(text) or text.startswith("'"):
        return "'" + text
    return text


def csv_unquote(text: str) -> str:
    """Reverse `csv_quote` (only an apostrophe that `csv_quote` could have added is removed)."""
    if text.startswith("'") and (formula_risk(text[1:]) or text[1:].startswith("'")):
        return text[1:]
    return text


# ---------------------------------------------------------------------------------------------------------
# XLSX


def new_workbook() -> Workbook:
    """A streaming (write-only) workbook; fill its sheets with `append` or with cells made by `cell`."""
    return Workbook(write_only=True)


def cell(ws: Any, value: Any = None) -> Cell:
    """A write-only cell that is never a formula: text is a string cell (`quotePrefix` when it looks like a
    formula), characters XML cannot hold are dropped, and text is cut to Excel's 32 767 characters."""
    c = WriteOnlyCell(ws, value=None)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_MAX_CHARS]
        c.value = text
        c.data_type = "s"
        if formula_risk(text):
            c.quotePrefix = True
    else:
        c.value = value
        if c.data_type == "f":  # defensive: only str can become a formula in openpyxl 3.1
            c.data_type = "s"
    return c


def append(ws: Any, values: Iterable[Any]) -> None:
    """`ws.append` for a write-only sheet, with every plain value made safe by `cell`."""
    ws.append([v if isinstance(v, Cell) else cell(ws, v) for v in values])


# ---------------------------------------------------------------------------------------------------------
# Macros in uploaded workbooks

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_MAIN_TYPES = (
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
# The parts of a VBA project (the code, its signatures and its data) by their name in the package.
_VBA_PART = re.compile(r"(^|/)(vbaProject|vbaProjectSignature\w*)\.bin$|(^|/)vbaData\.xml$", re.I)
# Excel 4 macro sheets and ActiveX controls are refused rather than stripped: removing them means editing the
# workbook's sheet list, and a LienKet template never has them.
_REFUSED_PART = re.compile(r"^xl/(macrosheets|activeX)/", re.I)


class MacroRefused(Exception):
    """The package holds macro parts that are refused rather than stripped (names in `parts`)."""

    def __init__(self, parts: list[str]) -> None:
        super().__init__(", ".join(parts))
        self.parts = parts


def macro_parts(names: Iterable[str]) -> list[str]:
    """The VBA parts among a package's member names."""
    return [n for n in names if _VBA_PART.search(n)]


def strip_macros(data: bytes, *, max_part_bytes: int = 8 * 1024 * 1024) -> tuple[bytes, list[str]]:
    """(the package without its VBA project, the names of the parts removed). Bytes that are not a zip, or a
    zip without macros, come back unchanged with an empty list (reading them is someone else's job).

    Members are copied as they are; only `[Content_Types].xml` and the relationship files are rewritten (and
    read only when smaller than `max_part_bytes`). The workbook's main content type becomes the ordinary
    .xlsx one, so the stored file is a plain workbook. Raises MacroRefused for Excel 4 macro sheets and
    ActiveX controls, and zipfile.BadZipFile / ValueError when the parts to rewrite are unusable."""
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return data, []
    with zin:
        infos = zin.infolist()
        names = [i.filename for i in infos]
        refused = [n for n in names if _REFUSED_PART.search(n)]
        if refused:
            raise MacroRefused(refused)
        removed = macro_parts(names)
        content_types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
        macro_type = False
        if content_types is not None and content_types.file_size <= max_part_bytes:
            macro_type = any(t.encode() in zin.read(content_types) for t in _MACRO_MAIN_TYPES)
        if not removed and not macro_type:
            return data, []
        gone = {"/" + n for n in removed}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                if info.filename in removed:
                    continue
                if info.filename == "[Content_Types].xml" or info.filename.endswith(".rels"):
                    if info.file_size > max_part_bytes:
                        raise ValueError(info.filename)
                    body = zin.read(info)
                    body = _content_types(body, gone) if info.filename == "[Content_Types].xml" else _rels(body, info.filename, gone)
                    zout.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED)
                else:
                    with zin.open(info) as src, zout.open(_copy_info(info), "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
    return out.getvalue(), removed


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = zipfile.ZIP_DEFLATED
    copy.external_attr = info.external_attr
    return copy


def _parse(body: bytes) -> Any:
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise ValueError("DTD in a package part")
    return ElementTree.fromstring(body)  # noqa: S314 - no DTD/entities can reach the parser (checked above)


def _content_types(body: bytes, gone: set[str]) -> bytes:
    ElementTree.register_namespace("", _CT_NS)
    root = _parse(body)
    for el in list(root):
        tag = el.tag.rsplit("}", 1)[-1]
        ctype = el.get("ContentType", "")
        if ctype in _MACRO_MAIN_TYPES:
            el.set("ContentType", SHEET_MAIN_TYPE)
        elif (tag == "Override" and el.get("PartName", "") in gone) or (tag == "Default" and "vbaProject" in ctype):
            root.remove(el)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _rels(body: bytes, name: str, gone: set[str]) -> bytes:
    """Drop relationships whose target is a removed part (targets are relative to the source part's folder)."""
    ElementTree.register_namespace("", _REL_NS)
    root = _parse(body)
    # xl/_rels/workbook.xml.rels describes xl/workbook.xml: its targets are relative to xl/.
    base = name.rpartition("/")[0].removesuffix("_rels").rstrip("/")
    changed = False
    for el in list(root):
        target = el.get("Target", "")
        full = target if target.startswith("/") else "/" + "/".join(p for p in (base, target) if p)
        if _norm(full) in gone or "vbaProject" in el.get("Type", ""):
            root.remove(el)
            changed = True
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) if changed else body


def _norm(path: str) -> str:
    parts: list[str] = []
    for p in path.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/" + "/".join(parts)
