"""The analytics query model and its parameters, shared by the API, the pivot page and the exports: one parser,
so a bad parameter is refused the same way everywhere (400, the message names the parameter)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from lienket.core.errors import ApplicationError, ValidationFailed
from lienket.core.text import nfc
from lienket.regions.keys import unit_key_resolve
from lienket.regions.models import AdminUnit, UnitGroup
from lienket.reporting.models import DisaggregationOption, Indicator
from lienket.reporting.periods import PeriodSpec, PeriodType, month, parse_period

from .codes import ErrorCode

BY = ("unit", "subregion", "period", "option")
MEASURES = ("value", "yoy", "yoy_abs", "ytd", "plan_pct", "per_capita", "per_km2", "share", "rank", "count_above")
FORMATS = ("json", "csv", "xlsx", "sdmx-csv")
MAX_PERIODS = 60
MAX_INDICATORS = 20
DEFAULT_GROUP = "north"


def bad(parameter: str, message: str) -> ApplicationError:
    return ApplicationError(
        ErrorCode.ANALYTICS_BAD_PARAMETER, f"{parameter}: {message}", {"parameter": parameter}, status=400,
    )


@dataclass
class Query:
    indicators: list[Indicator]
    periods: list[PeriodSpec]
    units: list[AdminUnit] = field(default_factory=list)
    group: UnitGroup | None = None
    by: str = "unit"
    measure: str = "value"
    threshold: Decimal | str | None = None
    options: list[DisaggregationOption | None] = field(default_factory=lambda: [None])
    fmt: str = "json"

    def params(self) -> dict[str, str]:
        """The query as URL parameters (the pivot page's bookmarkable selection, the export links)."""
        out = {
            "indicator": ",".join(i.code for i in self.indicators),
            "period": ",".join(p.code for p in self.periods),
            "by": self.by,
            "measure": self.measure,
        }
        if self.units:
            out["unit"] = ",".join(u.key for u in self.units)
        elif self.group is not None:
            out["group"] = self.group.key
        if self.threshold is not None:
            out["threshold"] = str(self.threshold)
        if self.options != [None]:
            out["option"] = ",".join(o.code for o in self.options if o is not None)
        return out


def _as_list(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list | tuple) else [raw]


def _split(raw: Any) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [p.strip() for item in items for p in nfc(str(item)).split(",") if p.strip()]


def periods_parse(raw: Any) -> list[PeriodSpec]:
    """`2024S1`, `2024S1,2025S1`, or a range of one type `202401..202412` / `2024Q1..2025Q4` / `2020..2025`."""
    texts = _split(raw)
    if not texts:
        raise bad("period", _("give one or more periods, e.g. 2024S1 or 202401..202412"))
    out: list[PeriodSpec] = []
    for text in texts:
        try:
            if ".." in text:
                first_text, _sep, last_text = text.partition("..")
                first, last = parse_period(first_text), parse_period(last_text)
                if first.period_type != last.period_type or last.start < first.start:
                    raise bad("period", _("a range joins two periods of one type, the earlier first: %(text)s") % {"text": text})
                spec = first
                while spec.start <= last.start and len(out) <= MAX_PERIODS:
                    out.append(spec)
                    spec = _next(spec)
            else:
                out.append(parse_period(text))
        except ValidationFailed as exc:
            raise bad("period", exc.message) from None
    if len(out) > MAX_PERIODS:
        raise bad("period", _("at most %(n)s periods") % {"n": MAX_PERIODS})
    return list(dict.fromkeys(out))


def _next(spec: PeriodSpec) -> PeriodSpec:
    if spec.period_type == PeriodType.MONTH:
        return month(spec.year + 1, 1) if spec.index == 12 else month(spec.year, spec.index + 1)
    if spec.period_type == PeriodType.QUARTER:
        return parse_period(f"{spec.year + 1}Q1") if spec.index == 4 else parse_period(f"{spec.year}Q{spec.index + 1}")
    return parse_period(spec.code.replace(str(spec.year), str(spec.year + 1), 1))


def query_parse(params: Any) -> Query:
    """A Query from request parameters (a QueryDict or a dict of strings/lists)."""
    get = params.getlist if hasattr(params, "getlist") else (lambda k: params.get(k))
    for name in ("indicator", "period", "unit", "group", "by", "measure", "threshold", "option", "format"):
        if any("\x00" in str(v) or len(str(v)) > 2000 for v in (_as_list(get(name)))):
            raise bad(name, _("not a valid value"))
    codes = _split(get("indicator"))
    if not codes:
        raise bad("indicator", _("give one or more indicator codes, e.g. RETAIL"))
    if len(codes) > MAX_INDICATORS:
        raise bad("indicator", _("at most %(n)s indicators") % {"n": MAX_INDICATORS})
    found = {i.code: i for i in Indicator.objects.filter(code__in=codes).select_related(
        "disaggregation", "numerator", "denominator", "weight_indicator")}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise bad("indicator", _("unknown indicator %(codes)s") % {"codes": ", ".join(unknown)})
    indicators = [found[c] for c in dict.fromkeys(codes)]
    periods = periods_parse(get("period"))
    by = (_split(get("by")) or ["unit"])[0]
    if by not in BY:
        raise bad("by", _("one of %(choices)s") % {"choices": ", ".join(BY)})
    measure = (_split(get("measure")) or ["value"])[0]
    if measure not in MEASURES:
        raise bad("measure", _("one of %(choices)s") % {"choices": ", ".join(MEASURES)})
    fmt = (_split(get("format")) or ["json"])[0]
    if fmt not in FORMATS:
        raise bad("format", _("one of %(choices)s") % {"choices": ", ".join(FORMATS)})
    threshold: Decimal | str | None = None
    thresholds = _split(get("threshold"))
    raw_threshold = thresholds[0] if thresholds else None
    if raw_threshold is not None:
        if raw_threshold in ("group", "national"):
            threshold = raw_threshold
        else:
            try:
                threshold = Decimal(raw_threshold.replace(",", "."))
                if not threshold.is_finite() or abs(threshold) > Decimal(10) ** 15:
                    raise InvalidOperation
            except InvalidOperation:
                raise bad("threshold", _("a number such as 100, or group or national")) from None
    if measure == "count_above" and threshold is None:
        raise bad("threshold", _("count_above needs a threshold: a number such as 100, or group or national"))
    day = periods[-1].end
    units: list[AdminUnit] = []
    for key in _split(get("unit")):
        try:
            unit = unit_key_resolve(key, on=day)
        except ValidationFailed as exc:
            raise bad("unit", exc.message) from None
        if unit is None:
            raise bad("unit", _("no unit has the key %(key)s on %(date)s") % {"key": key, "date": day.strftime("%d/%m/%Y")})
        units.append(unit)
    group_keys = _split(get("group"))
    if units and group_keys:
        raise bad("group", _("give either unit or group, not both"))
    group = None
    if not units:
        key = group_keys[0] if group_keys else DEFAULT_GROUP
        group = UnitGroup.objects.filter(key=key).first()
        if group is None:
            raise bad("group", _("unknown group %(key)s") % {"key": key})
    if by == "subregion" and group is None:
        raise bad("by", _("by=subregion needs a group, not a list of units"))
    options: list[DisaggregationOption | None] = [None]
    option_codes = _split(get("option"))
    if option_codes or by == "option":
        disaggs = {i.disaggregation_id for i in indicators if i.disaggregation_id}
        if len(disaggs) != 1:
            raise bad("option", _("options need indicators with one and the same disaggregation"))
        opts = list(DisaggregationOption.objects.filter(disaggregation_id=disaggs.pop()))
        if option_codes:
            by_code = {o.code: o for o in opts}
            missing = [c for c in option_codes if c not in by_code]
            if missing:
                raise bad("option", _("unknown option %(codes)s") % {"codes": ", ".join(missing)})
            opts = [by_code[c] for c in option_codes]
        options = [None, *opts] if by == "option" else list(opts)
    return Query(indicators, periods, units, group, by, measure, threshold, options, fmt)
