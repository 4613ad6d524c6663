"""Who holds which role, on what. The one module of role logic every domain reuses (views AND api).

Pure reads: nothing here writes. The memberships of a user are read once per user object and kept on
it (`_lienket_memberships`) so a page that asks ten questions makes one query; services that change
memberships call `roles_cache_clear(user)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from .models import PROVINCE_ROLES, Membership, Role

if TYPE_CHECKING:
    from lienket.regions.models import AdminUnit

_CACHE_ATTR = "_lienket_memberships"

#: Roles that see every unit and every audit entry.
NATIONWIDE_ROLES = frozenset({Role.MINISTRY_COORDINATOR, Role.ADMIN})


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _pk(value: Any) -> Any:
    """A model instance or a primary key → the primary key."""
    return getattr(value, "pk", value)


def user_memberships(user: Any) -> list[Membership]:
    """The user's memberships with their scopes (unit, ministry unit, conference) loaded. Empty for
    anonymous and inactive users."""
    if not _is_active_user(user):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=user.pk)
            .select_related("unit", "ministry_unit", "conference")
            .order_by("role", "unit__code", "unit__valid_from", "id")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_cache_clear(user: Any) -> None:
    """Forget the memberships read for this user object (after a membership was added or removed)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def user_roles(user: Any) -> frozenset[Role]:
    """The roles the user holds (any scope). A superuser always counts as holding `admin`."""
    if not _is_active_user(user):
        return frozenset()
    roles = {Role(m.role) for m in user_memberships(user)}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return frozenset(roles)


def has_role(
    user: Any, role: Role | str, *, unit: Any = None, ministry_unit: Any = None, conference: Any = None
) -> bool:
    """Does the user hold `role`, scoped to the given unit / ministry unit / conference?

    A scope argument left as None matches any scope. Exact: holding `admin` does not make
    `has_role(user, Role.PROVINCE_OFFICER)` true — use `can_act_for_unit` for "may act for".
    Units are matched by row (code + validity), never by code alone.
    """
    role = Role(role)
    if role == Role.ADMIN and unit is None and ministry_unit is None and conference is None and is_admin(user):
        return True
    for m in user_memberships(user):
        if m.role != role:
            continue
        if unit is not None and m.unit_id != _pk(unit):
            continue
        if ministry_unit is not None and m.ministry_unit_id != _pk(ministry_unit):
            continue
        if conference is not None and m.conference_id != _pk(conference):
            continue
        return True
    return False


def is_admin(user: Any) -> bool:
    """A superuser or a holder of the `admin` role."""
    if not _is_active_user(user):
        return False
    return bool(user.is_superuser) or any(m.role == Role.ADMIN for m in user_memberships(user))


def is_coordinator(user: Any) -> bool:
    """The Ministry's coordinating role (sees and follows up every province), or an administrator."""
    return is_admin(user) or any(m.role == Role.MINISTRY_COORDINATOR for m in user_memberships(user))


def province_units(user: Any, role: Role | str | None = None) -> QuerySet[AdminUnit]:
    """The administrative units for which the user holds a province role (`role`, or either of them)."""
    from lienket.regions.models import AdminUnit

    roles = [Role(role)] if role is not None else sorted(PROVINCE_ROLES)
    if not _is_active_user(user):
        return AdminUnit.objects.none()
    unit_ids = {m.unit_id for m in user_memberships(user) if m.role in roles and m.unit_id is not None}
    return AdminUnit.objects.filter(pk__in=unit_ids)


def can_act_for_unit(user: Any, unit: Any, roles: Iterable[Role | str]) -> bool:
    """May the user act for `unit` in one of `roles`?

    Province roles count only when held for that very unit row. `ministry_coordinator` and `admin`,
    when listed in `roles`, are nationwide and count for every unit.
    """
    if unit is None or not _is_active_user(user):
        return False
    wanted = {Role(r) for r in roles}
    if Role.ADMIN in wanted and is_admin(user):
        return True
    unit_id = _pk(unit)
    for m in user_memberships(user):
        if m.role not in wanted:
            continue
        if m.role in PROVINCE_ROLES:
            if m.unit_id == unit_id:
                return True
        elif m.role == Role.MINISTRY_COORDINATOR:
            return True
    return False


def can_manage_users(user: Any) -> bool:
    """Creating accounts, granting roles, revoking other people's tokens: administrators only."""
    return is_admin(user)


def can_manage_token(user: Any, token: Any) -> bool:
    """A token may be revoked by its owner or by an administrator."""
    return _is_active_user(user) and (token.user_id == user.pk or is_admin(user))


def can_read_audit(user: Any, object_type: str | None = None) -> bool:
    """May the user read *every* audit entry (of `object_type`, or of any type)?

    Administrators and the Ministry coordinator: yes. Everybody else who is logged in reads only the
    entries of their own actions (see `lienket.users.selectors.audit_entry_list`); this returns False
    for them. `object_type` is the hook for a domain that later opens its trail to more roles.
    """
    return is_coordinator(user)


def can_read_own_audit(user: Any) -> bool:
    """Any active, logged-in user may read the audit entries of their own actions."""
    return _is_active_user(user)
