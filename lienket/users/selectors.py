"""Reads for accounts, tokens and the audit trail — with the permission check built in, so no view or
endpoint can forget it."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lienket.core.errors import NotFound, PermissionDenied, ValidationFailed
from lienket.core.models import AuditEntry

from . import permissions
from .codes import ErrorCode
from .models import ApiToken, User

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OBJECT_RE = re.compile(r"^(?P<type>[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)(?::(?P<id>[^\s:]{1,80}))?$")


# ----------------------------------------------------------------------------------------------- tokens


def token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones included, marked by their fields)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_get_for_user(*, token_id: int, user: User) -> ApiToken:
    """A token the user may manage (own, or any for an administrator); anything else looks like 404."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None or not permissions.can_manage_token(user, token):
        raise NotFound(_("No such token."))
    return token


# ------------------------------------------------------------------------------------------------ audit


@dataclass(frozen=True)
class AuditFilters:
    object_type: str | None = None
    object_id: str | None = None
    actor: str | None = None
    action: str | None = None
    since: dt.datetime | None = None  # inclusive
    until: dt.datetime | None = None  # exclusive

    @property
    def object_ref(self) -> str:
        if not self.object_type:
            return ""
        return f"{self.object_type}:{self.object_id}" if self.object_id else self.object_type


def _parse_moment(raw: str, *, field: str, end_of_day: bool) -> dt.datetime:
    """YYYY-MM-DD (a whole day in Vietnam time) or an ISO 8601 date-time (naive = Vietnam time)."""
    text = raw.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None:
            if end_of_day:
                day += dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)
    else:
        try:
            moment = parse_datetime(text.replace(" ", "T", 1))
        except ValueError:
            moment = None
        if moment is not None:
            if timezone.is_naive(moment):
                moment = moment.replace(tzinfo=VN_TZ)
            return moment + dt.timedelta(microseconds=1) if end_of_day else moment
    raise ValidationFailed(
        _("%(field)s: “%(value)s” is not a valid date (use YYYY-MM-DD, e.g. 2025-07-01, or an ISO date-time).")
        % {"field": field, "value": text},
        {"field": field, "value": text}, code=ErrorCode.INVALID_DATE,
    )


def audit_filters_parse(
    *, object_ref: str | None = None, actor: str | None = None, action: str | None = None,
    since: str | dt.date | None = None, until: str | dt.date | None = None,
) -> AuditFilters:
    """Validate the filters people and API clients send. `object_ref` is `app.model` or `app.model:id`
    (e.g. `reporting.submission:12`); dates are YYYY-MM-DD (whole days, Vietnam time, `until`
    inclusive) or ISO date-times. Bad input → ValidationFailed (422)."""
    object_type = object_id = None
    if object_ref and object_ref.strip():
        type_part, sep, id_part = object_ref.strip().partition(":")
        match = OBJECT_RE.match(type_part.lower() + sep + id_part)
        if match is None:
            raise ValidationFailed(
                _("object: “%(value)s” is not an object reference; use app.model or app.model:id, "
                  "e.g. reporting.submission:12.") % {"value": object_ref},
                {"field": "object", "value": object_ref}, code=ErrorCode.INVALID_OBJECT,
            )
        object_type, object_id = match["type"], match["id"]

    def moment(value: str | dt.date | None, field: str, end: bool) -> dt.datetime | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()
        return _parse_moment(str(value), field=field, end_of_day=end)

    start = moment(since, "since", False)
    end = moment(until, "until", True)
    if start and end and end <= start:
        raise ValidationFailed(_("until must not be before since."), {"field": "until"}, code=ErrorCode.INVALID_RANGE)
    return AuditFilters(
        object_type=object_type, object_id=object_id,
        actor=(actor or "").strip() or None, action=(action or "").strip() or None,
        since=start, until=end,
    )


def audit_entry_list(*, user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The audit entries `user` may read, filtered. Administrators and the Ministry coordinator read
    everything; everybody else only the entries of their own actions, and asking for another actor's
    entries is refused (403) rather than silently answered with nothing."""
    filters = filters or AuditFilters()
    if not permissions.can_read_own_audit(user):
        raise PermissionDenied(_("Log in to read the audit trail."))
    entries = AuditEntry.objects.all()
    if not permissions.can_read_audit(user, filters.object_type):
        if filters.actor and filters.actor != user.get_username():
            raise PermissionDenied(
                _("You may only read the audit entries of your own actions."), {"field": "actor"}
            )
        entries = entries.filter(actor_id=user.pk)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.actor:
        entries = entries.filter(actor_label=filters.actor)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.since:
        entries = entries.filter(at__gte=filters.since)
    if filters.until:
        entries = entries.filter(at__lt=filters.until)
    return entries.order_by("-at", "-id")


_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _show(value: Any) -> str:
    """One value of a before/after snapshot as people read it: dates dd/mm/yyyy, times in Vietnam time."""
    if value is None:
        return "—"
    if isinstance(value, str):
        if _ISO_DATE_RE.match(value):
            try:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        if _ISO_DATETIME_RE.match(value):
            moment = parse_datetime(value)
            if moment is not None and timezone.is_aware(moment):
                return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S")
        return value
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_diff(entry: AuditEntry) -> list[dict[str, str]]:
    """before → after as rows {field, before, after}, readable (JSON for nested values, — for none)."""
    before = entry.before if isinstance(entry.before, dict) else ({} if entry.before is None else {"": entry.before})
    after = entry.after if isinstance(entry.after, dict) else ({} if entry.after is None else {"": entry.after})
    keys = list(after) + [k for k in before if k not in after]
    return [
        {"field": key, "before": _show(before.get(key)) if key in before else "", "after": _show(after.get(key)) if key in after else ""}
        for key in keys
    ]
