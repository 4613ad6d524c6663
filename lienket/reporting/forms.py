"""HTML forms of the reporting pages. Thin: they read what was posted; the rules live in services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from lienket.core.errors import ValidationFailed
from lienket.core.text import is_ascii_int, nfc

from .entry import EntryRow, fingerprint
from .models import DataSet, Submission, SubmissionStatus
from .periods import parse_period
from .schemas import MAX_COMMENT, MAX_REASON  # one limit for the form and the API
from .values import ValueItem, value_parse
from .workflow import TRANSITIONS


class SubmissionFilterForm(forms.Form):
    dataset = forms.ModelChoiceField(
        label=_("Data set"), queryset=DataSet.objects.filter(is_active=True).order_by("code"), to_field_name="code",
        required=False, empty_label=_("All data sets"),
    )
    period = forms.CharField(label=_("Period"), required=False, max_length=10, help_text=_("e.g. 202603, 2026Q1, 2026S1, 2026"))
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=30, help_text=_("e.g. 01 or 25@2025-07-01"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *SubmissionStatus.choices])

    def clean_period(self) -> str:
        raw = (self.cleaned_data.get("period") or "").strip()
        if not raw:
            return ""
        try:
            return parse_period(raw).code
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class TransitionForm(forms.Form):
    """One workflow action. `version` is the submission version the person saw (optimistic lock); whether a
    reason is required is the workflow's business (it says so with a clear message)."""

    action = forms.ChoiceField(choices=[(code, t.label) for code, t in TRANSITIONS.items()])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(min_value=1)

    def clean_reason(self) -> str:
        return nfc(self.cleaned_data.get("reason") or "")


# ---------------------------------------------------------------------------------------------------------
# The entry form: fields are named per row (`value-RETAIL`, `estimate-RETAIL`, `comment-RETAIL`,
# `version-RETAIL`); the HTMX row save posts one row, "Lưu nháp" posts all of them.


@dataclass
class PostedRow:
    key: str
    raw_value: str
    is_estimate: bool
    comment: str
    version: int | None
    seen: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw_value, self.is_estimate, self.comment)


def _int_or_none(raw: Any) -> int | None:
    text = str(raw).strip()
    return int(text) if is_ascii_int(text) and len(text) < 19 else None


def entry_posted_rows(data: QueryDict, keys: Iterable[str]) -> dict[str, PostedRow]:
    """The rows present in the POST (a row is present when its value field was posted)."""
    out: dict[str, PostedRow] = {}
    for key in keys:
        if f"value-{key}" not in data:
            continue
        out[key] = PostedRow(
            key=key,
            raw_value=nfc(data.get(f"value-{key}", "")).strip()[:60],
            is_estimate=data.get(f"estimate-{key}", "") not in ("", "0", "off", "false"),
            comment=nfc(data.get(f"comment-{key}", "")).strip()[:MAX_COMMENT],
            version=_int_or_none(data.get(f"version-{key}")),
            seen=nfc(data.get(f"seen-{key}", "")) if f"seen-{key}" in data else None,
        )
    return out


def _unchanged(row: EntryRow, posted: PostedRow) -> bool:
    """Did the person leave this row as the page showed it? Then "save draft" leaves it alone, so a value
    someone else changed meanwhile that this person did not touch is not reported as a conflict. Without the
    page's fingerprint (`seen-KEY`), compare with what is stored."""
    if posted.seen is not None:
        return posted.fingerprint == posted.seen
    try:
        number: Decimal | None = value_parse(posted.raw_value, row.indicator)
    except ValueError:
        return False
    if number != row.value:
        return False
    if row.value is None:
        return True
    return posted.is_estimate == row.is_estimate and posted.comment == row.comment.strip()


def entry_items(
    *, submission: Submission, rows: list[EntryRow], posted: dict[str, PostedRow], only_changed: bool,
) -> list[ValueItem]:
    """ValueItems for datavalues_apply, one per posted row (with `only_changed`, only rows that differ from
    what is stored). Each carries the row key as `ref` and the version the person saw as `expected_version`."""
    items: list[ValueItem] = []
    for row in rows:
        p = posted.get(row.key)
        if p is None or (only_changed and _unchanged(row, p)):
            continue
        items.append(ValueItem(
            unit=submission.unit, period=submission.period.code, indicator=row.indicator.code,
            option=row.option.code if row.option else None, value=p.raw_value, is_estimate=p.is_estimate,
            comment=p.comment, expected_version=p.version if p.version is not None else row.version, ref=row.key,
        ))
    return items


def targets_posted(data: QueryDict, keys: Iterable[str]) -> dict[str, str]:
    return {k: nfc(data.get(f"target-{k}", "")).strip()[:60] for k in keys if f"target-{k}" in data}
