"""API schemas of accounts and tokens."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class UnitRef(Schema):
    id: int
    code: str
    name: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class MinistryUnitRef(Schema):
    id: int
    slug: str
    name: str


class ConferenceRef(Schema):
    id: int
    year: int
    title: str


class RoleOut(Schema):
    role: str
    role_label: str
    unit: UnitRef | None = None
    ministry_unit: MinistryUnitRef | None = None
    conference: ConferenceRef | None = None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    is_admin: bool
    is_coordinator: bool
    auth_method: str = Field(description="'session' or 'token'")
    roles: list[RoleOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The start of the token, to recognise it (the rest is never shown again)")
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    is_active: bool


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_days: int | None = Field(None, ge=1, le=3650, description="Days until it expires; omit for no expiry")


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The raw token. Shown only in this response; store it safely.")
