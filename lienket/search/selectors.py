"""Reads of the search index: the viewer's scope and the search itself (engine.search)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from . import engine
from .models import SearchEntry
from .values import KINDS, PUBLIC, SearchResults, SearchScope


def scope_for(user: Any) -> SearchScope:
    """What `user` may see, from settings.SEARCH_SCOPE_FUNCTION (the users app knows the roles); public only when
    no function is configured or the user is anonymous."""
    path = getattr(settings, "SEARCH_SCOPE_FUNCTION", "")
    if not path or user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    scope: SearchScope = import_string(path)(user)
    return scope


def search_for_user(*, user: Any, q: str, kinds: list[str] | None = None, unit: str | None = None,
                    limit: int = 20, offset: int = 0) -> SearchResults:
    wanted = [k for k in (kinds or []) if k] or None
    return engine.search(query=q, scope=scope_for(user), kinds=wanted, unit_key=unit or None, limit=limit, offset=offset)


def kind_choices() -> list[tuple[str, str]]:
    present = set(SearchEntry.objects.values_list("kind", flat=True).distinct())
    return [(k, str(label)) for k, label in KINDS.items() if k in present]


def unit_choices() -> list[tuple[str, str]]:
    """The units (index entries of type unit) to filter by: key and name."""
    return list(SearchEntry.objects.filter(kind="unit").order_by("title", "key").values_list("key", "title"))
