"""Unit keys: how a text names one administrative unit record.

A key is a GSO code (`25`), meaning the record that carries the code on some date the caller decides, or a code and
the first day of a record's validity (`25@2025-07-01`), naming exactly one record across the 2025 merger (see
`AdminUnit.key`). This module is the only place that takes such a text apart: every channel (URLs, forms, CSV,
JSON, the API, Excel sheets) calls `unit_key_parse`, and `unit_key_resolve` to look the record up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed
from lienket.core.text import nfc

from .codes import ErrorCode
from .models import AdminUnit, UnitQuerySet

SEPARATOR = "@"


@dataclass(frozen=True)
class UnitKey:
    """A parsed key: the code, and the first day of the named record's validity (None for a plain code)."""

    code: str
    valid_from: dt.date | None = None

    def __str__(self) -> str:
        return f"{self.code}{SEPARATOR}{self.valid_from.isoformat()}" if self.valid_from else self.code

    def record_q(self) -> Q:
        """The record this key names literally: a plain code is the record valid over the whole range
        (`valid_from` NULL), as `AdminUnit.key` writes it."""
        return Q(code=self.code, valid_from=self.valid_from) if self.valid_from else Q(code=self.code, valid_from__isnull=True)


def unit_key_parse(text: str) -> UnitKey:
    """`25` → UnitKey("25"); `25@2025-07-01` → UnitKey("25", 2025-07-01). A malformed key (no code, nothing or
    no ISO date after `@`, a second `@`) raises ValidationFailed with code `invalid_unit` and a message that
    says what a key looks like. The text is NFC-normalised, not stripped (callers decide about spaces)."""
    text = nfc(text or "")
    code, sep, start = text.partition(SEPARATOR)
    valid_from: dt.date | None = None
    if sep:
        try:
            valid_from = dt.date.fromisoformat(start)
        except ValueError:
            raise _invalid(text) from None
        if not code:
            raise ValidationFailed(_("“%(unit)s” has no unit code before “@”") % {"unit": text}, {"unit": text}, code=ErrorCode.INVALID_UNIT)
    elif not code:
        raise _invalid(text)
    return UnitKey(code, valid_from)


def _invalid(text: str) -> ValidationFailed:
    return ValidationFailed(
        _("“%(unit)s” is not a unit key; use the code (\"25\") or code@valid-from (\"25@2025-07-01\")") % {"unit": text},
        {"unit": text}, code=ErrorCode.INVALID_UNIT,
    )


def unit_key_problem(text: str) -> str | None:
    """Why a non-empty `text` cannot be a unit key, or None (an empty text is the caller's "required" check)."""
    if not text:
        return None
    try:
        unit_key_parse(text)
    except ValidationFailed as exc:
        return exc.message
    return None


def unit_key_resolve(key: UnitKey | str, *, on: dt.date, qs: UnitQuerySet | None = None) -> AdminUnit | None:
    """The record a key names among `qs` (default: provinces): a dated key that record, a plain code the record
    valid `on`. None when there is none; ValidationFailed for a malformed key."""
    parsed = key if isinstance(key, UnitKey) else unit_key_parse(key)
    units = qs if qs is not None else AdminUnit.objects.provinces()
    if parsed.valid_from is not None:
        return units.filter(code=parsed.code, valid_from=parsed.valid_from).first()
    return units.valid_on(on).filter(code=parsed.code).first()
