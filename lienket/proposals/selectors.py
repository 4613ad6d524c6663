"""Every read of proposals, filtered by what the user may see. Never imports services."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.errors import ValidationFailed
from lienket.core.text import fold
from lienket.library.models import Document
from lienket.library.selectors import citation_fragment, document_cited_in, documents_cited
from lienket.library.values import CitedBy
from lienket.search.values import SearchDocument
from lienket.users.models import MinistryUnit, Organisation

from . import permissions
from .codes import ErrorCode
from .models import PUBLIC_STATES, Field, Proposal, Status
from .similarity import PG_TRGM_THRESHOLD, TrigramMatches, TrigramScore, ensure_sqlite_function

SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default `similarity_threshold`
DUE_SOON_DAYS = 7
RELATED = ("submitting_unit", "submitting_ministry_unit", "submitting_organisation", "lead_unit", "conference")


def ministry_unit_get(value: Any) -> MinistryUnit:
    """A Ministry unit by id or slug, or a clear 422."""
    text = str(value or "").strip()
    found = None
    if text.isascii() and text.isdigit() and len(text) < 18:
        found = MinistryUnit.objects.filter(pk=int(text)).first()
    if found is None and text:
        found = MinistryUnit.objects.filter(slug=text).order_by("-valid_from").first()
    if found is None:
        raise ValidationFailed(_("Unknown Ministry unit “%(value)s”.") % {"value": text[:100]}, {"field": "lead_unit"},
                               code=ErrorCode.UNKNOWN_MINISTRY_UNIT)
    return found


def unit_get(value: Any, *, on: dt.date | None = None) -> Any:
    """A province by GSO code (the unit valid `on`, default today) or unit key, or a clear 422."""
    from lienket.regions.keys import unit_key_resolve

    found = unit_key_resolve(str(value).strip(), on=on or clock.today())
    if found is None:
        raise ValidationFailed(_("Unknown province “%(value)s”.") % {"value": str(value)[:100]}, {"field": "unit"},
                               code=ErrorCode.UNKNOWN_SUBMITTER)
    return found


def organisation_get(value: Any) -> Organisation:
    text = str(value or "").strip()
    found = Organisation.objects.filter(slug=text).first()
    if found is None:
        raise ValidationFailed(_("Unknown organisation “%(value)s”.") % {"value": text[:100]}, {"field": "organisation"},
                               code=ErrorCode.UNKNOWN_SUBMITTER)
    return found


def proposal_search(
    *, user: Any, q: str = "", field: str = "", unit: Any = None, ministry_unit: Any = None, year: int | None = None,
    status: str = "", public_only: bool = False,
) -> QuerySet[Proposal]:
    qs = permissions.visible_proposals(user, Proposal.objects.select_related(*RELATED))
    if public_only:
        qs = qs.filter(status__in=PUBLIC_STATES)
    if q:
        folded = fold(q)
        qs = qs.filter(Q(title_folded__contains=folded) | Q(body__icontains=q))
    if field:
        qs = qs.filter(field=field)
    if unit is not None:
        qs = qs.filter(submitting_unit__code=getattr(unit, "code", unit))
    if ministry_unit is not None:
        qs = qs.filter(lead_unit=ministry_unit)
    if year:
        qs = qs.filter(raised_on__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(endorsement_count=Count("endorsements", distinct=True)).order_by("-raised_on", "-id")


@dataclass(frozen=True)
class Similar:
    proposal: Proposal
    score: float


def similar_proposals(*, user: Any, text: str, exclude_id: int | None = None, limit: int = 5,
                      threshold: float = SIMILARITY_THRESHOLD) -> list[Similar]:
    """Existing proposals whose title is like `text` (accent-insensitive), best first, across units and years.
    The one function for both databases: pg_trgm's similarity() on PostgreSQL, the same algorithm on SQLite."""
    folded = fold(text)[:300]
    if len(folded) < 3:
        return []
    ensure_sqlite_function()
    qs = permissions.visible_proposals(user, Proposal.objects.select_related(*RELATED))
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    if threshold >= PG_TRGM_THRESHOLD:  # the indexed pre-filter keeps exactly the rows with similarity ≥ 0.3
        qs = qs.filter(TrigramMatches("title_folded", folded))
    qs = qs.annotate(score=TrigramScore("title_folded", folded)).filter(score__gte=threshold).order_by("-score", "-raised_on", "pk")
    return [Similar(p, round(float(p.score), 4)) for p in qs[:limit]]  # type: ignore[attr-defined]


def history(proposal: Proposal) -> list[Proposal]:
    """The earlier versions of a proposal raised again, newest first (each with its answer)."""
    out: list[Proposal] = []
    seen = {proposal.pk}
    current = proposal.previous
    while current is not None and current.pk not in seen and len(out) < 20:
        out.append(current)
        seen.add(current.pk)
        current = current.previous
    return out


def group_members(proposal: Proposal) -> list[Proposal]:
    if proposal.group_id is None:
        return []
    return list(Proposal.objects.filter(group_id=proposal.group_id).exclude(pk=proposal.pk).select_related(*RELATED))


def internal_notes(*, user: Any, proposal: Proposal) -> list[Any]:
    """Only Ministry staff ever get notes; everybody else an empty list."""
    if not permissions.can_see_internal_notes(user):
        return []
    return list(proposal.internal_notes.select_related("author"))


def contributions(*, user: Any, proposal: Proposal) -> list[Any]:
    """The co-operating units' opinions: Ministry staff only (internal, like notes); everybody else an empty list."""
    if not permissions.can_see_contributions(user):
        return []
    return list(proposal.contributions.select_related("unit", "author"))


def deadlines(*, user: Any, today: dt.date | None = None) -> dict[str, list[Proposal]]:
    """Assigned proposals due within DUE_SOON_DAYS and overdue ones: of the user's Ministry units, or all of
    them for the coordinator."""
    day = today or clock.today()
    qs = Proposal.objects.filter(status=Status.ASSIGNED).select_related(*RELATED).order_by("deadline", "pk")
    if not permissions.is_ministry_staff(user):
        return {"overdue": [], "due_soon": []}
    if not permissions.can_see_escalation(user):
        qs = qs.filter(Q(lead_unit_id__in=permissions.ministry_unit_ids(user)) | Q(co_units__in=permissions.ministry_unit_ids(user))).distinct()
    return {
        "overdue": list(qs.filter(deadline__lt=day)),
        "due_soon": list(qs.filter(deadline__gte=day, deadline__lte=day + dt.timedelta(days=DUE_SOON_DAYS))),
    }


def escalation(*, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per lead Ministry unit: its overdue proposals (most overdue first) and how many are due soon."""
    day = today or clock.today()
    rows: dict[Any, dict[str, Any]] = {}
    for p in Proposal.objects.filter(status=Status.ASSIGNED).select_related(*RELATED).order_by("deadline", "pk"):
        row = rows.setdefault(p.lead_unit_id, {"unit": p.lead_unit, "overdue": [], "due_soon": 0, "open": 0})
        row["open"] += 1
        if p.deadline is None:
            continue
        if p.deadline < day:
            row["overdue"].append({"proposal": p, "days": (day - p.deadline).days})
        elif p.deadline <= day + dt.timedelta(days=DUE_SOON_DAYS):
            row["due_soon"] += 1
    return sorted(rows.values(), key=lambda r: (-len(r["overdue"]), r["unit"].name))


# --- statistics -----------------------------------------------------------------------------------------------


@dataclass
class StatRow:
    key: str
    label: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    endorsements: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def on_time_share(self) -> float | None:
        return 100 * self.on_time / self.answered if self.answered else None


DIMENSIONS = ("ministry_unit", "field", "unit", "year")


def _dimension(p: Proposal, by: str) -> tuple[str, str]:
    if by == "ministry_unit":
        return (p.lead_unit.slug, p.lead_unit.name) if p.lead_unit else ("-", _("Not assigned yet"))
    if by == "field":
        return p.field, str(Field(p.field).label)
    if by == "unit":
        s = p.submitter
        return (f"{type(s).__name__}:{getattr(s, 'pk', '')}", p.submitter_name)
    return str(p.raised_on.year), str(p.raised_on.year)


def statistics_by(*, user: Any, by: str, today: dt.date | None = None) -> list[StatRow]:
    """Received, answered, answered on time, median days to answer, overdue now — per `by` (one of DIMENSIONS).
    Counts proposals the Ministry has received (drafts and proposals not yet received are not counted)."""
    if by not in DIMENSIONS:
        raise ValidationFailed(_("Group statistics by one of %(allowed)s.") % {"allowed": ", ".join(DIMENSIONS)},
                               {"field": "by"}, code=ErrorCode.INVALID_CHOICE)
    day = today or clock.today()
    rows: dict[str, StatRow] = {}
    qs = (permissions.visible_proposals(user, Proposal.objects.select_related(*RELATED))
          .filter(received_at__isnull=False).annotate(n_endorsements=Count("endorsements")))
    for p in qs:
        key, label = _dimension(p, by)
        row = rows.setdefault(key, StatRow(key, label))
        row.received += 1
        row.endorsements += p.n_endorsements  # type: ignore[attr-defined]
        if p.answered_at is not None:
            row.answered += 1
            if p.answered_on_time():
                row.on_time += 1
            d = p.days_to_answer()
            if d is not None:
                row.days.append(d)
        if p.is_overdue(day):
            row.overdue += 1
    order = (lambda r: r.key) if by == "year" else (lambda r: (-r.received, r.label))
    return sorted(rows.values(), key=order)


def chart_bars(rows: list[StatRow], *, width: int = 600, bar: int = 22, gap: int = 10, label_width: int = 220) -> dict[str, Any]:
    """Geometry of an accessible server-side SVG bar chart: received (full bar) and answered (inner bar) per row."""
    peak = max((r.received for r in rows), default=0) or 1
    scale = (width - label_width - 40) / peak
    bars = []
    for i, r in enumerate(rows):
        y = i * (bar + gap)
        bars.append({"row": r, "y": y, "text_y": y + bar * 0.7, "received_w": round(r.received * scale, 1),
                     "answered_w": round(r.answered * scale, 1), "x": label_width,
                     "value_x": label_width + round(r.received * scale, 1) + 6})
    return {"bars": bars, "width": width, "height": max(len(rows) * (bar + gap), bar), "bar": bar, "label_width": label_width,
            "label_x": label_width - 8}


# --- the global search's view of proposals ---------------------------------------------------------------------------


def search_document(p: Proposal) -> SearchDocument:
    """A proposal as the global search indexes it: the proposal, its legal references and — once published — its
    answer; internal notes are never part of it. Public once answered/declined/forwarded and published; before that
    any signed-in user, as on the pages (permissions.can_view: submitted proposals are open to every signed-in user,
    to endorse them and to find duplicates)."""
    parts = [p.body, p.legal_references, p.speaker, p.speaker_role]
    public = p.status in PUBLIC_STATES
    if public:
        parts += [p.answer, p.decline_reason, p.forwarded_to]
    unit = p.submitting_unit
    return SearchDocument(
        kind="proposal", key=str(p.pk), title=p.title, body="\n".join(x for x in parts if x),
        url=reverse("proposals:detail", kwargs={"pk": p.pk}),
        visibility="public" if public else "signed_in",
        unit_id=unit.pk if unit is not None else None, unit_key=unit.key if unit is not None else "",
        unit_name=unit.name if unit is not None else "",
    )


def search_documents() -> Iterator[SearchDocument]:
    """Every proposal past its draft, for `manage.py search_reindex` (settings.SEARCH_DOCUMENT_SOURCES)."""
    for p in Proposal.objects.exclude(status=Status.DRAFT).select_related("submitting_unit").order_by("pk").iterator():
        yield search_document(p)


def proposal_documents(*, proposal: Proposal, user: Any) -> list[Document]:
    """The library documents the proposal names — in its legal references, title or text (a proposal asking for
    the circular guiding Decree 32/2024/NĐ-CP names that decree) — that `user` may see, in the order written."""
    return documents_cited(texts=[proposal.legal_references, proposal.title, proposal.body], user=user)


def proposals_citing(*, document: Document, user: Any, limit: int = 50) -> list[CitedBy]:
    """The proposals `user` may see that name `document` (settings.LIBRARY_CITED_BY_SOURCES: the library page
    lists them). The database narrows to texts holding the number's core (`32/2024`); the parser confirms."""
    core = citation_fragment(document)
    if not core:
        return []
    qs = permissions.visible_proposals(user).filter(
        Q(legal_references__contains=core) | Q(title__contains=core) | Q(body__contains=core)
    ).order_by("-raised_on", "pk")
    label = _("Proposal")
    return [CitedBy(str(label), p.title, reverse("proposals:detail", args=[p.pk]))
            for p in qs[: limit * 4] if document_cited_in(document, [p.legal_references, p.title, p.body])][:limit]
