"""Wire formats of data values for the API: CSV in and out, and the items of the JSON body.

Pure: no database. Both readers turn a request body into `ValueItem`s for services.datavalues_apply plus a
list of problems in the service's own error shape (`{ref, field, code, message}`), so the API can answer
with every problem of a file at once.

Numbers: a lone "." is the decimal mark ("1234.5", "101.234" — what our export writes), "," too ("1234,5");
with both, the last one is the decimal mark ("1.234,5", "1,234.5"); several "." group thousands
("1.234.567"). Machine format always wins, so an export read back is the same Decimal.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from lienket.core import xlsx_safe
from lienket.core.api import MAX_SMALL_INT
from lienket.core.errors import ApplicationError, ValidationFailed
from lienket.core.formats import parse_number
from lienket.core.text import fold, is_ascii_int, nfc
from lienket.regions.keys import UnitKey, unit_key_parse, unit_key_problem

from .codes import ErrorCode
from .schemas import MAX_COMMENT
from .values import ValueItem

MAX_ROWS = 200_000
MAX_EXPONENT = 30  # far above any real value (the service refuses ≥ 1e17) and far below Decimal overflow

IMPORT_HEADER = ["unit", "period", "indicator", "option", "value", "is_estimate", "comment"]
EXPORT_HEADER = [*IMPORT_HEADER, "status", "version"]
REQUIRED_COLUMNS = ("unit", "period", "indicator", "value")
#: `status` is written by the export and ignored on import, so an exported file can be sent back as is.
KNOWN_COLUMNS = frozenset(EXPORT_HEADER)

#: Keys of GET /datavalues items that a client may send back unchanged; they are ignored on write.
JSON_READ_ONLY_KEYS = frozenset({"unit_key", "unit_name", "status", "submission_id", "updated_at", "ref"})
JSON_KEYS = frozenset({"unit", "period", "indicator", "option", "value", "is_estimate", "comment", "version"})
JSON_TOP_KEYS = frozenset({"values", "reason", "count", "limit", "offset", "next", "next_cursor"})

# ASCII digits only: Python's \d, int() and Decimal() also read "١٢" and "１２" as 12.
_MACHINE_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
_TRUE = frozenset({"true", "1", "yes", "y", "x", "co"})
_FALSE = frozenset({"false", "0", "no", "n", "khong"})


# ---------------------------------------------------------------------------------------------------------
# Cells


def decimal_text(value: Decimal) -> str:
    """1234.500000 → "1234.5", 1000.000000 → "1000": exact, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def number_coerce(raw: Any) -> Any:
    """A value as the API reads it: None for empty, a Decimal when it is a number under the rules of this
    module, otherwise the raw input unchanged (the service then reports it as not a number). ValueError for a
    number so large that arithmetic on it would overflow (e.g. "1E+999999999")."""
    if raw is None or isinstance(raw, bool):
        return raw
    number: Decimal | None = None
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        try:
            number = Decimal(text) if _MACHINE_NUMBER.match(text) else parse_number(text, lang="vi")
        except (InvalidOperation, ValidationFailed):
            return raw
    if number is None:
        return raw
    if number.is_finite() and number.adjusted() > MAX_EXPONENT:
        raise ValueError(_("%(value)s is too large") % {"value": str(raw)[:50]})
    return number


def bool_parse(raw: str) -> bool | None:
    """true/false, 1/0, yes/no, có/không, x (any case); empty → None. ValueError otherwise."""
    key = fold(raw)
    if not key:
        return None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(raw)


def comment_escape(text: str) -> str:
    """Quote a comment a spreadsheet would run as a formula with a leading apostrophe (reversed on import).
    The rule is shared with the XLSX exports: lienket.core.xlsx_safe."""
    return xlsx_safe.csv_quote(text)


def comment_unescape(text: str) -> str:
    return xlsx_safe.csv_unquote(text)


def unit_cell(raw: str) -> str:
    """Spreadsheets drop leading zeros: province codes are two digits, so "1" means "01" (also in "1@2025-07-01")."""
    text = raw.strip()
    try:
        key = unit_key_parse(text)
    except ValidationFailed:
        return text
    if is_ascii_int(key.code) and len(key.code) == 1:
        return str(UnitKey(key.code.zfill(2), key.valid_from))
    return text


def _error(ref: str, field: str, code: str, message: str) -> dict[str, Any]:
    return {"ref": ref, "field": field, "code": code, "message": f"{ref}: {message}"}


def comment_problem(ref: str, comment: str | None) -> dict[str, Any] | None:
    """The error for a comment longer than the entry form allows (the form's limit, MAX_COMMENT), or None."""
    if comment is None:
        return None
    length = len(nfc(comment))
    if length <= MAX_COMMENT:
        return None
    return _error(ref, "comment", "too_long", _("the comment has %(length)s characters; at most %(max)s are allowed")
                  % {"length": length, "max": MAX_COMMENT})


# ---------------------------------------------------------------------------------------------------------
# CSV


def csv_decode(body: bytes, charset: str | None = None) -> str:
    """The text of an uploaded CSV: UTF-8 (a BOM is fine) unless the request names another charset."""
    encoding = (charset or "utf-8").strip().lower()
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ApplicationError(
            ErrorCode.UNSUPPORTED_CHARSET, _("Unknown character set “%(charset)s”. Send the CSV as UTF-8.") % {"charset": charset},
            status=415,
        ) from None
    try:
        text = body.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            ErrorCode.INVALID_ENCODING,
            _("The CSV is not valid %(charset)s text (byte %(pos)s). Save it as “CSV UTF-8”.")
            % {"charset": encoding.upper(), "pos": exc.start + 1},
            status=400,
        ) from None
    return text.removeprefix("\ufeff")


def _delimiter(first_line: str) -> str:
    """Comma by default; a spreadsheet set to Vietnamese saves with ";" (its decimal mark is ",")."""
    for candidate in (";", "\t"):
        if candidate in first_line and "," not in first_line:
            return candidate
    return ","


def csv_read(text: str) -> tuple[list[ValueItem], list[dict[str, Any]]]:
    """Rows of a CSV as ValueItems (ref `row N`, the header being row 1) and the problems found in cells.

    Problems with the file as a whole (no header, missing columns, too many rows, broken quoting) raise an
    ApplicationError at once: there is nothing sensible to say about single rows then.
    """
    if not text.strip():
        raise ApplicationError(ErrorCode.EMPTY_BODY, _("The request body is empty: send a CSV with a header row."), status=400)
    expected = ",".join(IMPORT_HEADER)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True)
    items: list[ValueItem] = []
    errors: list[dict[str, Any]] = []
    header: list[str] | None = None
    index: dict[str, int] = {}
    row_no = data_rows = 0
    try:
        for record in reader:
            row_no += 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().lower().removeprefix("\ufeff") for cell in record]
                index = _header_check(header, expected, row_no)
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                raise ApplicationError(
                    ErrorCode.TOO_MANY_ROWS,
                    _("The file has more than %(max)s data rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
                    {"max_rows": MAX_ROWS}, status=413,
                )
            ref = f"row {row_no}"  # an identifier like values[i], not prose: never translated
            if len(record) != len(header):
                errors.append(_error(ref, "row", "invalid_row", _("expected %(expected)s columns, found %(found)s")
                                     % {"expected": len(header), "found": len(record)}))
                continue
            item = _row_item(record, index, ref, errors)
            if item is not None:
                items.append(item)
    except csv.Error as exc:
        raise ApplicationError(
            ErrorCode.INVALID_CSV, _("The CSV cannot be read near row %(n)s: %(error)s") % {"n": reader.line_num, "error": exc},
            {"line": reader.line_num}, status=400,
        ) from None
    if header is None:
        raise ApplicationError(ErrorCode.EMPTY_BODY, _("The request body is empty: send a CSV with a header row."), status=400)
    return items, errors


def _header_check(header: list[str], expected: str, row_no: int) -> dict[str, int]:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in KNOWN_COLUMNS]
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or duplicates:
        problems = []
        if missing:
            problems.append(_("missing column(s): %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown column(s): %(cols)s") % {"cols": ", ".join(unknown) or "\"\""})
        if duplicates:
            problems.append(_("repeated column(s): %(cols)s") % {"cols": ", ".join(duplicates)})
        raise ApplicationError(
            ErrorCode.INVALID_HEADER,
            _("Row %(n)s must be the header “%(expected)s” (%(problems)s).")
            % {"n": row_no, "expected": expected, "problems": "; ".join(problems)},
            {"expected": IMPORT_HEADER, "found": header, "missing": missing, "unknown": unknown, "repeated": duplicates},
            status=400,
        )
    return {name: i for i, name in enumerate(header)}


def _row_item(record: list[str], index: Mapping[str, int], ref: str, errors: list[dict[str, Any]]) -> ValueItem | None:
    def cell(name: str) -> str | None:
        pos = index.get(name)
        return None if pos is None else record[pos]

    ok = True
    for name in REQUIRED_COLUMNS[:3]:
        if not (cell(name) or "").strip():
            ok = False
            errors.append(_error(ref, name, "required", _("“%(field)s” is required") % {"field": name}))
    unit = unit_cell(cell("unit") or "")
    problem = unit_key_problem(unit)
    if problem:
        ok = False
        errors.append(_error(ref, "unit", "invalid_unit", problem))
    is_estimate: bool | None = None
    raw_estimate = cell("is_estimate")
    if raw_estimate is not None:
        try:
            is_estimate = bool_parse(raw_estimate)
        except ValueError:
            ok = False
            errors.append(_error(ref, "is_estimate", "invalid_boolean",
                                 _("is_estimate must be true or false, not “%(value)s”") % {"value": raw_estimate[:50]}))
    version: int | None = None
    raw_version = (cell("version") or "").strip()
    if raw_version:
        if is_ascii_int(raw_version) and int(raw_version) <= MAX_SMALL_INT:
            version = int(raw_version)
        else:
            ok = False
            errors.append(_error(ref, "version", "invalid_version",
                                 _("version must be a whole number, not “%(value)s”") % {"value": raw_version[:50]}))
    try:
        value = number_coerce(cell("value"))
    except ValueError as exc:
        ok = False
        errors.append(_error(ref, "value", "invalid_value", str(exc)))
    comment = cell("comment")
    too_long = comment_problem(ref, comment)
    if too_long:
        ok = False
        errors.append(too_long)
    if not ok:
        return None
    return ValueItem(
        unit=unit,
        period=(cell("period") or "").strip(),
        indicator=(cell("indicator") or "").strip(),
        option=(cell("option") or "").strip() or None,
        value=value,
        is_estimate=is_estimate,
        comment=None if comment is None else comment_unescape(comment),
        expected_version=version,
        ref=ref,
    )


def csv_write(rows: Iterable[Mapping[str, Any]]) -> Iterable[str]:
    """The export, line by line: UTF-8 BOM (so Excel reads the diacritics), the header, one value per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        out = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return out

    writer.writerow(EXPORT_HEADER)
    yield "\ufeff" + flush()
    for n, row in enumerate(rows, 1):
        writer.writerow([
            row["unit"], row["period"], row["indicator"], row["option"] or "", row["value"],
            "true" if row["is_estimate"] else "false", comment_escape(row["comment"] or ""), row["status"], row["version"],
        ])
        if n % 1000 == 0:
            yield flush()
    yield flush()


# ---------------------------------------------------------------------------------------------------------
# JSON body


def json_read(data: Any) -> tuple[list[ValueItem], str, list[dict[str, Any]]]:
    """The decoded JSON body `{"values": [...], "reason": ""}` as ValueItems (ref `values[i]`), the reason,
    and the problems found in single items. A body of the wrong shape raises an ApplicationError."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise ApplicationError(
            ErrorCode.INVALID_BODY, _("The body must be a JSON object {\"values\": [...], \"reason\": \"...\"}."), status=400
        )
    unknown_top = sorted(set(data) - JSON_TOP_KEYS)
    if unknown_top:
        raise ApplicationError(
            ErrorCode.INVALID_BODY, _("Unknown field(s) in the body: %(fields)s.") % {"fields": ", ".join(unknown_top)},
            {"unknown": unknown_top}, status=400,
        )
    reason = "" if data.get("reason") is None else data["reason"]
    if not isinstance(reason, str):  # also {}, [], 0 and false, which are falsy but not text
        raise ApplicationError(ErrorCode.INVALID_BODY, _("“reason” must be text."), {"field": "reason"}, status=400)
    values = data["values"]
    if len(values) > MAX_ROWS:
        raise ApplicationError(
            ErrorCode.TOO_MANY_ROWS, _("The body has more than %(max)s values. Send them in smaller batches.") % {"max": f"{MAX_ROWS:,}"},
            {"max_rows": MAX_ROWS}, status=413,
        )
    items: list[ValueItem] = []
    errors: list[dict[str, Any]] = []
    for i, raw in enumerate(values):
        item = _json_item(raw, f"values[{i}]", errors)
        if item is not None:
            items.append(item)
    return items, reason, errors


def _json_item(raw: Any, ref: str, errors: list[dict[str, Any]]) -> ValueItem | None:
    if not isinstance(raw, dict):
        errors.append(_error(ref, "", "invalid_item", _("each value must be an object")))
        return None
    before = len(errors)
    for key in sorted(set(raw) - JSON_KEYS - JSON_READ_ONLY_KEYS):
        errors.append(_error(ref, key, "unknown_field", _("unknown field “%(field)s”") % {"field": key}))

    def text(key: str, *, required: bool, allow_int: bool = False) -> str | None:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                errors.append(_error(ref, key, "required", _("“%(field)s” is required") % {"field": key}))
            return None
        if allow_int and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            errors.append(_error(ref, key, "invalid_type", _("“%(field)s” must be text") % {"field": key}))
            return None
        return value.strip()

    unit = text("unit", required=True)
    problem = unit_key_problem(unit) if unit else None
    if problem:
        errors.append(_error(ref, "unit", "invalid_unit", problem))
    period = text("period", required=True, allow_int=True)
    indicator = text("indicator", required=True)
    option = text("option", required=False)
    comment = raw.get("comment")
    if comment is not None and not isinstance(comment, str):
        errors.append(_error(ref, "comment", "invalid_type", _("“%(field)s” must be text") % {"field": "comment"}))
    elif (too_long := comment_problem(ref, comment)) is not None:
        errors.append(too_long)
    is_estimate = raw.get("is_estimate")
    if is_estimate is not None and not isinstance(is_estimate, bool):
        errors.append(_error(ref, "is_estimate", "invalid_type", _("is_estimate must be true, false or null")))
    version = raw.get("version")
    if version is not None and (
        not isinstance(version, int) or isinstance(version, bool) or not 0 <= version <= MAX_SMALL_INT
    ):
        errors.append(_error(ref, "version", "invalid_version", _("version must be a whole number or null")))
    if "value" not in raw:
        errors.append(_error(ref, "value", "required", _("“value” is required (null deletes the stored value)")))
    value = raw.get("value")
    if isinstance(value, list | dict):
        errors.append(_error(ref, "value", "invalid_value", _("the value must be a number or text")))
    else:
        try:
            value = number_coerce(value)
        except ValueError as exc:
            errors.append(_error(ref, "value", "invalid_value", str(exc)))
    if len(errors) > before:
        return None
    return ValueItem(
        unit=unit or "", period=period or "", indicator=indicator or "", option=option, value=value,
        is_estimate=is_estimate, comment=comment, expected_version=version, ref=ref,
    )
