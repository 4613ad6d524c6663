"""/api/v1/audit: read the audit trail. Read-only: there is no way to write, change or delete an entry
through the API (other methods answer 405).

It lives in lienket.users, not lienket.core, because who reads what is a question of roles
(selectors.audit_entry_list): administrators and the Ministry coordinator read everything, everybody else
only the entries of their own actions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from lienket.core.api import ERRORS, MAX_OFFSET, authenticated

from .selectors import audit_entry_list, audit_filters_parse

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor: str = Field(description="Username of the actor at the time ('system' for commands, 'anonymous' for failed logins)")
    actor_id: int | None = None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    reason: str
    ip: str | None = None
    request_id: str


class AuditPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AuditEntryOut]


class AuditQuery(Schema):
    object: str | None = Field(
        None, description="app.model or app.model:id, e.g. reporting.submission:12", max_length=170
    )
    actor: str | None = Field(None, description="Username of the actor", max_length=200)
    action: str | None = Field(None, description="e.g. token_create, login_failed", max_length=80)
    since: str | None = Field(None, description="From (inclusive): YYYY-MM-DD or ISO date-time; Vietnam time if none given")
    until: str | None = Field(None, description="To (inclusive for a date): YYYY-MM-DD or ISO date-time")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "", response={200: AuditPageOut, **ERRORS}, auth=authenticated,
    summary="Audit entries (newest first)",
    description=(
        "Administrators and the Ministry coordinator read every entry; other users read the entries of their "
        "own actions only, and asking for another actor is refused with 403."
    ),
)
def audit_list(request: HttpRequest, filters: Query[AuditQuery]) -> dict[str, Any]:
    parsed = audit_filters_parse(
        object_ref=filters.object, actor=filters.actor, action=filters.action, since=filters.since, until=filters.until
    )
    entries = audit_entry_list(user=request.user, filters=parsed)
    count = entries.count()
    page = list(entries[filters.offset : filters.offset + filters.limit])
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            {
                "id": e.pk, "at": e.at, "actor": e.actor_label, "actor_id": e.actor_id, "action": e.action,
                "object_type": e.object_type, "object_id": e.object_id, "object_repr": e.object_repr,
                "before": e.before, "after": e.after, "reason": e.reason, "ip": e.ip, "request_id": e.request_id,
            }
            for e in page
        ],
    }


@router.api_operation(["POST", "PUT", "PATCH", "DELETE"], "", include_in_schema=False)
def audit_write_refused(request: HttpRequest) -> None:
    """The trail is append-only and written by services only: answer 405 as JSON like every other error."""
    raise HttpError(405, _("The audit trail is read-only."))
