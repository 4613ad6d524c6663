"""Reads of the cooperation app, filtered by what the user may see: programme search, progress roll-up, parties
across the merger, the timeline, the activities of the calendar, and the documents for the global search.

The network lives in network.py, the calendar's month grid, clash warnings and iCalendar export in calendar.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.errors import ApplicationError
from lienket.core.text import fold
from lienket.library.models import Document as LibraryDocument
from lienket.library.selectors import citation_fragment, document_cited_in, documents_cited
from lienket.library.values import CitedBy, numbers_in_text
from lienket.regions.keys import unit_key_resolve
from lienket.regions.models import AdminUnit
from lienket.regions.selectors import unit_map_on
from lienket.search.values import SearchDocument

from . import permissions
from .models import Activity, DataVersion, Document, Objective, Party, Programme, Result, StatusChange

DATA_VERSION_KEY = "cooperation"


def data_version() -> int:
    """The counter every write of this app bumps (the network's cache key)."""
    row = DataVersion.objects.filter(key=DATA_VERSION_KEY).values_list("value", flat=True).first()
    return int(row or 0)


# --- units across the merger -------------------------------------------------------------------------------------


def units_under(unit: AdminUnit, *, on: dt.date | None = None) -> set[int]:
    """`unit` and every unit row whose territory went (wholly or in part) to it by `on` (default: today): the
    parties that appear under `unit` (programmes of old units appear under the new unit they belong to)."""
    day = on or clock.today()
    ids = {unit.pk}
    for unit_id, shares in unit_map_on(date=day, units=AdminUnit.objects.exclude(pk=unit.pk)).items():
        if any(s.unit.pk == unit.pk for s in shares):
            ids.add(unit_id)
    return ids


@dataclass(frozen=True)
class PartyView:
    party: Party
    label: str
    now_part_of: list[AdminUnit]  # for a unit dissolved since: the unit(s) it belongs to today


def party_views(programme: Programme, *, on: dt.date | None = None) -> list[PartyView]:
    """The parties as signed (history kept), each old unit with the unit(s) it belongs to on `on` (today)."""
    day = on or clock.today()
    parties = list(programme.parties.select_related("unit", "ministry_unit", "organisation"))
    units = [p.unit for p in parties if p.unit is not None and not p.unit.is_valid_on(day)]
    mapping = unit_map_on(date=day, units=units) if units else {}
    out = []
    for p in parties:
        label = p.unit.name if p.unit else str(p.subject)
        now = [s.unit for s in mapping.get(p.unit_id, [])] if p.unit_id else []
        out.append(PartyView(p, label, now))
    return out


# --- programmes ----------------------------------------------------------------------------------------------------


def programme_search(
    *, user: Any, unit: AdminUnit | None = None, party: str | None = None, field: str | None = None,
    status: str | None = None, q: str | None = None,
) -> QuerySet[Programme]:
    """Visible programmes, newest first. `unit`: programmes with that unit — or a unit that became part of it — as
    a party; `party`: a party reference (`unit:<key>`, `ministry:<slug>`, `org:<slug>`)."""
    qs = permissions.visible_programmes(user)
    if unit is not None:
        qs = qs.filter(pk__in=Party.objects.filter(unit_id__in=units_under(unit)).values("programme_id"))
    if party:
        qs = qs.filter(pk__in=_party_programmes(party))
    if field:
        qs = qs.filter(field=field)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title_folded__contains=fold(q))
    return qs.prefetch_related(
        Prefetch("parties", queryset=Party.objects.select_related("unit", "ministry_unit", "organisation"))
    ).order_by("-start_on", "pk")


def _party_programmes(ref: str) -> Any:
    """Programme ids with the party `ref` (`unit:<key>`, `ministry:<slug>`, `org:<slug>`, as PartyIn)."""
    kind, _sep, raw = ref.partition(":")
    if kind == "ministry":
        return Party.objects.filter(ministry_unit__slug=raw).values_list("programme_id", flat=True)
    if kind == "org":
        return Party.objects.filter(organisation__slug=raw).values_list("programme_id", flat=True)
    if kind == "unit" and raw:
        try:
            unit = unit_key_resolve(raw, on=clock.today())
        except ApplicationError:
            unit = None
        if unit is not None:
            return Party.objects.filter(unit_id__in=units_under(unit)).values_list("programme_id", flat=True)
    return []


# --- progress ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: Objective
    actual: Decimal
    target: Decimal
    ratio: Decimal  # actual / target, uncapped (120 % shows as 1.2)
    capped: Decimal  # min(ratio, 1): what counts in the roll-up
    weight: Decimal
    weight_share: Decimal  # weight / Σ weights
    contribution: Decimal  # weight_share × capped


@dataclass(frozen=True)
class Progress:
    objectives: list[ObjectiveProgress]
    total: Decimal | None  # Σ weight × min(actual / target, 1) / Σ weight; None without objectives

    @property
    def percent(self) -> Decimal | None:
        return None if self.total is None else self.total * 100


def progress_from(objectives: Iterable[Any], actuals: dict[int, Decimal]) -> Progress:
    """The roll-up rule, pure: each objective's ratio actual / target capped at 1 (over-delivering one target
    does not make up for another), weighted by its weight."""
    objs = list(objectives)
    total_weight = sum((o.weight for o in objs), Decimal(0))
    rows = []
    for o in objs:
        actual = actuals.get(o.pk, Decimal(0))
        ratio = actual / o.target_value
        capped = min(ratio, Decimal(1))
        share = o.weight / total_weight if total_weight else Decimal(0)
        rows.append(ObjectiveProgress(o, actual, o.target_value, ratio, capped, o.weight, share, share * capped))
    total = sum((r.contribution for r in rows), Decimal(0)) if rows else None
    return Progress(rows, total)


def programme_progress(programme: Programme) -> Progress:
    actuals = dict(
        Result.objects.filter(objective__programme=programme).values("objective_id").annotate(total=Sum("actual"))
        .values_list("objective_id", "total")
    )
    return progress_from(programme.objectives.all(), actuals)


def progress_many(programme_ids: Iterable[int]) -> dict[int, Decimal | None]:
    """Programme id → its rolled-up progress (0…1), in two queries."""
    ids = list(programme_ids)
    objectives: dict[int, list[Objective]] = defaultdict(list)
    for o in Objective.objects.filter(programme_id__in=ids):
        objectives[o.programme_id].append(o)
    actuals = dict(
        Result.objects.filter(objective__programme_id__in=ids).values("objective_id").annotate(total=Sum("actual"))
        .values_list("objective_id", "total")
    )
    return {pid: progress_from(objectives.get(pid, []), actuals).total for pid in ids}


# --- documents and the library ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentView:
    document: Document
    library: LibraryDocument | None  # the library document whose number the title (or link) writes


def _cites(text: str, doc: LibraryDocument) -> bool:
    for c in numbers_in_text(text):
        if c.number is not None and c.number.key == doc.number_key:
            return True
        if c.number is None and (c.doc_type, c.seq, c.year) == (doc.doc_type, doc.number_seq, doc.number_year):
            return True
    return False


def document_views(*, programme: Programme, user: Any) -> list[DocumentView]:
    """The programme's documents, each with the library document its title (or link) names — when `user` may see
    it (`Quyết định 1234/QĐ-BCT ...` → /thu-vien/<id>/). Two queries for the library, whatever the count."""
    docs = list(programme.documents.all())
    found = documents_cited(texts=[t for d in docs for t in (d.title, d.url)], user=user)
    out = []
    for d in docs:
        match = next((lib for lib in found if _cites(d.title, lib) or _cites(d.url, lib)), None)
        out.append(DocumentView(d, match))
    return out


def programme_library_documents(*, programme: Programme, user: Any) -> list[LibraryDocument]:
    """The library documents the programme names: in its documents' titles and links, then its description."""
    texts = [t for d in programme.documents.all() for t in (d.title, d.url)] + [programme.description]
    return documents_cited(texts=texts, user=user)


def programmes_citing(*, document: LibraryDocument, user: Any, limit: int = 50) -> list[CitedBy]:
    """The programmes `user` may see whose documents (or description) name `document`
    (settings.LIBRARY_CITED_BY_SOURCES: the library page lists them)."""
    core = citation_fragment(document)
    if not core:
        return []
    qs = permissions.visible_programmes(user).filter(
        Q(pk__in=Document.objects.filter(title__contains=core).values("programme_id")) | Q(description__contains=core)
    ).prefetch_related("documents").order_by("-start_on", "pk")
    label = _("Cooperation programme")
    return [CitedBy(str(label), p.title, reverse("cooperation:programme_detail", args=[p.pk])) for p in qs[: limit * 4]
            if document_cited_in(document, [p.description, *(d.title for d in p.documents.all())])][:limit]


# --- timeline ------------------------------------------------------------------------------------------------------


def timeline(programme: Programme) -> QuerySet[StatusChange]:
    return programme.status_changes.select_related("actor").order_by("pk")  # in the order they were made


# --- activities ----------------------------------------------------------------------------------------------------


def activities_visible(
    *, user: Any, date_from: dt.date | None = None, date_to: dt.date | None = None, unit: AdminUnit | None = None,
    field: str | None = None, programme: Programme | None = None,
) -> QuerySet[Activity]:
    """Activities of the programmes the user may see, overlapping [date_from, date_to]; `unit`: held in it or with
    it (or a unit that became part of it) as a party."""
    qs = Activity.objects.filter(programme__in=permissions.visible_programmes(user))
    if programme is not None:
        qs = qs.filter(programme=programme)
    if date_from is not None:
        qs = qs.filter(end_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(start_on__lte=date_to)
    if unit is not None:
        ids = units_under(unit)
        qs = qs.filter(Q(place_id__in=ids) | Q(programme__parties__unit_id__in=ids)).distinct()
    if field:
        qs = qs.filter(programme__field=field)
    return qs.select_related("programme", "place").prefetch_related(
        Prefetch("participants", queryset=Party.objects.select_related("unit", "ministry_unit", "organisation")),
        "results__objective",
    ).order_by("start_on", "pk")


# --- the global search -------------------------------------------------------------------------------------------


def search_document(programme: Programme) -> SearchDocument:
    """A programme as the global search indexes it: public once published; before that, for its lead (or first)
    unit party's people (the unit it became part of, for a unit merged since) and the Ministry (lienket.search's
    "unit" visibility), or the Ministry only when no unit is
    a party (the Ministry's people see every programme — permissions.visible_programmes)."""
    parties = list(programme.parties.all())  # search_documents prefetches them with their subjects
    units = sorted((x for x in parties if x.unit_id), key=lambda x: (x.role != "lead", x.pk))
    unit = units[0].unit if units else None
    if unit is not None and not unit.is_valid_on(clock.today()):  # signed by a unit merged since: its successor's
        shares = unit_map_on(date=clock.today(), units=[unit]).get(unit.pk, [])
        unit = shares[0].unit if shares else unit
    body = " · ".join(x for x in (
        programme.get_field_display(), " ".join(str(x.subject) for x in parties),
        " ".join(o.title for o in programme.objectives.all()), programme.description[:4000],
    ) if x)
    if programme.is_published:
        visibility = "public"
    else:
        visibility = "unit" if unit is not None else "ministry"
    return SearchDocument(
        kind="programme", key=str(programme.pk), title=programme.title, body=body,
        url=reverse("cooperation:programme_detail", args=[programme.pk]), visibility=visibility,
        unit_id=unit.pk if unit else None, unit_key=unit.key if unit else "", unit_name=unit.name if unit else "",
    )


def search_documents() -> Iterator[SearchDocument]:
    """Every programme, for `manage.py search_reindex` (settings.SEARCH_DOCUMENT_SOURCES)."""
    parties = Prefetch("parties", queryset=Party.objects.select_related("unit", "ministry_unit", "organisation"))
    for p in Programme.objects.prefetch_related(parties, "objectives").order_by("pk").iterator(chunk_size=500):
        yield search_document(p)
