"""Period arithmetic. Codes follow DHIS2 where it has one: 202501 (month), 2025Q1, 2025S1 (first 6 months),
2025N9 (first 9 months, cumulative), 2025 (year).

Reports of state agencies are cut off mid-month (Decree 09/2019/NĐ-CP: data up to the 14th of the period's
last month), so the date a report is due — which decides *which administrative units report it* across the
1/7/2025 merger — is the cut-off plus the data set's grace days, not the calendar end of the period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from lienket.core.errors import ValidationFailed

from .codes import ErrorCode


class PeriodType:
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEAR = "year"

    ALL = (MONTH, QUARTER, HALF_YEAR, NINE_MONTHS, YEAR)


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    period_type: str
    year: int
    index: int  # month 1-12, quarter 1-4, half 1, nine-months 1, year 1
    start: dt.date
    end: dt.date

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def label(self, lang: str = "vi") -> str:
        vi = lang.startswith("vi")
        if self.period_type == PeriodType.MONTH:
            return f"Tháng {self.index:02d}/{self.year}" if vi else f"{calendar.month_name[self.index]} {self.year}"
        if self.period_type == PeriodType.QUARTER:
            return f"Quý {self.index}/{self.year}" if vi else f"Q{self.index} {self.year}"
        if self.period_type == PeriodType.HALF_YEAR:
            return f"6 tháng đầu năm {self.year}" if vi else f"First 6 months {self.year}"
        if self.period_type == PeriodType.NINE_MONTHS:
            return f"9 tháng năm {self.year}" if vi else f"First 9 months {self.year}"
        return f"Năm {self.year}" if vi else f"Year {self.year}"

    def previous(self) -> PeriodSpec:
        """The period before (for months/quarters) or the same span of the previous year (cumulative types)."""
        if self.period_type == PeriodType.MONTH:
            return month(self.year - 1, 12) if self.index == 1 else month(self.year, self.index - 1)
        if self.period_type == PeriodType.QUARTER:
            return parse_period(f"{self.year - 1}Q4") if self.index == 1 else parse_period(f"{self.year}Q{self.index - 1}")
        return self.same_period_last_year()

    def same_period_last_year(self) -> PeriodSpec:
        return parse_period(self.code.replace(str(self.year), str(self.year - 1), 1))


@lru_cache(maxsize=4096)
def month(year: int, m: int) -> PeriodSpec:
    """(Cached: a PeriodSpec is immutable, and the entry form asks for the same months thousands of times.)"""
    last = calendar.monthrange(year, m)[1]
    return PeriodSpec(f"{year}{m:02d}", PeriodType.MONTH, year, m, dt.date(year, m, 1), dt.date(year, m, last))


_PATTERNS = [
    (re.compile(r"^(\d{4})(0[1-9]|1[0-2])$", re.ASCII), PeriodType.MONTH),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$", re.ASCII), PeriodType.MONTH),
    (re.compile(r"^(\d{4})Q([1-4])$", re.ASCII), PeriodType.QUARTER),
    (re.compile(r"^(\d{4})S1$", re.ASCII), PeriodType.HALF_YEAR),
    (re.compile(r"^(\d{4})N9$", re.ASCII), PeriodType.NINE_MONTHS),
    (re.compile(r"^(\d{4})$", re.ASCII), PeriodType.YEAR),
]


def parse_period(code: str) -> PeriodSpec:
    """The period of `code`; raises ValidationFailed for anything else. Cached (a PeriodSpec is immutable)."""
    try:
        return _parse_cached(code)
    except TypeError:  # unhashable: let the parser refuse it
        return _parse(code)


@lru_cache(maxsize=4096)
def _parse_cached(code: str) -> PeriodSpec:
    return _parse(code)


def _parse(code: str) -> PeriodSpec:
    raw = (code or "").strip().upper()
    for pattern, ptype in _PATTERNS:
        m = pattern.match(raw)
        if not m:
            continue
        year = int(m.group(1))
        if not 1990 <= year <= 2100:
            break
        if ptype == PeriodType.MONTH:
            return month(year, int(m.group(2)))
        if ptype == PeriodType.QUARTER:
            q = int(m.group(2))
            start = dt.date(year, 3 * q - 2, 1)
            end_month = 3 * q
            return PeriodSpec(f"{year}Q{q}", ptype, year, q, start, dt.date(year, end_month, calendar.monthrange(year, end_month)[1]))
        if ptype == PeriodType.HALF_YEAR:
            return PeriodSpec(f"{year}S1", ptype, year, 1, dt.date(year, 1, 1), dt.date(year, 6, 30))
        if ptype == PeriodType.NINE_MONTHS:
            return PeriodSpec(f"{year}N9", ptype, year, 1, dt.date(year, 1, 1), dt.date(year, 9, 30))
        return PeriodSpec(str(year), ptype, year, 1, dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise ValidationFailed(
        _('"%(code)s" is not a period code. Use 202501 (month), 2025Q1 (quarter), 2025S1 (6 months), 2025N9 (9 months) or 2025 (year).')
        % {"code": code},
        {"value": code},
        code=ErrorCode.INVALID_PERIOD,
    )


def periods_of_type(period_type: str, year: int) -> list[PeriodSpec]:
    return list(_periods_of_type(period_type, year))


@lru_cache(maxsize=1024)
def _periods_of_type(period_type: str, year: int) -> tuple[PeriodSpec, ...]:
    return tuple(_periods_list(period_type, year))


def _periods_list(period_type: str, year: int) -> list[PeriodSpec]:
    if period_type == PeriodType.MONTH:
        return [month(year, m) for m in range(1, 13)]
    if period_type == PeriodType.QUARTER:
        return [parse_period(f"{year}Q{q}") for q in range(1, 5)]
    if period_type == PeriodType.HALF_YEAR:
        return [parse_period(f"{year}S1")]
    if period_type == PeriodType.NINE_MONTHS:
        return [parse_period(f"{year}N9")]
    return [parse_period(str(year))]


def cutoff_date(spec: PeriodSpec, cutoff_day: int) -> dt.date:
    """Data cut-off: `cutoff_day` of the period's last month (Decree 09/2019: the 14th); 0 = calendar end."""
    if cutoff_day <= 0:
        return spec.end
    return dt.date(spec.end.year, spec.end.month, min(cutoff_day, spec.end.day))


def period_type_check(*, dataset: Any, spec: PeriodSpec) -> PeriodSpec:
    """`spec` if `dataset` is reported for periods of its type; ValidationFailed `wrong_period_type` otherwise.
    The one check of a data set's period type, for every page, endpoint, service and template."""
    if spec.period_type != dataset.period_type:
        raise ValidationFailed(
            _("%(dataset)s is reported per %(ptype)s, not for period %(period)s.")
            % {"dataset": dataset.code, "ptype": dataset.get_period_type_display().lower(), "period": spec.code},
            {"dataset": dataset.code, "period": spec.code, "period_type": dataset.period_type},
            code=ErrorCode.WRONG_PERIOD_TYPE,
        )
    return spec
