"""Template filters of the cooperation pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from lienket.core.formats import format_number

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, decimals: int = 1) -> str:
    """0.4567 → "45,7 %" (vi) / "45.7 %" (en); None → "—"."""
    if value is None:
        return "—"
    return f"{format_number(Decimal(str(value)) * 100, int(decimals))} %"


@register.filter
def ratio4(value: Any) -> str:
    """A float for an HTML attribute (always a dot)."""
    return f"{float(value or 0):.4f}"


@register.filter
def qty(value: Decimal | float | int | None) -> str:
    """A stored quantity without its padding zeros, in the language's format: 80.000 → "80", 2.500 → "2,5" (vi)."""
    if value is None:
        return "—"
    number = Decimal(str(value)).normalize()
    exponent = int(number.as_tuple().exponent)
    return format_number(number, max(0, -exponent))
