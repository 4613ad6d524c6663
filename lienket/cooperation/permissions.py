"""Who may see and edit cooperation programmes — the one home of these rules (pages, API and services call it).

* the public (and any signed-in user) sees published programmes;
* Ministry units and the coordinator see every programme;
* a unit's people (province officer / director) see and edit the programmes their unit is a party to — across
  the merger too: the new Bắc Ninh edits what old Bắc Giang signed (`regions.selectors.unit_map_on`);
* a Ministry unit's people edit the programmes their Ministry unit is a party to;
* the coordinator (and the admin) edits every programme.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.errors import NotFound, PermissionDenied
from lienket.regions.models import AdminUnit
from lienket.regions.selectors import unit_map_on
from lienket.users.models import PROVINCE_ROLES, Role
from lienket.users.permissions import is_coordinator, user_memberships

from .codes import ErrorCode
from .models import Programme


def _province_unit_ids(user: Any) -> set[int]:
    return {m.unit_id for m in user_memberships(user) if m.role in PROVINCE_ROLES and m.unit_id is not None}


def _ministry_unit_ids(user: Any) -> set[int]:
    return {m.ministry_unit_id for m in user_memberships(user)
            if m.role == Role.MINISTRY_UNIT and m.ministry_unit_id is not None}


def is_ministry(user: Any) -> bool:
    """Holds a Ministry unit role: sees every programme."""
    return bool(_ministry_unit_ids(user))


def sees_all(user: Any) -> bool:
    return is_coordinator(user) or is_ministry(user)


def acting_unit_ids(user: Any) -> set[int]:
    """The unit rows the user acts for, with every predecessor of them (an old unit's programme belongs to the
    unit its territory went to): the parties a unit's people may edit."""
    own = _province_unit_ids(user)
    if not own:
        return set()
    found = set(own)
    today = clock.today()
    mapping = unit_map_on(date=today, units=AdminUnit.objects.exclude(pk__in=own).filter(valid_to__isnull=False))
    for unit_id, shares in mapping.items():
        if any(s.unit.pk in own for s in shares):
            found.add(unit_id)
    return found


def _party_q(user: Any) -> Q | None:
    units = acting_unit_ids(user)
    ministries = _ministry_unit_ids(user)
    if not units and not ministries:
        return None
    q = Q(pk__in=[])
    if units:
        q |= Q(parties__unit_id__in=units)
    if ministries:
        q |= Q(parties__ministry_unit_id__in=ministries)
    return q


def visible_programmes(user: Any) -> QuerySet[Programme]:
    """Every programme the user may see."""
    if sees_all(user):
        return Programme.objects.all()
    party = _party_q(user)
    if party is None:
        return Programme.objects.filter(is_published=True)
    ids = Programme.objects.filter(party).values("pk")
    return Programme.objects.filter(Q(is_published=True) | Q(pk__in=ids))


def editable_programmes(user: Any) -> QuerySet[Programme]:
    if is_coordinator(user):
        return Programme.objects.all()
    party = _party_q(user)
    if party is None:
        return Programme.objects.none()
    return Programme.objects.filter(pk__in=Programme.objects.filter(party).values("pk"))


def can_view(user: Any, programme: Programme) -> bool:
    return programme.is_published or visible_programmes(user).filter(pk=programme.pk).exists()


def can_edit(user: Any, programme: Programme) -> bool:
    """Edit the programme, change its status, add activities and results: a party or the coordinator."""
    return editable_programmes(user).filter(pk=programme.pk).exists()


def can_create(user: Any) -> bool:
    """Who may start a programme: the coordinator, a unit's people and a Ministry unit's people (each must be a
    party of what they create — `create_refusal`)."""
    return is_coordinator(user) or bool(_province_unit_ids(user)) or is_ministry(user)


def create_refusal(user: Any, *, unit_ids: set[int], ministry_unit_ids: set[int]) -> str | None:
    """None when the user may create a programme with these parties, else the reason."""
    if is_coordinator(user):
        return None
    if not can_create(user):
        return _("Only a unit's or a Ministry unit's people, or the Ministry coordinator, may start a programme.")
    if unit_ids & acting_unit_ids(user) or ministry_unit_ids & _ministry_unit_ids(user):
        return None
    return _("Your unit must be a party of the programmes it starts.")


def programme_get_for_user(*, id: int, user: Any) -> Programme:
    """The programme, or NotFound (also when the user may not see it: its existence is not revealed)."""
    programme = Programme.objects.filter(pk=id).first()
    if programme is None or not can_view(user, programme):
        raise NotFound(_("No programme %(id)s.") % {"id": id}, {"programme": id}, code=ErrorCode.PROGRAMME_NOT_FOUND)
    return programme


def programme_check_edit(user: Any, programme: Programme) -> None:
    if not can_edit(user, programme):
        raise PermissionDenied(
            _("Only the programme's parties and the Ministry coordinator may change “%(title)s”.")
            % {"title": programme.title}, {"programme": programme.pk}, code=ErrorCode.NOT_A_PARTY,
        )
