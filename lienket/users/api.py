"""/api/v1/users: who am I, and my personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from lienket.core.api import ERRORS, authenticated, id_path

from . import permissions, selectors, services
from .models import ApiToken, Membership, Role, User
from .schemas import ConferenceRef, MeOut, MinistryUnitRef, RoleOut, TokenCreatedOut, TokenIn, TokenOut, UnitRef

router = Router(tags=["users"])


def _role_out(m: Membership) -> RoleOut:
    unit = m.unit
    mu = m.ministry_unit
    conf = m.conference
    return RoleOut(
        role=m.role,
        role_label=str(m.get_role_display()),
        unit=UnitRef(id=unit.pk, code=unit.code, name=unit.name, valid_from=unit.valid_from, valid_to=unit.valid_to)
        if unit else None,
        ministry_unit=MinistryUnitRef(id=mu.pk, slug=mu.slug, name=mu.name) if mu else None,
        conference=ConferenceRef(id=conf.pk, year=conf.year, title=conf.title) if conf else None,
    )


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk, "name": token.name, "prefix": f"{token.PREFIX}{token.lookup}_", "created_at": token.created_at,
        "last_used_at": token.last_used_at, "expires_at": token.expires_at, "revoked_at": token.revoked_at,
        "is_active": token.is_active,
    }


@router.get("/me", response={200: MeOut, **ERRORS}, auth=authenticated, summary="The logged-in user and their roles")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    roles = [_role_out(m) for m in permissions.user_memberships(user)]
    if user.is_superuser and not any(r.role == Role.ADMIN for r in roles):
        roles.append(RoleOut(role=Role.ADMIN.value, role_label=str(Role.ADMIN.label)))
    return MeOut(
        id=user.pk, username=user.username, full_name=user.full_name, email=user.email,
        is_admin=permissions.is_admin(user), is_coordinator=permissions.is_coordinator(user),
        auth_method=getattr(request, "auth_method", "session"), roles=roles,
    )


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, auth=authenticated, summary="My API tokens")
def token_list(request: HttpRequest) -> list[dict[str, Any]]:
    user: User = request.user  # type: ignore[assignment]
    return [_token_out(t) for t in selectors.token_list_for_user(user=user)]


@router.post(
    "/tokens", response={201: TokenCreatedOut, **ERRORS}, auth=authenticated,
    summary="Create an API token (the raw token is in this response only)",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    user: User = request.user  # type: ignore[assignment]
    expires_at = timezone.now() + dt.timedelta(days=payload.expires_days) if payload.expires_days else None
    token, raw = services.token_create(actor=user, user=user, name=payload.name, expires_at=expires_at)
    return Status(201, {**_token_out(token), "token": raw})


@router.delete(
    "/tokens/{token_id}", response={200: TokenOut, **ERRORS}, auth=authenticated, summary="Revoke an API token"
)
def token_revoke(request: HttpRequest, token_id: int = id_path("Token id")) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    token = selectors.token_get_for_user(token_id=token_id, user=user)
    return _token_out(services.token_revoke(actor=user, token=token))
