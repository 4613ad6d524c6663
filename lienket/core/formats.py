"""Numbers and dates in the user's language: Vietnamese 1.234.567,8 and dd/mm/yyyy; English 1,234,567.8."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from .codes import ErrorCode
from .errors import ValidationFailed
from .text import foreign_digit, strip_invisible


def _separators(lang: str | None) -> tuple[str, str]:
    lang = (lang or translation.get_language() or "vi").split("-")[0]
    return (",", ".") if lang == "vi" else (".", ",")


def format_number(value: Decimal | int | float | str | None, decimals: int | None = None, lang: str | None = None) -> str:
    """Group thousands and use the language's decimal mark; `decimals=None` keeps the value's own scale."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is not None:
        quant = Decimal(1).scaleb(-decimals)
        number = number.quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    dec_mark, thousands = _separators(lang)
    result = thousands.join(groups)
    if frac:
        result += dec_mark + frac
    return sign + result


def format_plain(value: Decimal | int | float | str | None, lang: str | None = None) -> str:
    """A number inside a message: grouped in the language's style, without trailing zeros and never in
    scientific notation (a limit stored as `1000.000000` or normalised to `1E+3` reads `1.000` / `1,000`)."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if number.is_finite() and number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return format_number(number, None, lang)


def parse_number(text: str | int | float | Decimal, lang: str | None = None) -> Decimal:
    """Read a number typed by a person in either convention.

    Rules: when both `.` and `,` appear, the last one is the decimal mark; a lone `,` is decimal
    (Vietnamese); a lone `.` is decimal unless it groups exactly three digits more than once
    (`1.234.567`) or the language is Vietnamese and it groups three digits (`1.234`).
    """
    if isinstance(text, Decimal):
        return text
    if isinstance(text, bool):
        raise ValidationFailed(_("“%(value)s” is not a number") % {"value": text})
    if isinstance(text, int | float):
        return Decimal(str(text))
    raw = strip_invisible(str(text)).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not raw:
        raise ValidationFailed(_("empty value"))
    digit = foreign_digit(raw)
    if digit is not None or "_" in raw:
        # Decimal() would read "١٢", "１２" and "1_000" as numbers; a person meant something else or pasted it.
        raise ValidationFailed(
            _("“%(value)s” is not a number: use the digits 0–9 (found “%(char)s”)") % {"value": raw[:50], "char": digit or "_"},
            {"value": raw[:50]}, code=ErrorCode.INVALID_NUMBER,
        )
    lang = (lang or translation.get_language() or "vi").split("-")[0]
    s = raw
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        parts = s.split(",")
        if len(parts) > 2 or (lang == "en" and len(parts[-1]) == 3):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif "." in s:
        parts = s.split(".")
        if len(parts) > 2 or (lang == "vi" and len(parts[-1]) == 3 and parts[0].lstrip("-+") not in ("", "0")):
            s = s.replace(".", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise ValidationFailed(_("“%(value)s” is not a number") % {"value": raw}) from None
    if not value.is_finite():
        raise ValidationFailed(_("“%(value)s” is not a number") % {"value": raw})
    return value


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def parse_iso_date(text: str, *, field: str = "date") -> dt.date:
    """Parse YYYY-MM-DD (API) or dd/mm/yyyy (people) with a clear error."""
    raw = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise ValidationFailed(
        _("%(field)s: “%(value)s” is not a valid date (use YYYY-MM-DD, e.g. 2025-07-01)") % {"field": field, "value": raw},
        {"field": field, "value": raw},
        code=ErrorCode.INVALID_DATE,
    )
