"""Validation of a submission: per-value checks, cross-indicator rules and outliers.

Three kinds of finding, in DHIS2's spirit:

* **errors** block submission: a required value is missing, a value lies outside its indicator's bounds or is
  not of its type, or a rule of severity *error* (``CCN_OCCUPIED <= CCN_AREA``) does not hold;
* **warnings** (rules of severity *warning*, and outliers) block only while nobody has explained them: each
  needs a comment on the value (``needs_comment``); once commented they are still shown, but no longer block;
* a rule that cannot be evaluated is **skipped**, never failed: one of its indicators has no value in the
  submission ("skip if missing") or it divides by zero.

Rules are expressions over indicator codes (see expressions.py).

Outliers compare each value with the unit's own history of the same indicator (and disaggregation option)
for the same period type: against the same period last year (more than ``dataset.outlier_pct`` % up or down),
and against the mean of the earlier periods (more than ``dataset.outlier_sd`` standard deviations, with at least
four earlier values). For year-to-date indicators only the same period of earlier years is history.
"""


from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lienket.core.formats import format_number, format_plain

from ..models import DataSetElement, DataValue, Indicator, Submission, ValidationRule
from ..periods import PeriodSpec
from .expressions import ExpressionError, evaluate, parse_expression

Key = tuple[str, str | None]  # (indicator code, option code or None for the undisaggregated value)

#: An outlier needs at least this many earlier values of the same series before a z-score means anything.
MIN_HISTORY = 4
#: A series that barely moves (markets, clusters) would flag every small change; below this share of the mean
#: the standard deviation is not trusted (so a flat series warns only beyond outlier_sd × 5 % of its mean).
MIN_RELATIVE_SD = Decimal("0.05")
#: How many earlier periods count as history (5 years of months).
HISTORY_PERIODS = 60


# ---------------------------------------------------------------------------------------------------------
# Findings


@dataclass
class Violation:
    code: str  # required, type, bounds, rule, outlier_last_year, outlier_history
    severity: str  # "error" or "warning"
    message: str
    indicators: list[str] = field(default_factory=list)
    needs_comment: bool = False
    option: str | None = None
    rule: str | None = None
    value: Decimal | None = None
    details: dict[str, Any] = field(default_factory=dict)
    total_row: bool = False  # about the total of a disaggregated indicator (its row without an option) only

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "severity": self.severity, "message": self.message, "indicators": self.indicators,
            "needs_comment": self.needs_comment, "option": self.option, "rule": self.rule,
            "value": str(self.value) if self.value is not None else None, "details": self.details,
        }


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    skipped_rules: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error" or v.needs_comment]

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "warning"]

    def for_value(self, indicator: str, option: str | None = None) -> list[Violation]:
        """The findings that concern one cell of the form (for showing them next to it)."""
        return [v for v in self.violations if indicator in v.indicators and (v.option is None or v.option == option)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "violations": [v.as_dict() for v in self.violations],
            "blocking": len(self.blocking), "skipped_rules": self.skipped_rules,
        }


# ---------------------------------------------------------------------------------------------------------
# Outliers (pure: used by validate_submission and by the sample generator)


@dataclass(frozen=True)
class OutlierFinding:
    kind: str  # outlier_last_year, outlier_history
    details: dict[str, Any]


def _sqrt(value: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 28
        return value.sqrt()


def outlier_findings(
    *, value: Decimal, last_year: Decimal | None, history: list[Decimal], pct: Decimal | None, sd: Decimal | None,
) -> list[OutlierFinding]:
    """Is `value` unusual for this series? `last_year` is the same period a year earlier, `history` the earlier
    values used for the z-score (see the module docstring)."""
    found: list[OutlierFinding] = []
    if pct is not None and pct > 0 and last_year is not None and last_year != 0:
        change = (value - last_year) / abs(last_year) * 100
        if abs(change) > pct:
            found.append(OutlierFinding("outlier_last_year", {"previous": last_year, "change_pct": change, "threshold": pct}))
    if sd is not None and sd > 0 and len(history) >= MIN_HISTORY:
        n = len(history)
        mean = sum(history, Decimal(0)) / n
        variance = sum(((h - mean) ** 2 for h in history), Decimal(0)) / (n - 1)
        spread = max(_sqrt(variance), abs(mean) * MIN_RELATIVE_SD)
        if spread > 0:
            z = (value - mean) / spread
            if abs(z) > sd:
                found.append(OutlierFinding("outlier_history", {"mean": mean, "z": z, "n": n, "threshold": sd}))
    return found


# ---------------------------------------------------------------------------------------------------------
# Validating a submission


def _lang() -> str:
    return (get_language() or "vi").split("-")[0]


def _fmt(value: Decimal | None, decimals: int | None = None) -> str:
    if value is None:
        return "—"
    return format_number(value, decimals)


def _label(indicator: Indicator, option_label: str | None = None) -> str:
    name = indicator.label(_lang())
    return f"{name} ({option_label})" if option_label else name


@dataclass
class _Context:
    submission: Submission
    spec: PeriodSpec
    indicators: dict[str, Indicator]  # in the data set and in use for the period
    elements: list[DataSetElement]
    option_codes: dict[int, str]  # option id → code
    option_labels: dict[tuple[str, str], str]  # (indicator code, option code) → label


def _context(submission: Submission, elements: list[DataSetElement] | None = None) -> _Context:
    """`elements`: the data set's elements already loaded by the caller (the entry form: with their indicators,
    disaggregations and options prefetched), in form order; they may leave out those not in use for the period."""
    dataset = submission.dataset
    spec = submission.period.spec
    given = elements is not None
    if elements is None:
        elements = list(
            DataSetElement.objects.filter(dataset=dataset).select_related("indicator", "indicator__disaggregation")
            .order_by("sort_order", "id")
        )
    indicators = {el.indicator.code: el.indicator for el in elements if el.indicator.in_use(spec.start, spec.end)}
    option_codes: dict[int, str] = {}
    option_labels: dict[tuple[str, str], str] = {}
    disagg_ids = {i.disaggregation_id for i in indicators.values() if i.disaggregation_id}
    if disagg_ids:
        from ..models import DisaggregationOption

        lang = _lang()
        by_disagg: dict[int, list[DisaggregationOption]] = defaultdict(list)
        if given:  # prefetched with the elements: no query
            loaded = {i.disaggregation_id: i.disaggregation for i in indicators.values() if i.disaggregation_id}
            options: Iterable[DisaggregationOption] = [o for d in loaded.values() if d is not None for o in d.options.all()]
        else:
            options = DisaggregationOption.objects.filter(disaggregation_id__in=disagg_ids)
        for opt in options:
            option_codes[opt.pk] = opt.code
            by_disagg[opt.disaggregation_id].append(opt)
        for ind in indicators.values():
            for opt in by_disagg.get(ind.disaggregation_id or 0, []):
                option_labels[(ind.code, opt.code)] = opt.name_en if lang != "vi" and opt.name_en else opt.name
    return _Context(submission, spec, indicators, elements, option_codes, option_labels)


def _stored(
    submission: Submission, ctx: _Context, given: Iterable[tuple[str, int | None, Decimal, str]] | None = None,
) -> tuple[dict[Key, Decimal], dict[Key, str]]:
    values: dict[Key, Decimal] = {}
    comments: dict[Key, str] = {}
    rows = given if given is not None else DataValue.objects.filter(
        unit_id=submission.unit_id, period_id=submission.period_id, indicator__code__in=list(ctx.indicators)
    ).values_list("indicator__code", "option_id", "value", "comment")
    for code, option_id, value, comment in rows:
        key = (code, ctx.option_codes.get(option_id) if option_id else None)
        values[key] = value
        comments[key] = comment or ""
    return values, comments


def _history(submission: Submission, ctx: _Context, keys: Iterable[Key]) -> tuple[dict[Key, Decimal], dict[Key, list[Decimal]]]:
    """Same period last year and earlier values (oldest first) of the same unit, per key."""
    return _histories(ctx, [submission.unit_id], keys).get(submission.unit_id, ({}, {}))


def _histories(
    ctx: _Context, unit_ids: list[int], keys: Iterable[Key],
) -> dict[int, tuple[dict[Key, Decimal], dict[Key, list[Decimal]]]]:
    """`_history` of several units of the same data set and period in one query (an upload of many units)."""
    spec = ctx.spec
    last_year_code = spec.same_period_last_year().code
    codes = {code for code, _opt in keys if code in ctx.indicators}
    rows = (
        DataValue.objects.filter(
            unit_id__in=unit_ids, indicator__code__in=codes, period__period_type=spec.period_type,
            period__start__lt=spec.start, period__start__gte=dt.date(spec.year - 6, 1, 1),
        )
        .values_list("unit_id", "indicator__code", "option_id", "period__code", "period__start", "value")
        .order_by("period__start")
    )
    out: dict[int, tuple[dict[Key, Decimal], dict[Key, list[Decimal]]]] = {}
    cumulative = {code for code in codes if ctx.indicators[code].cumulative_ytd}
    same_day = (spec.start.month, spec.start.day)
    option_codes = ctx.option_codes
    # one unit (the entry form: a few thousand rows) is read at once; many units (an upload) by a server-side cursor
    found = rows.iterator(chunk_size=20000) if len(unit_ids) > 1 else rows
    for unit_id, code, option_id, pcode, start, value in found:
        if unit_id not in out:
            out[unit_id] = ({}, defaultdict(list))
        last_year, history = out[unit_id]
        key = (code, option_codes.get(option_id) if option_id else None)
        if pcode == last_year_code:
            last_year[key] = value
        if code in cumulative and (start.month, start.day) != same_day:
            continue  # year-to-date: only the same period of earlier years is comparable
        history[key].append(value)
    for _last_year, history in out.values():
        for key in list(history):
            history[key] = history[key][-HISTORY_PERIODS:]
    return out


def _totals(values: Mapping[Key, Decimal | None]) -> dict[str, Decimal]:
    """The value of each indicator for rules: its undisaggregated value, or else the sum of its options."""
    totals: dict[str, Decimal] = {}
    parts: dict[str, Decimal] = defaultdict(Decimal)
    for (code, option), value in values.items():
        if value is None:
            continue
        if option is None:
            totals[code] = value
        else:
            parts[code] += value
    for code, total in parts.items():
        totals.setdefault(code, total)
    return totals


def _total_findings(ctx: _Context, values: Mapping[Key, Decimal], comments: Mapping[Key, str]) -> list[Violation]:
    """The total of a disaggregated indicator is entered (it is what provinces report) and checked against its
    parts. Parts that add up to more than the total (beyond rounding) are an error: a part cannot exceed the
    whole. A total above the sum of its parts when every part is given is a warning that needs a comment on the
    total: the breakdowns of the catalogue are exhaustive (every enterprise has an ownership type, every market
    a class), so the difference is unexplained. Without a total, rules use the sum of the parts."""
    found: list[Violation] = []
    parts: dict[str, list[Decimal]] = defaultdict(list)
    for (code, option), value in values.items():
        if option is not None and value is not None:
            parts[code].append(value)
    option_count = Counter(c for (c, _o) in ctx.option_labels) if parts else Counter()
    for code, given in parts.items():
        ind = ctx.indicators.get(code)
        total = values.get((code, None))
        if ind is None or total is None or ind.disaggregation_id is None:
            continue
        options = option_count[code]
        tolerance = ind.total_tolerance(len(given))
        sum_parts = sum(given, Decimal(0))
        if total - tolerance <= sum_parts <= total + tolerance or (sum_parts < total and len(given) < options):
            continue  # nothing to say: no message is built (a large file has thousands of such totals)
        label = _label(ind)
        numbers = {"indicator": label, "total": _fmt(total, ind.decimals), "sum": _fmt(sum_parts, ind.decimals)}
        details = {"total": str(total), "sum_of_parts": str(sum_parts), "parts": len(given), "options": options}
        if sum_parts > total + tolerance:
            found.append(Violation(
                "total_parts", "error",
                _("%(indicator)s: the total %(total)s is less than the sum of its parts %(sum)s; the parts cannot add up "
                  "to more than the total.") % numbers,
                [code], value=total, details=details, total_row=True,
            ))
        elif len(given) >= options and total > sum_parts + tolerance:
            found.append(Violation(
                "total_parts", "warning",
                _("%(indicator)s: the total %(total)s is greater than the sum of its parts %(sum)s although every part "
                  "is given. Check the parts or explain the difference in a comment on the total.") % numbers,
                [code], needs_comment=not comments.get((code, None), "").strip(), value=total, details=details,
                total_row=True,
            ))
    return found


def _check(
    submission: Submission, ctx: _Context, values: dict[Key, Decimal], comments: dict[Key, str],
    known_history: tuple[dict[Key, Decimal], dict[Key, list[Decimal]]] | None = None,
) -> ValidationReport:
    report = ValidationReport()
    lang = _lang()
    dataset = submission.dataset

    # 1. Required values
    present = {code for code, _opt in values}
    for el in ctx.elements:
        required = el.indicator
        if el.required and required.code in ctx.indicators and required.code not in present:
            report.violations.append(Violation(
                "required", "error", _("%(indicator)s is required.") % {"indicator": _label(required)}, [required.code],
            ))

    # 2. Type and bounds of each value
    for (code, option), value in values.items():
        ind = ctx.indicators.get(code)
        if ind is None:
            continue
        label = _label(ind, ctx.option_labels.get((code, option)) if option else None)
        if ind.value_type == Indicator.ValueType.INTEGER and value != value.to_integral_value():
            report.violations.append(Violation(
                "type", "error", _("%(indicator)s: %(value)s must be a whole number.") % {"indicator": label, "value": format_plain(value)},
                [code], option=option, value=value,
            ))
        if ind.min_value is not None and value < ind.min_value:
            report.violations.append(Violation(
                "bounds", "error",
                _("%(indicator)s: %(value)s is below the minimum %(min)s.")
                % {"indicator": label, "value": _fmt(value, ind.decimals), "min": format_plain(ind.min_value)},
                [code], option=option, value=value, details={"min": str(ind.min_value)},
            ))
        if ind.max_value is not None and value > ind.max_value:
            report.violations.append(Violation(
                "bounds", "error",
                _("%(indicator)s: %(value)s is above the maximum %(max)s.")
                % {"indicator": label, "value": _fmt(value, ind.decimals), "max": format_plain(ind.max_value)},
                [code], option=option, value=value, details={"max": str(ind.max_value)},
            ))

    # 2b. The total of a disaggregated indicator against its parts
    report.violations.extend(_total_findings(ctx, values, comments))

    # 3. Cross-indicator rules: this data set's, and global rules whose indicators are all in the data set
    totals = _totals(values)
    rules = ValidationRule.objects.filter(Q(dataset=dataset) | Q(dataset__isnull=True), is_active=True).order_by("code")
    for rule in rules:
        try:
            parsed = parse_expression(rule.expression)
        except ExpressionError:
            report.skipped_rules.append(rule.code)
            continue
        if rule.dataset_id is None and not parsed.codes <= set(ctx.indicators):
            continue
        result = evaluate(parsed, totals)
        if result is None:
            report.skipped_rules.append(rule.code)
            continue
        if result.passed:
            continue
        message = rule.message_en if lang != "vi" and rule.message_en else rule.message
        detail = _("%(expression)s: %(left)s %(op)s %(right)s does not hold") % {
            "expression": rule.expression, "left": format_plain(result.left), "op": result.op,
            "right": format_plain(result.right),
        }
        codes = sorted(parsed.codes)
        commented = any(comments.get((c, o), "").strip() for (c, o) in values if c in parsed.codes)
        warning = rule.severity == ValidationRule.Severity.WARNING
        report.violations.append(Violation(
            "rule", rule.severity, f"{message} ({detail})", codes, needs_comment=warning and not commented,
            rule=rule.code, details={"left": str(result.left), "right": str(result.right), "op": result.op},
        ))

    # 4. Outliers against the unit's own history
    pct, sd = dataset.outlier_pct, dataset.outlier_sd
    if (pct or sd) and values:
        last_year, history = known_history if known_history is not None else _history(submission, ctx, values.keys())
        for (code, option), value in values.items():
            ind = ctx.indicators.get(code)
            if ind is None:
                continue
            for finding in outlier_findings(
                value=value, last_year=last_year.get((code, option)), history=history.get((code, option), []), pct=pct, sd=sd,
            ):
                label = _label(ind, ctx.option_labels.get((code, option)) if option else None)
                d = finding.details
                if finding.kind == "outlier_last_year":
                    change = d["change_pct"]
                    message = _(
                        "%(indicator)s: %(value)s is %(change)s %% vs the same period last year (%(previous)s). "
                        "Check it and explain the change in a comment."
                    ) % {
                        "indicator": label, "value": _fmt(value, ind.decimals),
                        "change": ("+" if change > 0 else "") + _fmt(change, 1), "previous": _fmt(d["previous"], ind.decimals),
                    }
                else:
                    message = _(
                        "%(indicator)s: %(value)s is unusual for this unit (%(z)s standard deviations from its mean "
                        "%(mean)s over %(n)s earlier periods). Check it and explain it in a comment."
                    ) % {
                        "indicator": label, "value": _fmt(value, ind.decimals), "z": _fmt(abs(d["z"]), 1),
                        "mean": _fmt(d["mean"], ind.decimals), "n": format_plain(d["n"]),
                    }
                report.violations.append(Violation(
                    finding.kind, "warning", message, [code], needs_comment=not comments.get((code, option), "").strip(),
                    option=option, value=value, details={k: str(v) for k, v in d.items()},
                ))
    return report


def validate_submission(
    *, submission: Submission, elements: list[DataSetElement] | None = None,
    stored: Iterable[tuple[str, int | None, Decimal, str]] | None = None,
) -> ValidationReport:
    """Check the values stored for `submission` (called by services.submission_transition before submit).

    The entry form has already read the data set's elements (`elements`, see `_context`) and the stored values
    (`stored`: indicator code, option id, value, comment of every value of the submission's unit and period for
    those indicators): given, they are not read again."""
    ctx = _context(submission, elements)
    values, comments = _stored(submission, ctx, stored)
    return _check(submission, ctx, values, comments)


def validate_values(
    *, submission: Submission, values: Mapping[Key, Decimal | None], comments: Mapping[Key, str] | None = None,
    merge: bool = True,
) -> ValidationReport:
    """Check values that are not saved yet (the entry form, before saving).

    `values` maps (indicator code, option code or None) to a Decimal, or None for a cell being emptied.
    With `merge` (the default) they are laid over the values already stored, so a form that posts only the
    cells that changed is checked as a whole; without it, `values` is the complete content of the submission.
    `comments` likewise overlays the stored comments.
    """
    ctx = _context(submission)
    stored_values, stored_comments = _stored(submission, ctx) if merge else ({}, {})
    merged: dict[Key, Decimal] = dict(stored_values)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value if isinstance(value, Decimal) else Decimal(str(value))
    merged_comments = dict(stored_comments)
    merged_comments.update(comments or {})
    return _check(submission, ctx, merged, merged_comments)


def validate_values_many(
    *, reports: Sequence[tuple[Submission, Mapping[Key, Decimal | None], Mapping[Key, str]]],
) -> list[ValidationReport]:
    """`validate_values` (merged over what is stored) for several reports of ONE data set and period — the units of
    an uploaded workbook: the data set's indicators and options, the stored values and the history are read once
    for all of them instead of once per report. Same findings as calling validate_values for each."""
    if not reports:
        return []
    base = _context(reports[0][0])
    period_id = reports[0][0].period_id
    unit_ids = [sub.unit_id for sub, _v, _c in reports]
    stored: dict[int, tuple[dict[Key, Decimal], dict[Key, str]]] = {u: ({}, {}) for u in unit_ids}
    if period_id is not None:
        for unit_id, code, option_id, value, comment in DataValue.objects.filter(
            unit_id__in=unit_ids, period_id=period_id, indicator__code__in=list(base.indicators)
        ).values_list("unit_id", "indicator__code", "option_id", "value", "comment"):
            key = (code, base.option_codes.get(option_id) if option_id else None)
            stored[unit_id][0][key] = value
            stored[unit_id][1][key] = comment or ""
    merged_all: list[tuple[Submission, dict[Key, Decimal], dict[Key, str]]] = []
    keys: set[Key] = set()
    for sub, values, comments in reports:
        merged, merged_comments = dict(stored[sub.unit_id][0]), dict(stored[sub.unit_id][1])
        for key, given in values.items():
            if given is None:
                merged.pop(key, None)
            else:
                merged[key] = given if isinstance(given, Decimal) else Decimal(str(given))
        merged_comments.update(comments or {})
        keys.update(merged)
        merged_all.append((sub, merged, merged_comments))
    dataset = reports[0][0].dataset
    histories = _histories(base, unit_ids, keys) if (dataset.outlier_pct or dataset.outlier_sd) and keys else {}
    return [
        _check(sub, replace(base, submission=sub), merged, merged_comments, histories.get(sub.unit_id, ({}, {})))
        for sub, merged, merged_comments in merged_all
    ]

