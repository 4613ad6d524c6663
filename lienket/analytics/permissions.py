"""Who may do what in analytics. Reading figures: `reporting.permissions.figures_visible_submissions` (the one
visibility rule); writing: only boundaries, by administrators."""

from __future__ import annotations

from typing import Any

from lienket.users.permissions import is_admin


def can_upload_boundaries(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_admin(user)
