"""What a viewer may see in the search index (settings.SEARCH_SCOPE_FUNCTION): search sits below users and
cannot know the roles, so it asks this function. Public items: everyone; `signed_in`: any signed-in user;
Ministry-only: the Ministry coordinator, Ministry units and the admin; unit-scoped: that unit's province officers
and director, the coordinator and the admin."""

from __future__ import annotations

from typing import Any

from lienket.search.values import PUBLIC, SearchScope

from .models import Role
from .permissions import has_role, is_coordinator, province_units


def search_scope(user: Any) -> SearchScope:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return PUBLIC
    everything = is_coordinator(user)  # the coordinator or an admin
    return SearchScope(
        signed_in=True,
        ministry=everything or has_role(user, Role.MINISTRY_UNIT),
        all_units=everything,
        unit_ids=frozenset(province_units(user).values_list("pk", flat=True)),
    )
