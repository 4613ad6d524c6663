"""Reads of the reporting domain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from lienket.regions.models import AdminUnit

from .models import DataSet, Submission, SubmissionStatus
from .periods import PeriodSpec, parse_period
from .services import reporting_units


@dataclass
class CompletenessRow:
    unit: AdminUnit
    submission: Submission | None
    status: str  # "missing" when no submission exists yet
    submitted_at: dt.datetime | None
    on_time: bool | None
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code, "unit_key": self.unit.key, "unit_name": self.unit.name, "status": self.status,
            "submission_id": self.submission.pk if self.submission else None,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "on_time": self.on_time, "overdue": self.overdue,
        }


@dataclass
class CompletenessReport:
    dataset: DataSet
    period: PeriodSpec
    due_date: dt.date
    rows: list[CompletenessRow] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.rows)

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def summary(self) -> dict[str, Any]:
        done = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.ACCEPTED)
        submitted = self.count(*done)
        on_time = sum(1 for r in self.rows if r.on_time)
        expected = self.expected or 1
        return {
            "expected": self.expected,
            "missing": self.count("missing"),
            "draft": self.count(SubmissionStatus.DRAFT),
            "returned": self.count(SubmissionStatus.RETURNED),
            "submitted": submitted,
            "approved": self.count(SubmissionStatus.APPROVED, SubmissionStatus.ACCEPTED),
            "accepted": self.count(SubmissionStatus.ACCEPTED),
            "on_time": on_time,
            "completeness_pct": round(100 * submitted / expected, 1),
            "timeliness_pct": round(100 * on_time / expected, 1),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset.code, "period": self.period.code, "period_label": self.period.label(),
            "due_date": self.due_date.isoformat(), "summary": self.summary, "units": [r.as_dict() for r in self.rows],
        }


def completeness(*, dataset: DataSet, period_code: str, on: dt.date | None = None) -> CompletenessReport:
    """Which of the units due to report (members of the reporting group on the due date) have submitted,
    been approved and accepted, and whether they submitted on time (DHIS2's completeness and timeliness)."""
    spec = parse_period(period_code)
    today = on or timezone.localdate()
    due = dataset.due_date(spec)
    units = list(reporting_units(dataset=dataset, period=spec))
    subs = {
        s.unit_id: s
        for s in Submission.objects.filter(dataset=dataset, period__code=spec.code, unit__in=units).select_related("period", "dataset")
    }
    report = CompletenessReport(dataset=dataset, period=spec, due_date=due)
    for unit in units:
        sub = subs.get(unit.pk)
        status = sub.status if sub else "missing"
        submitted_at = sub.submitted_at if sub and status in ("submitted", "approved", "accepted") else None
        on_time = (timezone.localtime(submitted_at).date() <= due) if submitted_at else None
        overdue = submitted_at is None and today > due
        report.rows.append(CompletenessRow(unit, sub, status, submitted_at, on_time, overdue))
    return report
