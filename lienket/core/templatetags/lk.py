"""Template filters for Vietnamese-first formatting (available in every template as builtins)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from lienket.core.formats import format_date, format_number

register = template.Library()


@register.filter
def num(value: Decimal | int | float | str | None, decimals: int | str | None = None) -> str:
    """`{{ value|num:2 }}` → 1.234,57 in Vietnamese, 1,234.57 in English."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value, int(decimals) if decimals not in (None, "") else None)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


@register.filter
def vdate(value: dt.date | dt.datetime | None) -> str:
    return format_date(value)


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    if not mapping:
        return None
    return mapping.get(key)
