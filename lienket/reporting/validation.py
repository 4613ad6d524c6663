"""Validation of a submission before it can be submitted (placeholder until the rules engine lands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import Submission


@dataclass
class Violation:
    code: str
    severity: str  # "error" or "warning"
    message: str
    indicators: list[str] = field(default_factory=list)
    needs_comment: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message, "indicators": self.indicators}


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error" or v.needs_comment]


def validate_submission(*, submission: Submission) -> ValidationReport:
    return ValidationReport()
