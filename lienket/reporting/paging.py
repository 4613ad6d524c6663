"""Parameters of GET /api/v1/datavalues that are more than a code: the keyset cursor, period ranges and
`updated_since`. Pure functions (no database); a bad value is a 400 `invalid_parameter` naming the parameter,
like ninja's own type errors (config/api.py)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from lienket.core.codes import ErrorCode as CoreErrorCode
from lienket.core.errors import ApplicationError

from .periods import PeriodSpec, parse_period

CURSOR_VERSION = "v1"
MAX_KEY = 2**63 - 1
RANGE_SEPARATOR = ".."


def parameter_error(name: str, message: str) -> ApplicationError:
    """400 `invalid_parameter` with the details shape of ninja's validation errors ([{field, message, type}])."""
    return ApplicationError(
        CoreErrorCode.INVALID_PARAMETER,
        _("Invalid parameter(s): %(problems)s") % {"problems": f"{name}: {message}"},
        [{"field": name, "message": message, "type": "value_error"}],
        status=400,
    )


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after the value with this (period id, value id) — the API's sort key."""

    period_id: int
    value_id: int

    def encode(self) -> str:
        raw = f"{CURSOR_VERSION}:{self.period_id}:{self.value_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(token: str) -> Cursor:
    """The cursor a `next` link carried; anything else is a 400 naming `cursor`."""
    bad = parameter_error("cursor", _("not a cursor of this API; use the `next` link of the previous page"))
    text = (token or "").strip()
    if not text or len(text) > 100:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad from None
    parts = raw.split(":")
    if len(parts) != 3 or parts[0] != CURSOR_VERSION or not all(p.isdigit() for p in parts[1:]):
        raise bad
    period_id, value_id = int(parts[1]), int(parts[2])
    if not (0 < period_id <= MAX_KEY and 0 < value_id <= MAX_KEY):
        raise bad
    return Cursor(period_id, value_id)


def period_range_parse(text: str) -> tuple[PeriodSpec, PeriodSpec]:
    """`202603` → (202603, 202603); `202401..202412` → both ends (same kind of period, first ≤ last).
    A code that is not a period stays a 422 `invalid_period` (as before ranges existed)."""
    raw = (text or "").strip()
    if RANGE_SEPARATOR not in raw:
        spec = parse_period(raw)
        return spec, spec
    first_text, _sep, last_text = raw.partition(RANGE_SEPARATOR)
    first, last = parse_period(first_text), parse_period(last_text)
    if first.period_type != last.period_type:
        raise parameter_error("period", _("both ends of a range must be the same kind of period (e.g. 202401..202412)"))
    if first.start > last.start:
        raise parameter_error("period", _("the first period of a range must not come after the last"))
    return first, last


def updated_since_parse(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time; without an offset it is Vietnam time (the site's time zone)."""
    raw = (text or "").strip()
    when = None
    for candidate in (raw, raw.replace(" ", "+")):  # an unencoded "+07:00" arrives as " 07:00"
        try:
            when = dt.datetime.fromisoformat(candidate) if candidate else None
            break
        except ValueError:
            continue
    if when is None or not 1900 <= when.year <= 9999:
        raise parameter_error("updated_since", _("not an ISO 8601 date or date-time (e.g. 2026-03-01T08:00:00+07:00)"))
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when
