from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps


def db_state() -> tuple[Any, ...]:
    """Row counts and a hash of every row of every table: a refused action must leave it unchanged."""
    state = []
    for model in apps.get_models():
        if model._meta.label == "sessions.Session":  # logging in (force_login) is not the action under test
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"last_login"}]
        rows = list(model._default_manager.order_by("pk").values_list(*fields))
        state.append((model._meta.label, len(rows), hashlib.md5(repr(rows).encode(), usedforsecurity=False).hexdigest()))
    return tuple(state)
