"""Who may do what with proposals. Used by the HTML views, the API and the services alike."""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lienket.core.errors import NotFound, PermissionDenied
from lienket.users.models import Role
from lienket.users.permissions import has_role, is_coordinator, user_memberships

from .models import PUBLIC_STATES, Proposal, Status
from .workflow import TRANSITIONS


def is_ministry_staff(user: Any) -> bool:
    """The coordinator, a Ministry unit's staff or an administrator: the people who see internal notes."""
    return is_coordinator(user) or has_role(user, Role.MINISTRY_UNIT)


def ministry_unit_ids(user: Any) -> set[int]:
    return {m.ministry_unit_id for m in user_memberships(user) if m.role == Role.MINISTRY_UNIT and m.ministry_unit_id}


def province_unit_ids(user: Any) -> set[int]:
    return {m.unit_id for m in user_memberships(user) if m.role in (Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR) and m.unit_id}


def is_of_submitter(user: Any, proposal: Proposal) -> bool:
    """An officer or the director of the submitting province, or staff of the submitting Ministry unit."""
    if proposal.submitting_unit_id is not None:
        return proposal.submitting_unit_id in province_unit_ids(user)
    if proposal.submitting_ministry_unit_id is not None:
        return proposal.submitting_ministry_unit_id in ministry_unit_ids(user)
    return False


def is_lead_unit_staff(user: Any, proposal: Proposal) -> bool:
    return proposal.lead_unit_id is not None and proposal.lead_unit_id in ministry_unit_ids(user)


def can_create_for(user: Any, *, unit: Any = None, ministry_unit: Any = None, organisation: Any = None) -> bool:
    """Province people write their own province's proposals, Ministry unit staff their unit's; the coordinator
    records those of businesses and associations (and of anyone, on their behalf)."""
    if is_coordinator(user):
        return True
    if unit is not None:
        return unit.pk in province_unit_ids(user)
    if ministry_unit is not None:
        return ministry_unit.pk in ministry_unit_ids(user)
    return False


def can_view(user: Any, proposal: Proposal) -> bool:
    if proposal.status in PUBLIC_STATES:
        return True  # published answers (and reasons for declining, bodies forwarded to) are public
    if not getattr(user, "is_authenticated", False):
        return False
    if proposal.status == Status.DRAFT:
        return is_coordinator(user) or is_of_submitter(user, proposal)
    return True  # every signed-in user sees proposals once submitted (to endorse them, to find duplicates)


def visible_proposals(user: Any, qs: QuerySet[Proposal] | None = None) -> QuerySet[Proposal]:
    qs = qs if qs is not None else Proposal.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.filter(status__in=PUBLIC_STATES)
    if is_coordinator(user):
        return qs
    own = Q(submitting_unit_id__in=province_unit_ids(user)) | Q(submitting_ministry_unit_id__in=ministry_unit_ids(user))
    return qs.filter(~Q(status=Status.DRAFT) | own)


def can_see_internal_notes(user: Any) -> bool:
    return is_ministry_staff(user)


def transition_refusal(user: Any, proposal: Proposal, action: str) -> str | None:
    """Why `user` may not fire `action` on `proposal` (role only; the state is checked by workflow)."""
    name = proposal.submitter_name
    if action == "submit":
        if proposal.submitting_unit_id is not None:
            if has_role(user, Role.PROVINCE_DIRECTOR, unit=proposal.submitting_unit_id):
                return None
            return _("Only the director of %(unit)s can submit its proposals.") % {"unit": name}
        if proposal.submitting_ministry_unit_id is not None and is_of_submitter(user, proposal):
            return None
        if is_coordinator(user):
            return None
        return _("Only %(unit)s or the Ministry coordinator can submit this proposal.") % {"unit": name}
    if action in {"receive", "assign", "close"}:
        if is_coordinator(user):
            return None
        return _("Only the Ministry coordinator can receive, assign or close proposals.")
    if action == "answer":
        if is_lead_unit_staff(user, proposal):
            return None
        lead = proposal.lead_unit.name if proposal.lead_unit is not None else _("the lead Ministry unit")
        return _("Only %(unit)s, the lead unit it is assigned to, can answer this proposal.") % {"unit": lead}
    if action in {"decline", "forward"}:
        if is_coordinator(user) or is_lead_unit_staff(user, proposal):
            return None
        return _("Only the Ministry coordinator or the lead unit can decline or forward a proposal.")
    if action in {"accept", "reopen"}:
        if is_of_submitter(user, proposal) or (proposal.submitting_organisation_id is not None and is_coordinator(user)):
            return None
        return _("Only %(unit)s, which raised the proposal, can accept or reopen the answer.") % {"unit": name}
    return _("Unknown action.")


def transition_refusal_in_any_source(user: Any, proposal: Proposal, action: str) -> str | None:
    """None when `user` would have had the right to `action` in some state it applies to (a stale page is then
    a conflict, not a 403)."""
    refusal = transition_refusal(user, proposal, action)
    if refusal is None or action not in TRANSITIONS:
        return refusal
    for status in TRANSITIONS[action].sources:
        seen = copy.copy(proposal)
        seen.status = status
        if transition_refusal(user, seen, action) is None:
            return None
    return refusal


def allowed_actions(user: Any, proposal: Proposal) -> list[str]:
    """The actions `user` may fire on `proposal` now: the buttons of the page and the API's `allowed_actions`."""
    out = []
    for action, transition in TRANSITIONS.items():
        if proposal.status not in transition.sources or transition_refusal(user, proposal, action):
            continue
        if action == "reopen" and proposal.reopen_count >= 1:
            continue
        if action == "close" and is_of_submitter(user, proposal):
            continue
        out.append(action)
    return out


def endorse_refusal(user: Any, proposal: Proposal) -> str | None:
    if proposal.status in (Status.DRAFT, Status.CLOSED, Status.DECLINED, Status.FORWARDED):
        return _("A proposal can be endorsed only while it is open.")
    units = province_unit_ids(user)
    if not units:
        return _("Only the officers and directors of a province can endorse a proposal.")
    if units == {proposal.submitting_unit_id}:
        return _("A province cannot endorse its own proposal.")
    return None


def can_group(user: Any) -> bool:
    return is_coordinator(user)


def edit_refusal(user: Any, proposal: Proposal) -> str | None:
    """Why `user` may not edit `proposal` (None: may). The submitting unit's people edit its draft; the
    coordinator edits the drafts of businesses and associations, which it records on their behalf. A Ministry
    unit other than the submitter, another province or the coordinator never edits a unit's draft."""
    if not (is_of_submitter(user, proposal) or (proposal.submitting_organisation_id is not None and is_coordinator(user))):
        return _("Only the people of %(unit)s can edit its draft.") % {"unit": proposal.submitter_name}
    return None


def can_edit(user: Any, proposal: Proposal) -> bool:
    """The page's "Edit" link: the submitter's people, while the proposal is a draft."""
    return proposal.status == Status.DRAFT and edit_refusal(user, proposal) is None


def contributing_unit_ids(user: Any, proposal: Proposal) -> set[int]:
    """The co-operating units of `proposal` `user` works in."""
    mine = ministry_unit_ids(user)
    if not mine:
        return set()
    return mine & set(proposal.co_units.values_list("pk", flat=True))


def contribute_refusal(user: Any, proposal: Proposal) -> str | None:
    """Why `user` may not add a co-operating unit's opinion (ý kiến phối hợp) to `proposal` (None: may)."""
    if not contributing_unit_ids(user, proposal):
        return _("Only the staff of a co-operating unit of this proposal can give a co-operating opinion.")
    return None


def can_contribute(user: Any, proposal: Proposal) -> bool:
    return proposal.status == Status.ASSIGNED and contribute_refusal(user, proposal) is None


def can_see_contributions(user: Any) -> bool:
    """Co-operating opinions are internal to the Ministry, like internal notes."""
    return is_ministry_staff(user)


def can_attach(user: Any, proposal: Proposal) -> bool:
    return proposal.status == Status.DRAFT and (is_of_submitter(user, proposal) or is_coordinator(user))


def can_see_escalation(user: Any) -> bool:
    return is_coordinator(user)


def proposal_get_for_user(*, id: Any, user: Any) -> Proposal:
    """Fetch with the permission check in one call: NotFound for missing, PermissionDenied for not yours."""
    try:
        proposal = Proposal.objects.select_related(
            "submitting_unit", "submitting_ministry_unit", "submitting_organisation", "lead_unit", "conference", "group",
            "previous",
        ).get(pk=int(id))
    except (Proposal.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(_("Proposal %(id)s does not exist.") % {"id": id}) from None
    if not can_view(user, proposal):
        if not getattr(user, "is_authenticated", False):
            raise NotFound(_("Proposal %(id)s does not exist.") % {"id": id})
        raise PermissionDenied(_("You cannot see this proposal."))
    return proposal

