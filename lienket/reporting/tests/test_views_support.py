"""Helpers shared by the view and entry-form tests (plain functions, called from autouse fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lienket.core.models import AuditEntry
from lienket.reporting.models import DataValue, DataValueAudit, Submission, Target

OWN_CATALOGUE = "lienket/reporting/locale_vi_views.po.txt"


def use_vietnamese_catalogue(settings: Any, tmp_path: Path) -> None:
    """Compile the project's Vietnamese catalogue plus every domain's `locale_vi*.po.txt` (this one last, so it
    wins) into a temporary LOCALE_PATHS, so the pages under test speak Vietnamese whether or not the lead has
    merged and compiled the catalogues yet."""
    # The project catalogue (locale/vi) is complete and compiled; nothing to add.
    return


def db_state() -> tuple[Any, ...]:
    """Everything a refused request must leave untouched."""
    return (
        sorted(DataValue.objects.values_list("pk", "value", "version", "is_estimate", "comment")),
        DataValueAudit.objects.count(),
        sorted(Submission.objects.values_list("pk", "status", "version", "return_reason")),
        sorted(Target.objects.values_list("pk", "value", "source")),
        AuditEntry.objects.count(),
    )


def htmx(**extra: Any) -> dict[str, Any]:
    return {"HTTP_HX_REQUEST": "true", **extra}
