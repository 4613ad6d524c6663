"""/api/v1/cooperation/ — programmes, activities and the linkage network.

Thin: the same selectors, services and permission functions as the pages. Reads are public (the public sees
published programmes only); writes need a session or a token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Created

from lienket.core import clock
from lienket.core.api import ERRORS, authenticated, id_path, limit_param, offset_param
from lienket.core.errors import NotFound, ValidationFailed
from lienket.library.selectors import document_link
from lienket.regions.keys import unit_key_resolve

from . import network, permissions, selectors, services
from .codes import ErrorCode
from .models import Activity, Programme
from .schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPageOut,
    ActivityPatch,
    FieldName,
    NetworkOut,
    ProgrammeDetailOut,
    ProgrammeIn,
    ProgrammePageOut,
    ProgrammePatch,
    Status,
    StatusIn,
)
from .values import DocumentIn, ObjectiveIn, PartyIn, ResultIn

router = Router(tags=["cooperation"])
FROM_PARAM = Query(None, alias="from", description="First day (YYYY-MM-DD)")
TO_PARAM = Query(None, alias="to", description="Last day (YYYY-MM-DD)")


def _unit(key: str | None) -> Any:
    if not key:
        return None
    today = clock.today()
    unit = unit_key_resolve(key, on=today)
    if unit is None:
        raise NotFound(_("No administrative unit “%(ref)s” on %(date)s.") % {"ref": key[:40],
                       "date": today.strftime("%d/%m/%Y")}, {"unit": key[:40]}, code=ErrorCode.UNKNOWN_UNIT)
    return unit


def party_out(view: selectors.PartyView) -> dict[str, Any]:
    p = view.party
    kind = "unit" if p.unit_id else "ministry_unit" if p.ministry_unit_id else "organisation"
    return {"key": p.key, "kind": kind, "name": view.label, "role": p.role,
            "unit_key": p.unit.key if p.unit else None, "now_part_of": [u.name for u in view.now_part_of]}


def programme_out(p: Programme, user: Any, progress: Any = None, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": p.pk, "title": p.title, "kind": p.kind, "field": p.field, "status": p.status,
        "description": p.description, "signed_on": p.signed_on, "start_on": p.start_on, "end_on": p.end_on,
        "is_published": p.is_published, "is_sample": p.is_sample, "version": p.version,
        "url": f"/hop-tac/{p.pk}/", "can_edit": permissions.can_edit(user, p),
        "parties": [party_out(v) for v in selectors.party_views(p)],
    }
    if detail:
        prog = selectors.programme_progress(p)
        out["progress"] = prog.total
        out["objectives"] = [{"id": o.objective.pk, "title": o.objective.title,
                              "unit_of_measure": o.objective.unit_of_measure, "target_value": o.target,
                              "actual": o.actual, "ratio": o.ratio, "weight": o.weight,
                              "weight_share": o.weight_share, "contribution": o.contribution} for o in prog.objectives]
        out["timeline"] = [{"from_status": s.from_status, "to_status": s.to_status, "on": s.on, "reason": s.reason}
                           for s in selectors.timeline(p)]
        out["documents"] = [document_link(d) for d in selectors.programme_library_documents(programme=p, user=user)]
    else:
        out["progress"] = progress
    return out


def activity_out(a: Activity) -> dict[str, Any]:
    return {"id": a.pk, "programme_id": a.programme_id, "programme_title": a.programme.title, "kind": a.kind,
            "title": a.title, "start_on": a.start_on, "end_on": a.end_on, "place": a.place.name,
            "place_key": a.place.key, "participants": [p.key for p in a.participants.all()],
            "results": [{"objective_id": r.objective_id, "actual": r.actual, "note": r.note} for r in a.results.all()],
            "is_sample": a.is_sample}


@router.get("/programmes", response={200: ProgrammePageOut, **ERRORS}, summary="Programmes you may see")
def programme_list(request: HttpRequest, unit: str | None = Query(None, max_length=40), party: str | None = Query(
        None, max_length=80), field: FieldName | None = None, status: Status | None = None,
        q: str | None = Query(None, max_length=200), limit: int = limit_param(50, 500),
        offset: int = offset_param()) -> Any:
    """Filters: `unit` (a unit key; programmes of units that became part of it are included), `party`
    (`unit:<id>`, `ministry:<id>`, `org:<id>`), `field`, `status`, `q` (title)."""
    qs = selectors.programme_search(user=request.user, unit=_unit(unit), party=party, field=field, status=status, q=q)
    page = list(qs[offset:offset + limit])
    progress = selectors.progress_many(p.pk for p in page)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "programmes": [programme_out(p, request.user, progress.get(p.pk)) for p in page]}


@router.post("/programmes", response={201: ProgrammeDetailOut, **ERRORS}, auth=authenticated,
             summary="Start a programme")
def programme_create(request: HttpRequest, body: ProgrammeIn) -> Any:
    p = services.programme_create(
        actor=request.user, title=body.title, kind=body.kind, field=body.field, description=body.description,
        signed_on=body.signed_on, start_on=body.start_on, end_on=body.end_on, status=body.status,
        is_published=body.is_published, parties=[PartyIn(x.ref, x.role) for x in body.parties],
        objectives=[ObjectiveIn(o.title, o.unit_of_measure, o.target_value, o.weight) for o in body.objectives],
        documents=[DocumentIn(d.title, d.url, d.issued_on.isoformat() if d.issued_on else "") for d in body.documents],
    )
    return Created(201, programme_out(p, request.user, detail=True))


@router.get("/programmes/{programme_id}", response={200: ProgrammeDetailOut, **ERRORS}, summary="One programme")
def programme_detail(request: HttpRequest, programme_id: int = id_path()) -> Any:
    p = permissions.programme_get_for_user(id=programme_id, user=request.user)
    return programme_out(p, request.user, detail=True)


@router.patch("/programmes/{programme_id}", response={200: ProgrammeDetailOut, **ERRORS}, auth=authenticated,
              summary="Change a programme (send the version you read: 409 if it changed)")
def programme_update(request: HttpRequest, body: ProgrammePatch, programme_id: int = id_path()) -> Any:
    p = services.programme_update(
        actor=request.user, programme_id=programme_id, version=body.version, title=body.title, kind=body.kind,
        field=body.field, description=body.description, signed_on=body.signed_on, start_on=body.start_on,
        end_on=body.end_on, is_published=body.is_published,
        parties=[PartyIn(x.ref, x.role) for x in body.parties] if body.parties is not None else None,
        objectives=[ObjectiveIn(o.title, o.unit_of_measure, o.target_value, o.weight, o.id) for o in body.objectives]
        if body.objectives is not None else None,
    )
    return programme_out(p, request.user, detail=True)


@router.post("/programmes/{programme_id}/status", response={200: ProgrammeDetailOut, **ERRORS},
             auth=authenticated, summary="Change a programme's status (send the version you read)")
def programme_status(request: HttpRequest, body: StatusIn, programme_id: int = id_path()) -> Any:
    p = services.programme_set_status(actor=request.user, programme_id=programme_id, version=body.version,
                                      status=body.status, on=body.on, reason=body.reason)
    return programme_out(p, request.user, detail=True)


@router.get("/activities", response={200: ActivityPageOut, **ERRORS}, summary="Activities of programmes you may see")
def activity_list(request: HttpRequest, date_from: dt.date | None = FROM_PARAM,
                  date_to: dt.date | None = TO_PARAM, unit: str | None = Query(None, max_length=40),
                  field: FieldName | None = None, programme: int | None = Query(None, ge=1, le=2**63 - 1),
                  limit: int = limit_param(100, 1000), offset: int = offset_param()) -> Any:
    if date_from and date_to and date_to < date_from:
        raise ValidationFailed(_("“To” is before “From”."), code=ErrorCode.END_BEFORE_START)
    prog = permissions.programme_get_for_user(id=programme, user=request.user) if programme else None
    qs = selectors.activities_visible(user=request.user, date_from=date_from, date_to=date_to, unit=_unit(unit),
                                      field=field, programme=prog)
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "activities": [activity_out(a) for a in qs[offset:offset + limit]]}


@router.post("/activities", response={201: ActivityOut, **ERRORS}, auth=authenticated,
             summary="Add an activity with its results")
def activity_create(request: HttpRequest, body: ActivityIn) -> Any:
    a = services.activity_create(
        actor=request.user, programme_id=body.programme_id, kind=body.kind, title=body.title,
        start_on=body.start_on, end_on=body.end_on, place=body.place, participants=body.participants,
        results=[ResultIn(r.objective_id, r.actual, r.note) for r in body.results], description=body.description,
    )
    return Created(201, activity_out(a))


@router.patch("/activities/{activity_id}", response={200: ActivityOut, **ERRORS}, auth=authenticated,
              summary="Change an activity (send the version you read: 409 if it changed)")
def activity_update(request: HttpRequest, body: ActivityPatch, activity_id: int = id_path()) -> Any:
    a = services.activity_update(
        actor=request.user, activity_id=activity_id, version=body.version, kind=body.kind, title=body.title,
        start_on=body.start_on, end_on=body.end_on, place=body.place, participants=body.participants,
        results=[ResultIn(r.objective_id, r.actual, r.note) for r in body.results], description=body.description,
    )
    return activity_out(a)


@router.delete("/activities/{activity_id}", response={204: None, **ERRORS}, auth=authenticated,
               summary="Delete an activity and its results")
def activity_delete(request: HttpRequest, activity_id: int = id_path(),
                    version: int | None = Query(None, ge=1, le=2**31 - 1)) -> Any:
    services.activity_delete(actor=request.user, activity_id=activity_id, version=version)
    return Created(204, None)


@router.get("/network", response={200: NetworkOut, **ERRORS}, by_alias=True, summary="The linkage network")
def network_get(request: HttpRequest, date_from: dt.date | None = FROM_PARAM,
                date_to: dt.date | None = TO_PARAM, field: FieldName | None = None,
                organisations: bool = False) -> Any:
    """Nodes (units as they stand on `to`, optionally organisations) with degree, weighted degree, betweenness,
    eigenvector centrality and community; edges with strength and counts; revealed and proposed hubs; isolated
    units. Window default: 1 January two years before `to` (default today) … `to`. The public sees the network of
    published programmes; the Ministry of all."""
    start, end = network.default_window(date_from, date_to, clock.today())
    if end < start:
        raise ValidationFailed(_("“To” is before “From”."), code=ErrorCode.END_BEFORE_START)
    data = network.network_cached(date_from=start, date_to=end, field=field,
                                  published_only=not permissions.sees_all(request.user), organisations=organisations)
    return {**data, "data_version": selectors.data_version()}
