"""Read-model of the data entry form: one row per indicator (× disaggregation option) of a submission's data
set, with everything a person needs beside the input to judge the number they type — the previous period, the
same period last year (for a unit formed by the 2025 merger: the sum of its former provinces), the % change
against each, the annual plan target and the % of plan achieved, and the validation messages.

Reads only; every value of another period or unit passes the viewer's permission (selectors.values_visible).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lienket.core.formats import format_number

from . import selectors
from .models import DataValue, DisaggregationOption, Indicator, Submission, Target
from .periods import PeriodSpec, periods_of_type
from .validation.rules import Violation, validate_submission


@dataclass
class EntryRow:
    key: str
    indicator: Indicator
    option: DisaggregationOption | None
    section: str
    label: str
    option_label: str
    uom: str
    decimals: int
    required: bool
    # the stored value (version 0 = nothing stored yet)
    value: Decimal | None
    version: int
    is_estimate: bool
    comment: str
    updated_at: dt.datetime | None
    updated_by: str
    # comparisons
    previous: Decimal | None
    last_year: Decimal | None
    last_year_from_predecessors: bool
    change_previous_pct: Decimal | None
    change_last_year_pct: Decimal | None
    # plan
    target: Decimal | None
    achieved: Decimal | None
    plan_pct: Decimal | None
    plan_basis: str
    # validation (rules engine)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    needs_comment: bool = False
    # what the input shows: the stored value, or what the user typed when the row comes back with an error
    input_value: str = ""
    field_error: str = ""
    saved: bool = False
    # what the page showed, as stored (see `fingerprint`): "save draft" skips rows still showing it
    seen: str = ""

    @property
    def last_year_note(self) -> str:
        return _("sum of the former provinces") if self.last_year_from_predecessors else ""

    @property
    def is_total(self) -> bool:
        """The total row of a disaggregated indicator (its parts follow it)."""
        return self.option is None and self.indicator.disaggregation_id is not None

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def testid(self) -> str:
        return self.key.replace("__", "-")

    @property
    def invalid(self) -> bool:
        return bool(self.field_error or self.errors or self.needs_comment)


@dataclass
class EntryForm:
    submission: Submission
    spec: PeriodSpec
    previous_spec: PeriodSpec
    last_year_spec: PeriodSpec
    rows: list[EntryRow]
    violations: list[Violation]
    general: list[Violation]  # violations not tied to an indicator of the form

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "error"]

    def row(self, key: str) -> EntryRow | None:
        """The row of `key` (`RETAIL`, `MARKETS__I`), by an index built once: a save that reports an error
        per row looks rows up once each, never by a scan of the form."""
        if self._by_key is None or len(self._by_key) != len(self.rows):
            self._by_key = {r.key: r for r in self.rows}
        return self._by_key.get(key)

    _by_key: dict[str, EntryRow] | None = field(default=None, init=False, repr=False, compare=False)


def fingerprint(value_text: str, is_estimate: bool, comment: str) -> str:
    """One string for what a row shows (value as typed, estimate flag, comment), so a whole-form save can tell
    the rows the person changed from those they left as they were."""
    return f"{value_text.strip()}|{int(bool(is_estimate))}|{comment.strip()}"


def input_number(value: Decimal | None, lang: str) -> str:
    """A stored value as the person edits it: no thousands separators, the language's decimal mark, no
    trailing zeros (1234.5 → "1234,5" in Vietnamese)."""
    if value is None:
        return ""
    text = format_number(value.normalize(), None, lang)
    return text.replace("." if lang.startswith("vi") else ",", "")


def entry_form(*, submission: Submission, user: Any, lang: str) -> EntryForm:
    """Everything the entry form of `submission` shows, as `user` may see it."""
    dataset = submission.dataset
    unit = submission.unit
    spec = submission.period.spec
    previous_spec = spec.previous()
    last_year_spec = spec.same_period_last_year()
    elements = list(selectors.dataset_elements(dataset=dataset, period=spec))
    indicators = [el.indicator for el in elements]

    current = {
        (dv.indicator_id, dv.option_id or 0): dv
        for dv in DataValue.objects.filter(unit=unit, period=submission.period, indicator__in=indicators).select_related("updated_by")
    }
    ytd_codes = [s.code for s in periods_of_type(spec.period_type, spec.year) if s.start <= spec.start]
    lookup = selectors.ValueLookup(
        user=user, unit=unit, indicators=indicators,
        period_codes=sorted({spec.code, previous_spec.code, last_year_spec.code, *ytd_codes}),
    )
    targets = {(t.indicator_id, t.option_id or 0): t.value for t in Target.objects.filter(unit=unit, year=spec.year, indicator__in=indicators)}

    rows: list[EntryRow] = []
    for el in elements:
        ind = el.indicator
        # A disaggregated indicator shows its total first (entered, checked against the parts), then its parts.
        options: list[DisaggregationOption | None] = [None, *ind.disaggregation.options.all()] if ind.disaggregation else [None]
        for opt in options:
            okey = (ind.pk, opt.pk if opt else 0)
            dv = current.get(okey)
            value = dv.value if dv else None
            previous = lookup.get(ind, opt, previous_spec.code)
            last_year = lookup.get(ind, opt, last_year_spec.code)
            target = targets.get(okey)
            achieved = selectors.achieved_for_period(lookup=lookup, indicator=ind, option=opt, spec=spec)
            rows.append(EntryRow(
                key=selectors.row_key(ind, opt),
                indicator=ind,
                option=opt,
                section=el.section,
                label=ind.label(lang),
                option_label=(opt.name if lang.startswith("vi") or not opt.name_en else opt.name_en) if opt
                else (_("Total") if ind.disaggregation_id else ""),
                uom=ind.uom(lang),
                decimals=ind.decimals,
                required=el.required,
                value=value,
                version=dv.version if dv else 0,
                is_estimate=dv.is_estimate if dv else el.estimate_by_default,
                comment=dv.comment if dv else "",
                updated_at=dv.updated_at if dv else None,
                updated_by=(dv.updated_by.display_name if dv and dv.updated_by else ""),
                previous=previous.value,
                last_year=last_year.value,
                last_year_from_predecessors=last_year.from_predecessors,
                change_previous_pct=selectors.pct_change(value, previous.value),
                change_last_year_pct=selectors.pct_change(value, last_year.value),
                target=target,
                achieved=achieved.value,
                plan_pct=selectors.pct_of(achieved.value, target),
                plan_basis=achieved.basis,
                input_value=input_number(value, lang),
            ))
            row = rows[-1]
            row.seen = fingerprint(row.input_value, row.is_estimate, row.comment)

    report = validate_submission(submission=submission)
    general = _attach_violations(rows, report.violations)
    return EntryForm(submission, spec, previous_spec, last_year_spec, rows, list(report.violations), general)


def _attach_violations(rows: list[EntryRow], violations: list[Violation]) -> list[Violation]:
    """Put each validation message on the rows it is about; returns those about no row of the form.

    Rows are indexed once by indicator code and by row key, so each message looks up only the names it
    carries (a message names an indicator — every row of it — or one row's key): rows + messages, not
    rows × messages."""
    by_name: dict[str, list[int]] = {}
    for n, r in enumerate(rows):
        by_name.setdefault(r.indicator.code, []).append(n)
        if r.key != r.indicator.code:
            by_name.setdefault(r.key, []).append(n)
    general: list[Violation] = []
    for violation in violations:
        option = getattr(violation, "option", None)  # a finding about one disaggregation option only
        found = sorted({n for name in violation.indicators for n in by_name.get(name, ())})
        matched = [
            r for r in (rows[n] for n in found)
            if (option is None or (r.option is not None and r.option.code == option))
            and not (violation.total_row and r.option is not None)
        ]
        if not matched:
            general.append(violation)
        for r in matched:
            if violation.severity == "error":
                r.errors.append(violation.message)
            else:
                r.warnings.append(violation.message)
            if violation.needs_comment and not r.comment.strip():
                r.needs_comment = True
    return general


def entry_rows(*, submission: Submission, user: Any, lang: str) -> list[EntryRow]:
    """The rows of the entry form of `submission` as `user` may see them (see `entry_form`)."""
    return entry_form(submission=submission, user=user, lang=lang).rows
