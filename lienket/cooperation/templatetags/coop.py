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
