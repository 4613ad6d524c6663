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

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from lienket.core.formats import format_number

from . import selectors
from .models import DataValue, DisaggregationOption, Indicator, Submission, Target
from .periods import PeriodSpec, periods_of_type
from .validation.rules import Violation, validate_submission

# indicator id, option id, value, version, is_estimate, comment, updated_at, updated_by id
_Current = tuple[int, int | None, Decimal, int, bool, str, dt.datetime | None, int | None]


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
        return bool(self.field_error or self.errors or (self.needs_comment and not self.pending))

    @property
    def pending(self) -> bool:
        """The row shows what the person typed, not what is stored (the save was refused): the checks of the
        stored value (errors, warnings, "required") are not about what is on screen and are not shown."""
        return bool(self.seen) and fingerprint(self.input_value, self.is_estimate, self.comment) != self.seen


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

    @property
    def blocking(self) -> list[Violation]:
        """What stops the report from being submitted: errors, and warnings nobody explained in a comment."""
        return [v for v in self.violations if v.severity == "error" or v.needs_comment]

    @property
    def unexplained(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "error" and v.needs_comment]

    @property
    def unsaved(self) -> list[EntryRow]:
        """Rows whose typed value was refused (shown with their error): not saved."""
        return [r for r in self.rows if r.field_error]

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

    # plain tuples (a model instance per value, and one per editor, cost more than the query)
    current: dict[tuple[int, int], _Current] = {}
    editor_ids: set[int] = set()
    for stored in DataValue.objects.filter(unit=unit, period=submission.period, indicator__in=indicators).values_list(
        "indicator_id", "option_id", "value", "version", "is_estimate", "comment", "updated_at", "updated_by_id",
    ):
        current[(stored[0], stored[1] or 0)] = stored
        if stored[7] is not None:
            editor_ids.add(stored[7])
    editors = {u.pk: u.display_name for u in get_user_model().objects.filter(pk__in=editor_ids)} if editor_ids else {}
    ytd_codes = [s.code for s in periods_of_type(spec.period_type, spec.year) if s.start <= spec.start]
    lookup = selectors.ValueLookup(
        user=user, unit=unit, indicators=indicators,
        period_codes=sorted({spec.code, previous_spec.code, last_year_spec.code, *ytd_codes}),
    )
    targets = {(t.indicator_id, t.option_id or 0): t.value for t in Target.objects.filter(unit=unit, year=spec.year, indicator__in=indicators)}

    memo: dict[Any, Any] = {}  # what achieved_for_period works out once for the whole form
    rows: list[EntryRow] = []
    for el in elements:
        ind = el.indicator
        # A disaggregated indicator shows its total first (entered, checked against the parts), then its parts.
        options: list[DisaggregationOption | None] = [None, *ind.disaggregation.options.all()] if ind.disaggregation else [None]
        for opt in options:
            okey = (ind.pk, opt.pk if opt else 0)
            dv = current.get(okey)
            value = dv[2] if dv else None
            previous = lookup.get(ind, opt, previous_spec.code)
            last_year = lookup.get(ind, opt, last_year_spec.code)
            target = targets.get(okey)
            achieved = selectors.achieved_for_period(lookup=lookup, indicator=ind, option=opt, spec=spec, memo=memo)
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
                version=dv[3] if dv else 0,
                is_estimate=dv[4] if dv else el.estimate_by_default,
                comment=dv[5] if dv else "",
                updated_at=dv[6] if dv else None,
                updated_by=editors.get(dv[7], "") if dv and dv[7] is not None else "",
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

    # the elements and the values are those just read: the validation does not read them again
    codes = {ind.pk: ind.code for ind in indicators}
    report = validate_submission(
        submission=submission, elements=elements,
        stored=[(codes[dv[0]], dv[1], dv[2], dv[5]) for dv in current.values() if dv[0] in codes],
    )
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
