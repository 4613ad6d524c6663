"""Helpers shared by the view and entry-form tests (plain functions, called from autouse fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings as django_settings

from lienket.core.i18n import build_mo, parse_po
from lienket.core.models import AuditEntry
from lienket.reporting.models import DataValue, DataValueAudit, Submission, Target

from . import factories

OWN_CATALOGUE = "lienket/reporting/locale_vi_views.po.txt"


def use_vietnamese_catalogue(settings: Any, tmp_path: Path) -> None:
    """Compile the project's Vietnamese catalogue plus every domain's `locale_vi*.po.txt` (this one last, so it
    wins) into a temporary LOCALE_PATHS, so the pages under test speak Vietnamese whether or not the lead has
    merged and compiled the catalogues yet."""
    base = Path(django_settings.BASE_DIR)
    sources = sorted(base.glob("locale/vi/LC_MESSAGES/*.po"))
    sources += sorted(p for p in base.glob("lienket/*/locale_vi*.po.txt") if not str(p).endswith(OWN_CATALOGUE))
    sources.append(base / OWN_CATALOGUE)
    messages: dict[str, str] = {}
    for po in sources:
        if po.exists():
            messages.update(parse_po(po.read_text(encoding="utf-8")))
    messages[""] = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"
    target = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "django.mo").write_bytes(build_mo(messages))
    settings.LOCALE_PATHS = [tmp_path / "locale"]


def cap_edit_window(monkeypatch: Any) -> None:
    """factories.dataset() keeps data sets editable for 36 500 days, which overflows PostgreSQL's smallint
    (PositiveSmallIntegerField, max 32 767); 30 000 days keeps the intent and fits both databases."""
    original = factories.dataset

    def dataset(code: str, period_type: str, group: Any, inds: list[Any], **extra: Any) -> Any:
        extra.setdefault("edit_days_after_due", 30000)
        return original(code, period_type, group, inds, **extra)

    monkeypatch.setattr(factories, "dataset", dataset)


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
