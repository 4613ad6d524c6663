"""Opening an uploaded workbook safely: what the file is (its bytes decide, not its name), zip checks (bombs,
macros) and the cell readers behind one interface (`sheet_names`, `rows(...)`, `close()`):

* `.xlsx` / `.xlsm` — a streaming reader of the sheet XML (fast; it also sees formulas and percentage formats,
  which the checks of reader.py need), openpyxl as its fallback;
* `.ods` (LibreOffice's default) and `.xls` (Excel 97-2003) — python-calamine (MIT, a maintained Rust reader of
  all four formats). Calamine gives each cell's saved value; it does not expose formulas or number formats, so
  for these formats a formula's saved result is read as a value and a percentage-formatted cell as its fraction.

Macros are never run by any reader: a .xlsm loses its VBA project and an .ods its Basic/script parts before the
file is stored; an .xls carrying a VBA project is refused (its container cannot be cleaned safely)."""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import python_calamine
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lienket.core import xlsx_safe
from lienket.core.errors import ValidationFailed
from lienket.core.text import nfc

from ..codes import ErrorCode
from .mapping import MAX_UNCOMPRESSED_RATIO, _mb, max_uncompressed_bytes, max_upload_bytes


@dataclass(frozen=True)
class Formula:
    """A formula cell as the readers give it: the formula's text (without "=") and the result the spreadsheet
    program saved with it (`cached`; None when there is none — files written by scripts, e.g. openpyxl)."""

    text: str
    cached: Any = None


class _Refused(Exception):
    """The file cannot be read as a LienKet template; the message says why (already translated)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


XLSX, ODS, XLS = "xlsx", "ods", "xls"
#: The formats an upload may have (what the upload page's `accept` lists).
ACCEPTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_MACRO_DIRS = ("basic/", "scripts/")
_OLE_VBA = "_VBA_PROJECT_CUR".encode("utf-16-le")
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_OLE_BOOKS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))


def _not_a_spreadsheet(filename: str) -> _Refused:
    return _Refused("not_xlsx", _("“%(file)s” is not a spreadsheet LienKet can read (.xlsx, .xlsm, .xls or .ods) or it is "
                                  "damaged. Download the template again, fill it in and save it in one of these formats "
                                  "(not .csv, a text document or a password-protected file).") % {"file": filename})


def _check_zip(data: bytes, filename: str) -> str:
    """Before any reader sees the bytes: which of the accepted formats is it (XLSX — also .xlsm —, ODS or XLS),
    and, for the zip-based ones, what does it expand to? The content decides, never the file name."""
    if len(data) > max_upload_bytes():
        raise _Refused("file_too_large", _("“%(file)s” is %(size)s MB; the limit is %(limit)s MB.")
                       % {"file": filename, "size": _mb(len(data)), "limit": _mb(max_upload_bytes())})
    if not data:
        raise _Refused("empty_file", _("“%(file)s” is empty.") % {"file": filename})
    if data[:8] == _OLE_MAGIC:
        if _OLE_ENCRYPTED in data:
            raise _Refused("encrypted_file", _("“%(file)s” is protected by a password; LienKet cannot read it. Save it "
                                               "without a password and upload it again.") % {"file": filename})
        if not any(name in data for name in _OLE_BOOKS):
            raise _not_a_spreadsheet(filename)
        return XLS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            mimetype = zf.read("mimetype")[:200].strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        raise _not_a_spreadsheet(filename) from None
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        kind = XLSX
    elif mimetype == _ODS_MIMETYPE and "content.xml" in names:
        kind = ODS
    else:
        raise _not_a_spreadsheet(filename)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > max_uncompressed_bytes() or (total > 8 * 1024 * 1024 and total / packed > MAX_UNCOMPRESSED_RATIO):
        raise _Refused("zip_bomb", _("“%(file)s” would expand to %(size)s MB; files that expand beyond %(limit)s MB "
                                     "or unusually far are refused.")
                       % {"file": filename, "size": _mb(total), "limit": _mb(max_uncompressed_bytes())})
    return kind


def _ods_without_macros(data: bytes) -> tuple[bytes, list[str]]:
    """An .ods without its Basic libraries and scripts (the parts a macro lives in); the names removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        infos = zin.infolist()
        removed = [i.filename for i in infos if i.filename.lower().startswith(_ODS_MACRO_DIRS)]
        if not removed:
            return data, []
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zout:
            for info in infos:
                if info.filename in removed:
                    continue
                zout.writestr(info, zin.read(info))  # the members keep their compression (mimetype stays stored)
    return out.getvalue(), removed


def package_without_macros(*, data: bytes, filename: str) -> tuple[bytes, list[str]]:
    """The upload as it may be stored: a macro-enabled workbook loses its VBA project (the parts removed are
    returned). Files with Excel 4 macro sheets or ActiveX controls are refused; other problems with the file
    are left to workbook_parse, which reports them on the job."""
    if data[:8] == _OLE_MAGIC and _OLE_VBA in data:
        raise ValidationFailed(
            _("“%(file)s” is an Excel 97-2003 workbook with macros (VBA), which LienKet does not accept. Save it as an "
              "Excel workbook (.xlsx) or without macros and upload it again.") % {"file": filename},
            {"field": "file", "parts": ["_VBA_PROJECT_CUR"]}, code=ErrorCode.MACROS_REFUSED,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            is_ods = "mimetype" in names and zf.read("mimetype")[:200].strip() == _ODS_MIMETYPE
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
        return data, []
    if is_ods:
        try:
            _check_zip(data, filename)  # the copy below expands every member: no zip bombs
            return _ods_without_macros(data)
        except _Refused as exc:
            raise ValidationFailed(exc.message, {"field": "file"}, code=exc.code) from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError):
            raise ValidationFailed(
                _("“%(file)s” could not be read: the file is damaged or not a valid spreadsheet.") % {"file": filename},
                {"field": "file"}, code=ErrorCode.CORRUPT_FILE,
            ) from None
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
            _("“%(file)s” could not be read: the file is damaged or not a valid spreadsheet.") % {"file": filename},
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


class _CalamineBook:
    """The same interface over python-calamine, for .ods and .xls (and .xlsx when asked: `reader="calamine"`).
    Calamine gives a cell's saved value — a number as float (int for some .xls cells), a date as date/datetime,
    text as str, an empty cell as "" (here None) — and no formulas or number formats."""

    def __init__(self, data: bytes) -> None:
        self.wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        self.sheet_names = list(self.wb.sheet_names)

    def rows(
        self, title: str, *, min_row: int, max_col: int, columns: frozenset[int] | None = None,
    ) -> Iterator[tuple[int, list[Any]]]:
        wanted = frozenset(range(1, max_col + 1)) if columns is None else columns
        # iter_rows starts at row 1 (rows above the first used one come back empty)
        for row_no, raw in enumerate(self.wb.get_sheet_by_name(title).iter_rows(), 1):
            if row_no < min_row:
                continue
            values: list[Any] = [None] * max_col
            for col, value in enumerate(raw[:max_col], 1):
                if col in wanted and value != "":
                    values[col - 1] = value
            yield row_no, values

    def close(self) -> None:
        self.wb.close()


Book = _FastBook | _OpenpyxlBook | _CalamineBook


def _open_book(data: bytes, *, reader: str, kind: str = XLSX) -> Book:
    if kind != XLSX or reader == "calamine":
        return _CalamineBook(data)
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
