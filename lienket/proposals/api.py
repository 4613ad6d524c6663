"""Proposals API (/api/v1/proposals): the whole lifecycle, through the same selectors, services and permission
functions as the pages. Internal notes never appear here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from lienket.conferences.models import Conference
from lienket.core.api import ERRORS, authenticated, id_path, limit_param, offset_param
from lienket.core.errors import PermissionDenied, ValidationFailed
from lienket.library.selectors import document_link

from . import permissions, selectors, services
from .codes import ErrorCode
from .models import Proposal
from .schemas import (
    ProposalDetailOut,
    ProposalEndorseIn,
    ProposalGroupIn,
    ProposalGroupOut,
    ProposalIn,
    ProposalPageOut,
    ProposalSimilarOut,
    ProposalStatisticsOut,
    ProposalTransitionIn,
    ProposalUpdateIn,
)
from .workflow import transition_get

router = Router(tags=["proposals"])


def proposal_detail_out(p: Proposal, user: Any) -> dict[str, Any]:
    """One proposal with the library documents it names (`documents`)."""
    return {**proposal_out(p, user),
            "documents": [document_link(d) for d in selectors.proposal_documents(proposal=p, user=user)]}


def proposal_out(p: Proposal, user: Any) -> dict[str, Any]:
    from lienket.core import clock

    submitter_type = "unit" if p.submitting_unit_id else "ministry_unit" if p.submitting_ministry_unit_id else "organisation"
    s = p.submitter
    key = getattr(s, "key", None) or getattr(s, "slug", "")
    endorsements = list(p.endorsements.select_related("unit"))
    return {
        "id": p.pk, "title": p.title, "body": p.body, "field": p.field, "kind": p.kind, "status": p.status, "version": p.version,
        "submitter_type": submitter_type, "submitter": key, "submitter_name": p.submitter_name, "speaker": p.speaker,
        "speaker_role": p.speaker_role, "legal_references": p.legal_references,
        "conference": p.conference.title if p.conference is not None else None, "raised_on": p.raised_on,
        "lead_unit": p.lead_unit.slug if p.lead_unit is not None else None, "co_units": [u.slug for u in p.co_units.all()],
        "deadline": p.deadline, "overdue": p.is_overdue(clock.today()), "answer": p.answer, "answered_at": p.answered_at,
        "answered_on_time": p.answered_on_time(), "decline_reason": p.decline_reason, "forwarded_to": p.forwarded_to,
        "reopen_count": p.reopen_count, "group": p.group_id, "previous": p.previous_id,
        "history": [{"id": e.pk, "title": e.title, "raised_on": e.raised_on, "status": e.status,
                     "answer": e.answer if e.is_public else ""} for e in selectors.history(p)],
        "endorsements": [{"unit": e.unit.key, "unit_name": e.unit.name, "comment": e.comment, "created_at": e.created_at}
                         for e in endorsements],
        "endorsement_count": len(endorsements), "is_sample": p.is_sample, "source": p.source,
        "allowed_actions": permissions.allowed_actions(user, p),
    }


@router.get("", response={200: ProposalPageOut, **ERRORS}, summary="Proposals you may see (anonymous: published answers)")
def proposal_list(
    request: HttpRequest, q: str = Query("", max_length=200), field: str = Query("", max_length=40),
    unit: str = Query("", max_length=40), ministry_unit: str = Query("", max_length=80),
    year: int | None = Query(None, ge=1990, le=2100), status: str = Query("", max_length=20),
    limit: int = limit_param(50, 200), offset: int = offset_param(),
) -> dict[str, Any]:
    qs = selectors.proposal_search(
        user=request.user, q=q, field=field, unit=unit or None,
        ministry_unit=selectors.ministry_unit_get(ministry_unit) if ministry_unit else None, year=year, status=status,
    )
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "proposals": [proposal_out(p, request.user) for p in qs[offset : offset + limit]]}


@router.post("", response={201: ProposalDetailOut, **ERRORS}, auth=authenticated, summary="Write a draft proposal")
def proposal_create(request: HttpRequest, body: ProposalIn) -> Status:
    """Exactly one of `unit` (a province: yours), `ministry_unit` (yours) or `organisation` (the coordinator
    records proposals of businesses and associations). 422 with `empty_title`, `text_too_long`, `invalid_choice`,
    `unknown_submitter` or `unknown_ministry_unit` on bad input; 403 for another unit."""
    unit = selectors.unit_get(body.unit, on=body.raised_on) if body.unit else None
    ministry_unit = selectors.ministry_unit_get(body.ministry_unit) if body.ministry_unit else None
    organisation = selectors.organisation_get(body.organisation) if body.organisation else None
    conference = _conference(body.conference_year) if body.conference_year is not None else None
    previous = permissions.proposal_get_for_user(id=body.previous, user=request.user) if body.previous else None
    p = services.proposal_create(
        actor=request.user, title=body.title, body=body.body, field=body.field, kind=body.kind, unit=unit,
        ministry_unit=ministry_unit, organisation=organisation, speaker=body.speaker, speaker_role=body.speaker_role,
        legal_references=body.legal_references, conference=conference, raised_on=body.raised_on, previous=previous,
    )
    return Status(201, proposal_detail_out(p, request.user))


def _conference(year: int) -> Conference:
    conference = Conference.objects.filter(year=year).first()
    if conference is None:
        raise ValidationFailed(_("No conference in %(year)s.") % {"year": year}, {"field": "conference_year"},
                               code=ErrorCode.INVALID_CHOICE)
    return conference


@router.get("/similar", response={200: list[ProposalSimilarOut], **ERRORS}, auth=authenticated,
            summary="Existing proposals similar to a title (accent-insensitive, with a score)")
def proposal_similar(request: HttpRequest, q: str = Query(..., max_length=300),
                     exclude: int | None = Query(None, ge=1, le=2**63 - 1)) -> list[dict[str, Any]]:
    return [{"id": s.proposal.pk, "title": s.proposal.title, "submitter_name": s.proposal.submitter_name,
             "raised_on": s.proposal.raised_on, "status": s.proposal.status, "score": s.score}
            for s in selectors.similar_proposals(user=request.user, text=q, exclude_id=exclude)]


@router.get("/statistics", response={200: ProposalStatisticsOut, **ERRORS}, auth=authenticated,
            summary="Received, answered, on time, median days, overdue now — by ministry_unit, field, unit or year")
def proposal_statistics(request: HttpRequest, by: str = Query("ministry_unit", max_length=20)) -> dict[str, Any]:
    rows = selectors.statistics_by(user=request.user, by=by)
    return {"by": by, "rows": [{"key": r.key, "label": r.label, "received": r.received, "answered": r.answered,
                                "answered_on_time": r.on_time, "median_days_to_answer": r.median_days,
                                "overdue_now": r.overdue, "endorsements": r.endorsements} for r in rows]}


@router.post("/groups", response={201: ProposalGroupOut, **ERRORS}, auth=authenticated,
             summary="Group proposals so one answer serves them all (coordinator)")
def proposal_group(request: HttpRequest, body: ProposalGroupIn) -> Status:
    if not permissions.can_group(request.user):
        raise PermissionDenied(_("Only the Ministry coordinator can group proposals."))
    proposals = [permissions.proposal_get_for_user(id=pk, user=request.user) for pk in body.proposals]
    group = services.proposals_group(actor=request.user, proposals=proposals, title=body.title)
    return Status(201, {"id": group.pk, "title": group.title, "members": sorted(group.members.values_list("pk", flat=True))})


@router.get("/{proposal_id}", response={200: ProposalDetailOut, **ERRORS}, summary="One proposal")
def proposal_detail(request: HttpRequest, proposal_id: int = id_path("Proposal id")) -> dict[str, Any]:
    return proposal_detail_out(permissions.proposal_get_for_user(id=proposal_id, user=request.user), request.user)


@router.patch("/{proposal_id}", response={200: ProposalDetailOut, **ERRORS}, auth=authenticated,
              summary="Edit a draft (the submitting unit's people): only the fields sent change")
def proposal_update(request: HttpRequest, body: ProposalUpdateIn, proposal_id: int = id_path("Proposal id")) -> dict[str, Any]:
    """`version` is the version you saw: stale → 409 `proposal_version_conflict`; already submitted → 409
    `proposal_not_editable`; 422 `empty_title`, `empty_text`, `text_too_long`, `invalid_choice`, `unknown_proposal`;
    403 for anyone but the submitting unit's people (the coordinator for a business's or association's draft)."""
    p = permissions.proposal_get_for_user(id=proposal_id, user=request.user)
    refusal = permissions.edit_refusal(request.user, p)
    if refusal:  # before looking at the body: a refused user learns nothing from a 422
        raise PermissionDenied(refusal)
    sent = body.model_fields_set
    extra: dict[str, Any] = {}
    if "conference_year" in sent:
        extra["conference"] = _conference(body.conference_year) if body.conference_year is not None else None
    if "previous" in sent:
        extra["previous"] = (permissions.proposal_get_for_user(id=body.previous, user=request.user)
                             if body.previous is not None else None)
    p = services.proposal_update(
        proposal=p, actor=request.user, expected_version=body.version, title=body.title, body=body.body, field=body.field,
        kind=body.kind, speaker=body.speaker, speaker_role=body.speaker_role, legal_references=body.legal_references,
        raised_on=body.raised_on, **extra,
    )
    return proposal_detail_out(permissions.proposal_get_for_user(id=p.pk, user=request.user), request.user)


@router.post("/{proposal_id}/endorsements", response={201: ProposalDetailOut, **ERRORS}, auth=authenticated,
             summary="Your province supports this proposal")
def proposal_endorse(request: HttpRequest, body: ProposalEndorseIn, proposal_id: int = id_path("Proposal id")) -> Status:
    p = permissions.proposal_get_for_user(id=proposal_id, user=request.user)
    services.endorsement_add(proposal=p, actor=request.user, comment=body.comment)
    return Status(201, proposal_detail_out(permissions.proposal_get_for_user(id=proposal_id, user=request.user), request.user))


@router.post("/{proposal_id}/{action}", response={200: ProposalDetailOut, **ERRORS}, auth=authenticated,
             summary="Fire a lifecycle action: submit, receive, assign, answer, decline, forward, accept, reopen, close")
def proposal_action(request: HttpRequest, action: str, body: ProposalTransitionIn,
                    proposal_id: int = id_path("Proposal id")) -> dict[str, Any]:
    """submit (the submitting province's director), receive / assign / close (coordinator), answer (the lead
    Ministry unit), decline / forward (coordinator or lead unit), accept / reopen once (the submitting unit).
    `version` is the version you saw: stale → 409 `proposal_version_conflict`; wrong state → 409
    `proposal_invalid_transition`; 422 `deadline_in_past`, `unknown_ministry_unit`, `proposal_reason_required`."""
    transition_get(action)
    p = permissions.proposal_get_for_user(id=proposal_id, user=request.user)
    lead = selectors.ministry_unit_get(body.lead_unit) if body.lead_unit else None
    co = [selectors.ministry_unit_get(u) for u in body.co_units]
    p = services.proposal_transition(
        proposal=p, actor=request.user, action=action, expected_version=body.version, reason=body.reason, lead_unit=lead,
        co_units=co, deadline=body.deadline, answer=body.answer, forwarded_to=body.forwarded_to,
    )
    return proposal_detail_out(permissions.proposal_get_for_user(id=p.pk, user=request.user), request.user)



