"""Reading a plain table (a header row, then one record per row) from an uploaded workbook, for the imports of
other apps (products). Same guards and same cell reader as the template import: size limit, zip-bomb and
damaged-file checks, DTD/entity refusal, the fast sheet reader with openpyxl as its fallback; formula cells come
back as `workbook.Formula`. Refusals of the file as a whole raise `TableRefused` (code + translated message).

The public face is `table_read` and `TableRefused`; the rest of this package's internals stay private, so the
reader underneath can change (e.g. to python-calamine) without touching the callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lienket.core.text import nfc

from .workbook import Formula, _check_zip, _open_book, _reading, _Refused, _Unsupported

__all__ = ["Formula", "TableRead", "TableRefused", "table_read"]


class TableRefused(Exception):
    """The upload cannot be read as a table: not a workbook, damaged, too large, a zip bomb, no such sheet."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class TableRead:
    filename: str
    sheet: str
    #: (row number, values of columns 1..max_col) for every row that has cells, the header row included.
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def table_read(*, data: bytes, filename: str, max_col: int, sheet: str | None = None, max_rows: int = 100_000) -> TableRead:
    """The rows of `sheet` (default: the first sheet) of an uploaded .xlsx. Nothing is interpreted: values come out
    as the reader gives them (int/float, datetime for date cells, str, Formula)."""
    filename = nfc(filename).replace("\\", "/").rsplit("/", 1)[-1] or "upload.xlsx"
    try:
        return _read(data, filename, max_col=max_col, sheet=sheet, max_rows=max_rows, reader="fast")
    except _Unsupported:
        return _read(data, filename, max_col=max_col, sheet=sheet, max_rows=max_rows, reader="openpyxl")
    except _Refused as exc:
        raise TableRefused(exc.code, exc.message) from None


def _read(data: bytes, filename: str, *, max_col: int, sheet: str | None, max_rows: int, reader: str) -> TableRead:
    try:
        _check_zip(data, filename)
        with _reading(filename):
            book = _open_book(data, reader=reader)
        try:
            names = list(book.sheet_names)
            title = sheet if sheet is not None else (names[0] if names else "")
            if title not in names:
                raise _Refused("missing_sheet", _("“%(file)s” has no sheet “%(sheet)s”.") % {"file": filename, "sheet": title})
            out = TableRead(filename=filename, sheet=title)
            with _reading(filename):
                for row_no, values in book.rows(title, min_row=1, max_col=max_col):
                    if len(out.rows) >= max_rows:
                        raise _Refused("too_many_rows", _("“%(file)s” has more than %(n)s rows; split it into several files.")
                                       % {"file": filename, "n": max_rows})
                    out.rows.append((row_no, list(values)))
            return out
        finally:
            book.close()
    except _Refused as exc:
        raise TableRefused(exc.code, exc.message) from None
