"""Who may do what in the library: everyone reads public documents; Ministry-only documents are for the
Ministry's people; unit-scoped ones for that unit's own people and the Ministry; the admin and the Ministry
coordinator create and edit."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lienket.users.models import Role
from lienket.users.permissions import has_role, is_admin, is_coordinator, province_units

from .models import Document, DocVisibility


def can_edit_documents(user: Any) -> bool:
    return is_coordinator(user) or is_admin(user)


def is_ministry_reader(user: Any) -> bool:
    return is_coordinator(user) or has_role(user, Role.MINISTRY_UNIT)


def visible_documents(user: Any) -> QuerySet[Document]:
    docs = Document.objects.all()
    if is_coordinator(user):
        return docs
    allowed = Q(visibility=DocVisibility.PUBLIC)
    if is_ministry_reader(user):
        allowed |= Q(visibility=DocVisibility.MINISTRY)
    units = list(province_units(user).values_list("pk", flat=True))
    if units:
        allowed |= Q(visibility=DocVisibility.UNIT, unit_id__in=units)
    return docs.filter(allowed)
