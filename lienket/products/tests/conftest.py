from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_storage(settings: Any) -> None:
    """A new empty in-memory storage per test (Django resets default_storage when STORAGES changes), so "nothing is
    stored" can be checked."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
