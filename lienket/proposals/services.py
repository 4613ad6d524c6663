"""Every write to proposals: keyword-only, atomic, permission-checked, validated, audited.

Optimistic locking: a transition carries the version the person saw; the UPDATE is made `WHERE version = seen`,
so two people acting on the same proposal at once cannot both succeed — the second gets a 409 (Conflict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.audit import audit_log
from lienket.core.audit import snapshot as _snapshot
from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.text import fold, nfc
from lienket.search.services import search_index_remove, search_index_upsert
from lienket.users.models import MinistryUnit

from . import permissions, selectors
from .codes import AuditAction, ErrorCode
from .models import (
    DEFAULT_ANSWER_DAYS,
    AnswerPeriod,
    Attachment,
    Contribution,
    Endorsement,
    Field,
    InternalNote,
    Kind,
    Proposal,
    ProposalGroup,
    Status,
)
from .values import MAX_BODY, MAX_SHORT, MAX_TITLE, attachment_check, text_check
from .workflow import transition_check, transition_get


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """core's snapshot with files as their stored names (FieldFile is not JSON)."""
    data = _snapshot(obj, fields)
    if "answer_file" in data:
        data["answer_file"] = str(data["answer_file"] or "")
    return data


def answer_days(kind: str) -> int:
    """The default answer period of a type: its AnswerPeriod row, else DEFAULT_ANSWER_DAYS."""
    row = AnswerPeriod.objects.filter(kind=kind).first()
    return row.days if row else DEFAULT_ANSWER_DAYS.get(Kind(kind), 30)


def default_deadline(kind: str, *, on: dt.date | None = None) -> dt.date:
    return (on or clock.today()) + dt.timedelta(days=answer_days(kind))


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(
            _("%(label)s: choose one of %(allowed)s.") % {"label": label, "allowed": ", ".join(choices.values)},
            {"field": field}, code=ErrorCode.INVALID_CHOICE,
        )
    return value


@transaction.atomic(durable=True)
def proposal_create(
    *, actor: Any, title: str, body: str, field: str, kind: str, unit: Any = None, ministry_unit: Any = None,
    organisation: Any = None, speaker: str = "", speaker_role: str = "", legal_references: str = "",
    conference: Any = None, raised_on: dt.date | None = None, previous: Proposal | None = None,
) -> Proposal:
    """A draft proposal of one submitting unit (a province, a Ministry unit or an organisation)."""
    if sum(x is not None for x in (unit, ministry_unit, organisation)) != 1:
        raise ValidationFailed(_("Choose exactly one submitting unit: a province, a Ministry unit or an organisation."),
                               {"field": "unit"}, code=ErrorCode.SUBMITTER_REQUIRED)
    if not permissions.can_create_for(actor, unit=unit, ministry_unit=ministry_unit, organisation=organisation):
        raise PermissionDenied(_("You can write proposals only for your own unit."))
    title = text_check(nfc(title), field="title", label=_("The title"), limit=MAX_TITLE, required=True,
                       empty_code=ErrorCode.EMPTY_TITLE)
    body = text_check(nfc(body), field="body", label=_("The full text"), limit=MAX_BODY, required=True)
    _choice(field, Field, "field", _("Field"))
    _choice(kind, Kind, "kind", _("Type"))
    speaker = text_check(nfc(speaker), field="speaker", label=_("Speaker"), limit=200)
    speaker_role = text_check(nfc(speaker_role), field="speaker_role", label=_("Speaker's role"), limit=200)
    legal_references = text_check(nfc(legal_references), field="legal_references", label=_("Legal documents"), limit=MAX_SHORT * 4)
    proposal = Proposal.objects.create(
        submitting_unit=unit, submitting_ministry_unit=ministry_unit, submitting_organisation=organisation,
        author=actor if getattr(actor, "is_authenticated", False) else None, speaker=speaker, speaker_role=speaker_role,
        title=title, title_folded=fold(title), body=body, field=field, kind=kind, legal_references=legal_references,
        conference=conference, raised_on=raised_on or (conference.date if conference and conference.date else clock.today()),
        previous=previous,
    )
    audit_log(actor=actor, action=AuditAction.PROPOSAL_CREATE, obj=proposal, after=snapshot(proposal))
    return proposal


#: What the submitter may change while the proposal is a draft (the submitting unit itself never changes).
EDITABLE_FIELDS = ["title", "body", "field", "kind", "speaker", "speaker_role", "legal_references", "conference", "raised_on",
                   "previous"]


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: "Leave as it is" for the fields of proposal_update where None means "clear" (conference, previous).
UNSET: Any = _Unset()


def _search_sync(proposal: Proposal) -> None:
    """The search index's view of the proposal, in the caller's transaction: drafts are never indexed (only the
    submitting unit sees them), every later state is (selectors.search_document decides who sees it)."""
    if proposal.status == Status.DRAFT:
        search_index_remove(kind="proposal", key=str(proposal.pk))
    else:
        search_index_upsert(document=selectors.search_document(proposal))


@transaction.atomic(durable=True)
def proposal_update(
    *, proposal: Proposal, actor: Any, expected_version: int, title: str | None = None, body: str | None = None,
    field: str | None = None, kind: str | None = None, speaker: str | None = None, speaker_role: str | None = None,
    legal_references: str | None = None, conference: Any = UNSET, raised_on: dt.date | None = None,
    previous: Any = UNSET,
) -> Proposal:
    """Edit a draft: what is given changes (None, or UNSET for `conference`/`previous` where None clears, leaves a
    field as it is), with the checks of proposal_create. The UPDATE is made `WHERE version = expected_version AND
    status = draft`: a stale page is a 409, and so is a proposal submitted meanwhile."""
    current = Proposal.objects.select_related("submitting_unit", "submitting_ministry_unit", "submitting_organisation").get(
        pk=proposal.pk)
    refusal = permissions.edit_refusal(actor, current)
    if refusal:
        raise PermissionDenied(refusal)
    if current.status != Status.DRAFT:
        raise not_editable(current)
    if current.version != expected_version:
        raise _conflict(current)
    updates: dict[str, Any] = {}
    if title is not None:
        updates["title"] = text_check(nfc(title), field="title", label=_("The title"), limit=MAX_TITLE, required=True,
                                      empty_code=ErrorCode.EMPTY_TITLE)
        updates["title_folded"] = fold(updates["title"])
    if body is not None:
        updates["body"] = text_check(nfc(body), field="body", label=_("The full text"), limit=MAX_BODY, required=True)
    if field is not None:
        updates["field"] = _choice(field, Field, "field", _("Field"))
    if kind is not None:
        updates["kind"] = _choice(kind, Kind, "kind", _("Type"))
    if speaker is not None:
        updates["speaker"] = text_check(nfc(speaker), field="speaker", label=_("Speaker"), limit=200)
    if speaker_role is not None:
        updates["speaker_role"] = text_check(nfc(speaker_role), field="speaker_role", label=_("Speaker's role"), limit=200)
    if legal_references is not None:
        updates["legal_references"] = text_check(nfc(legal_references), field="legal_references", label=_("Legal documents"),
                                                 limit=MAX_SHORT * 4)
    if conference is not UNSET:
        updates["conference"] = conference
    if raised_on is not None:
        updates["raised_on"] = raised_on
    if previous is not UNSET:
        if previous is not None and previous.pk == current.pk:
            raise ValidationFailed(_("A proposal cannot be its own earlier version."), {"field": "previous"},
                                   code=ErrorCode.UNKNOWN_PROPOSAL)
        updates["previous"] = previous
    before = snapshot(current, [*EDITABLE_FIELDS, "version"])
    changed = Proposal.objects.filter(pk=current.pk, version=expected_version, status=Status.DRAFT).update(
        version=F("version") + 1, **updates)
    if changed != 1:  # submitted or edited by someone else between our read and our write
        current.refresh_from_db()
        raise not_editable(current) if current.status != Status.DRAFT else _conflict(current)
    current.refresh_from_db()
    after = snapshot(current, [*EDITABLE_FIELDS, "version"])
    audit_log(actor=actor, action=AuditAction.PROPOSAL_UPDATE, obj=current,
              before={k: v for k, v in before.items() if after.get(k) != v},
              after={k: v for k, v in after.items() if before.get(k) != v})
    _search_sync(current)
    return current


def not_editable(current: Proposal) -> Conflict:
    return Conflict(
        _("Only a draft can be edited; this proposal is already %(status)s.") % {"status": current.get_status_display().lower()},
        {"current_version": current.version, "status": current.status}, code=ErrorCode.PROPOSAL_NOT_EDITABLE,
    )


def _conflict(current: Proposal) -> Conflict:
    return Conflict(
        _("This proposal was changed by someone else (now %(status)s, version %(version)s). Reload the page and try again.")
        % {"status": current.get_status_display().lower(), "version": current.version},
        {"current_version": current.version, "status": current.status},
        code=ErrorCode.PROPOSAL_VERSION_CONFLICT,
    )


@transaction.atomic(durable=True)
def proposal_transition(
    *, proposal: Proposal, actor: Any, action: str, expected_version: int | None = None, reason: str = "",
    lead_unit: Any = None, co_units: Iterable[Any] = (), deadline: dt.date | None = None, answer: str = "",
    forwarded_to: str = "", answer_file: tuple[str, bytes] | None = None,
) -> Proposal:
    """Fire one workflow action (see workflow.py). Refusals raise and leave the database unchanged."""
    reason = nfc(reason)
    current = Proposal.objects.select_related("submitting_unit", "submitting_ministry_unit", "submitting_organisation",
                                              "lead_unit").get(pk=proposal.pk)
    transition_get(action)
    stale = expected_version is not None and current.version != expected_version
    refusal = (permissions.transition_refusal_in_any_source if stale else permissions.transition_refusal)(actor, current, action)
    if refusal:
        raise PermissionDenied(refusal)
    if stale:
        raise _conflict(current)
    transition = transition_check(status=current.status, action=action, reason=reason)
    text_check(reason, field="reason", label=_("The reason"), limit=MAX_BODY)
    if answer_file is not None:
        attachment_check(answer_file[0], answer_file[1])
    now = clock.now()
    updates: dict[str, Any] = {"status": transition.target}
    co_list: list[Any] | None = None
    if action == "submit":
        updates.update(submitted_at=now, submitted_by=actor)
    elif action == "receive":
        updates.update(received_at=now, received_by=actor)
    elif action == "assign":
        if lead_unit is None:
            raise ValidationFailed(_("Choose the lead Ministry unit."), {"field": "lead_unit"}, code=ErrorCode.UNKNOWN_MINISTRY_UNIT)
        deadline = deadline or default_deadline(current.kind)
        if deadline < clock.today():
            raise ValidationFailed(
                _("The deadline %(date)s is in the past.") % {"date": deadline.strftime("%d/%m/%Y")},
                {"field": "deadline"}, code=ErrorCode.DEADLINE_IN_PAST,
            )
        co_list = [u for u in co_units if u.pk != lead_unit.pk]
        updates.update(lead_unit=lead_unit, deadline=deadline, assigned_at=now, assigned_by=actor)
    elif action == "answer":
        answer = text_check(nfc(answer), field="answer", label=_("The answer"), limit=MAX_BODY, required=True,
                            empty_code=ErrorCode.ANSWER_REQUIRED)
        updates.update(answer=answer, answered_at=now, answered_by=actor)
    elif action == "decline":
        updates.update(decline_reason=reason, decided_at=now, decided_by=actor)
    elif action == "forward":
        forwarded_to = text_check(nfc(forwarded_to), field="forwarded_to", label=_("The body it is forwarded to"),
                                  limit=300, required=True, empty_code=ErrorCode.FORWARD_TARGET_REQUIRED)
        updates.update(forwarded_to=forwarded_to, decided_at=now, decided_by=actor)
    elif action in ("accept", "close"):
        updates.update(closed_at=now, closed_by=actor)
    elif action == "reopen":
        if current.reopen_count >= 1:
            raise ValidationFailed(_("An answer can be reopened only once."), code=ErrorCode.REOPEN_LIMIT)
        updates.update(reopen_count=current.reopen_count + 1, reopen_reason=reason)
        if current.deadline is not None and current.deadline < clock.today():
            updates["deadline"] = default_deadline(current.kind)
    before = snapshot(current)
    seen = current.version
    changed = Proposal.objects.filter(pk=current.pk, version=seen).update(version=F("version") + 1, **updates)
    if changed != 1:  # someone else's transition committed between our read and our write
        current.refresh_from_db()
        raise _conflict(current)
    current.refresh_from_db()
    if co_list is not None:
        current.co_units.set(co_list)
    if answer_file is not None:
        name, content = answer_file
        current.answer_file.save(name, ContentFile(content), save=True)
    audit_log(actor=actor, action=AuditAction(f"proposal.{action}"), obj=current, before=before, after=snapshot(current),
              reason=reason)
    _search_sync(current)
    if action == "answer" and current.group_id is not None:
        _answer_group_members(current, actor)
    return current


def _answer_group_members(answered: Proposal, actor: Any) -> None:
    """One answer serves the whole group: every other member still waiting (received or assigned) gets it."""
    now = clock.now()
    members = Proposal.objects.filter(group_id=answered.group_id, status__in=[Status.RECEIVED, Status.ASSIGNED]).exclude(pk=answered.pk)
    for member in members.select_for_update():
        before = snapshot(member)
        Proposal.objects.filter(pk=member.pk, version=member.version).update(
            status=Status.ANSWERED, answer=answered.answer, answered_at=now, answered_by=actor,
            lead_unit=member.lead_unit or answered.lead_unit, deadline=member.deadline or answered.deadline,
            assigned_at=member.assigned_at or now, version=F("version") + 1,
        )
        member.refresh_from_db()
        audit_log(actor=actor, action=AuditAction.PROPOSAL_ANSWER, obj=member, before=before, after=snapshot(member),
                  reason=_("Answered with proposal %(id)s of the same group.") % {"id": answered.pk})
        search_index_upsert(document=selectors.search_document(member))


@transaction.atomic(durable=True)
def endorsement_add(*, proposal: Proposal, actor: Any, unit: Any = None, comment: str = "") -> Endorsement:
    """A province co-signs another unit's proposal (once per province)."""
    refusal = permissions.endorse_refusal(actor, proposal)
    if refusal:
        raise PermissionDenied(refusal)
    own = permissions.province_unit_ids(actor) - {proposal.submitting_unit_id}
    if unit is None:
        from lienket.regions.models import AdminUnit

        unit = AdminUnit.objects.filter(pk__in=own).order_by("code").first()
    if unit is None or unit.pk not in own:
        raise PermissionDenied(_("You can endorse only on behalf of your own province."))
    comment = text_check(nfc(comment), field="comment", label=_("Comment"), limit=MAX_SHORT)
    if Endorsement.objects.filter(proposal=proposal, unit=unit).exists():
        raise Conflict(_("%(unit)s already supports this proposal.") % {"unit": unit.name}, code=ErrorCode.ALREADY_ENDORSED)
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(proposal=proposal, unit=unit, endorsed_by=actor, comment=comment)
    except IntegrityError:
        raise Conflict(_("%(unit)s already supports this proposal.") % {"unit": unit.name}, code=ErrorCode.ALREADY_ENDORSED) from None
    audit_log(actor=actor, action=AuditAction.PROPOSAL_ENDORSE, obj=proposal, after={"unit": unit.pk, "comment": comment})
    return endorsement


@transaction.atomic(durable=True)
def note_add(*, proposal: Proposal, actor: Any, text: str) -> InternalNote:
    if not permissions.can_see_internal_notes(actor):
        raise PermissionDenied(_("Only Ministry staff can write internal notes."))
    text = text_check(nfc(text), field="text", label=_("The note"), limit=MAX_BODY, required=True)
    note = InternalNote.objects.create(proposal=proposal, author=actor, text=text)
    audit_log(actor=actor, action=AuditAction.PROPOSAL_NOTE, obj=proposal, after={"note": note.pk})
    return note


@transaction.atomic(durable=True)
def contribution_add(*, proposal: Proposal, actor: Any, text: str, file: tuple[str, bytes] | None = None) -> Contribution:
    """A co-operating unit's opinion (ý kiến phối hợp) for the lead unit, while the proposal is assigned. Internal
    to the Ministry: the audit entry names the opinion, never its text."""
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    refusal = permissions.contribute_refusal(actor, current)
    if refusal:
        raise PermissionDenied(refusal)
    if current.status != Status.ASSIGNED:
        raise Conflict(
            _("Co-operating opinions can be given only while the proposal is assigned; it is now %(status)s.")
            % {"status": current.get_status_display().lower()}, {"status": current.status}, code=ErrorCode.CONTRIBUTION_CLOSED,
        )
    text = text_check(nfc(text), field="text", label=_("The opinion"), limit=MAX_BODY, required=True)
    unit = MinistryUnit.objects.filter(pk__in=permissions.contributing_unit_ids(actor, current)).order_by("name", "pk").first()
    contribution = Contribution(proposal=current, unit=unit, author=actor, text=text)
    if file is not None:
        name = nfc(file[0])[-200:] or "file"
        contribution.content_type = attachment_check(name, file[1])
        contribution.file_name, contribution.size = name, len(file[1])
        contribution.file.save(name, ContentFile(file[1]), save=False)
    contribution.save()
    audit_log(actor=actor, action=AuditAction.PROPOSAL_CONTRIBUTE, obj=current,
              after={"contribution": contribution.pk, "unit": unit.slug if unit else None, "file": contribution.file_name,
                     "size": contribution.size})
    return contribution


@transaction.atomic(durable=True)
def attachment_add(*, proposal: Proposal, actor: Any, name: str, content: bytes) -> Attachment:
    if not permissions.can_attach(actor, proposal):
        raise PermissionDenied(_("Files can be attached by the submitting unit while the proposal is a draft."))
    name = nfc(name)[-200:] or "file"
    content_type = attachment_check(name, content)
    attachment = Attachment(proposal=proposal, name=name, content_type=content_type, size=len(content), uploaded_by=actor)
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    audit_log(actor=actor, action=AuditAction.PROPOSAL_ATTACH, obj=proposal, after={"attachment": attachment.pk, "name": name,
                                                                                     "size": len(content)})
    return attachment


@transaction.atomic(durable=True)
def proposals_group(*, actor: Any, proposals: list[Proposal], title: str = "") -> ProposalGroup:
    """The coordinator groups proposals that ask for the same thing: one answer will serve them all."""
    if not permissions.can_group(actor):
        raise PermissionDenied(_("Only the Ministry coordinator can group proposals."))
    proposals = list({p.pk: p for p in proposals}.values())
    if len(proposals) < 2:
        raise ValidationFailed(_("Choose at least two proposals to group."), code=ErrorCode.GROUP_TOO_SMALL)
    existing = {p.group_id for p in proposals if p.group_id}
    group = ProposalGroup.objects.filter(pk__in=existing).order_by("pk").first()
    if group is None:
        group = ProposalGroup.objects.create(title=nfc(title)[:300] or proposals[0].title, created_by=actor)
    for p in proposals:
        before = snapshot(p, ["group", "version"])
        Proposal.objects.filter(pk=p.pk).update(group=group, version=F("version") + 1)
        p.refresh_from_db()
        audit_log(actor=actor, action=AuditAction.PROPOSAL_GROUP, obj=p, before=before, after=snapshot(p, ["group", "version"]))
    return group


@transaction.atomic(durable=True)
def previous_link(*, actor: Any, proposal: Proposal, previous: Proposal) -> Proposal:
    """Mark `proposal` as raised again: `previous` is its earlier version (coordinator)."""
    if not permissions.can_group(actor):
        raise PermissionDenied(_("Only the Ministry coordinator can link a proposal to an earlier one."))
    if previous.pk == proposal.pk:
        raise ValidationFailed(_("A proposal cannot be its own earlier version."), code=ErrorCode.UNKNOWN_PROPOSAL)
    before = snapshot(proposal, ["previous", "version"])
    Proposal.objects.filter(pk=proposal.pk).update(previous=previous, version=F("version") + 1)
    proposal.refresh_from_db()
    audit_log(actor=actor, action=AuditAction.PROPOSAL_LINK_PREVIOUS, obj=proposal, before=before,
              after=snapshot(proposal, ["previous", "version"]))
    return proposal
