"""The value types of the one write path for data values (`services.datavalues_apply`) and the parse of one
raw value. Parsers (the entry form, CSV/JSON, Excel) build `ValueItem`s and call `value_parse` without
depending on the services that write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed
from lienket.core.formats import format_plain, parse_number
from lienket.regions.models import AdminUnit

from .models import Indicator

STORAGE_PLACES = Decimal("0.000001")
MAX_ABS_VALUE = Decimal("1e17")


@dataclass
class ValueItem:
    """One value to write. `ref` says where it came from, for error messages (e.g. `Biểu 01!D7`)."""

    unit: AdminUnit | str
    period: str
    indicator: str
    value: Any
    option: str | None = None
    is_estimate: bool | None = None
    comment: str | None = None
    expected_version: int | None = None
    ref: str = ""


@dataclass
class ApplyResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    dry_run: bool = False
    submissions: list[int] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created, "changed": self.changed, "unchanged": self.unchanged, "deleted": self.deleted,
            "dry_run": self.dry_run, "submissions": self.submissions,
        }


def value_places(indicator: Indicator) -> Decimal:
    """The step values of `indicator` are stored in: its stated decimals (at most the storage's six)."""
    return Decimal(1).scaleb(-min(int(indicator.decimals), 6))


def value_parse(raw: Any, indicator: Indicator) -> Decimal | None:
    """Read one raw value for `indicator`; None means "empty" (deletes a stored value). Raises ValueError with a
    user-facing message. The same rules for every channel (form, Excel, CSV, API) — see docs/reporting.md:

    * per cent: `112,5%` (or `112.5 %`) means 112.5 for an indicator kept in per cent (`Indicator.in_percent`:
      percentages and indices); for any other indicator the sign is ambiguous and refused;
    * precision: the number is rounded half-up to the indicator's decimals, so what is stored is what every
      screen, export and the Excel template show (a formula's 2438.063636 is stored as 2438.1); a whole-number
      indicator refuses a fraction instead (rounding 3,5 markets would invent a count).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(_("“%(value)s” is not a number") % {"value": raw})
    if isinstance(raw, str) and raw.strip().endswith("%"):
        if not indicator.in_percent:
            raise ValueError(
                _("“%(value)s”: %(indicator)s is measured in %(uom)s, not in per cent; enter the number without “%%”")
                % {"value": raw.strip()[:50], "indicator": indicator.code, "uom": indicator.uom(_lang())}
            )
        raw = raw.strip()[:-1].rstrip()
        if not raw:
            raise ValueError(_("“%(value)s” is not a number") % {"value": "%"})
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):  # NaN / infinity
            raise ValueError(_("“%(value)s” is not a number") % {"value": raw})
        number = Decimal(repr(raw))
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, Decimal):
        number = raw
    else:
        try:
            number = parse_number(str(raw))
        except (ValidationFailed, ArithmeticError):
            raise ValueError(_("“%(value)s” is not a number") % {"value": str(raw)[:50]}) from None
    try:
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number") % {"value": str(raw)[:50]})
        if abs(number) >= MAX_ABS_VALUE:
            raise ValueError(_("%(value)s is too large") % {"value": str(raw)[:50]})
        integral = number == number.to_integral_value()
    except ArithmeticError:  # exponents beyond the decimal context, e.g. 1E+999999999
        raise ValueError(_("%(value)s is too large") % {"value": str(raw)[:50]}) from None
    if indicator.value_type == Indicator.ValueType.INTEGER and not integral:
        raise ValueError(_("“%(value)s” must be a whole number") % {"value": raw})
    typed = number  # what the person wrote, for messages (in their language's digits: 5000 → 5.000)
    number = number.quantize(value_places(indicator), rounding=ROUND_HALF_UP)
    if indicator.min_value is not None and number < indicator.min_value:
        raise ValueError(_("%(value)s is below the minimum %(min)s") % {"value": format_plain(typed), "min": format_plain(indicator.min_value)})
    if indicator.max_value is not None and number > indicator.max_value:
        raise ValueError(_("%(value)s is above the maximum %(max)s") % {"value": format_plain(typed), "max": format_plain(indicator.max_value)})
    quantized = number.quantize(STORAGE_PLACES)
    return quantized


def _lang() -> str:
    return (translation.get_language() or "vi").split("-")[0]
