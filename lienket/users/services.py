"""Every write to accounts, roles, tokens and logins. Each service checks permission, validates, writes
inside one transaction and records an audit entry.

`actor=None` means the system itself (a management command or the demo loader run by someone with
shell access to the server); it skips the permission check and is recorded as "system".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lienket.core.audit import audit_log
from lienket.core.errors import Conflict, PermissionDenied, ValidationFailed
from lienket.core.middleware import client_ip
from lienket.core.text import nfc

from . import permissions
from .codes import AuditAction, ErrorCode
from .models import PROVINCE_ROLES, ApiToken, Membership, MinistryUnit, Role, User
from .tokens import token_generate

if TYPE_CHECKING:
    from lienket.conferences.models import Conference
    from lienket.regions.models import AdminUnit

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ANONYMOUS = "anonymous"
USER_AUDIT_FIELDS = ["username", "full_name", "email", "is_active", "is_staff", "is_superuser"]


# --------------------------------------------------------------------------------------------- helpers


def _now() -> dt.datetime:
    """The current time; one place so tests can move the clock."""
    return timezone.now()


def today_vn() -> dt.date:
    """Today's date in Vietnam (the date a unit code is resolved on when none is given)."""
    return _now().astimezone(VN_TZ).date()


def format_local(value: dt.datetime) -> str:
    """dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh."""
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def _fmt_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def _period(valid_from: dt.date | None, valid_to: dt.date | None) -> str:
    return f"{_fmt_date(valid_from)}–{_fmt_date(valid_to)}"


def _check_manager(actor: User | None) -> None:
    if actor is not None and not permissions.can_manage_users(actor):
        raise PermissionDenied(_("Only an administrator may manage accounts and roles."))


def role_parse(role: Role | str) -> Role:
    """A Role from its value, or a clear error that lists the valid values."""
    try:
        return Role(str(role).strip())
    except ValueError:
        raise ValidationFailed(
            _("Unknown role “%(role)s”. Choose one of: %(roles)s.") % {"role": role, "roles": ", ".join(Role.values)},
            {"field": "role", "choices": list(Role.values)},
            code=ErrorCode.INVALID_ROLE,
        ) from None


def unit_resolve(*, code: str, on: dt.date | None = None) -> AdminUnit:
    """The one province whose GSO `code` is valid on `on` (default: today in Vietnam).

    Codes are strings ("01"); a single digit is read as its two-digit form. When the code exists but
    not on that date, the error names the period it was valid in, so the caller can pick a date.
    """
    from lienket.regions.models import AdminUnit

    day = on or today_vn()
    raw = nfc(code)
    if not raw:
        raise ValidationFailed(
            _("A province role needs the code of its administrative unit (e.g. --unit 01)."),
            {"field": "unit"}, code=ErrorCode.UNIT_REQUIRED,
        )
    normalized = raw.zfill(2) if raw.isdigit() and len(raw) == 1 else raw
    versions = list(AdminUnit.objects.filter(code=normalized).order_by("valid_from"))
    if not versions:
        raise ValidationFailed(
            _("No administrative unit has the code “%(code)s”. Codes are GSO codes written as text, e.g. “01” for Hà Nội.")
            % {"code": raw},
            {"field": "unit", "value": raw}, code=ErrorCode.UNIT_UNKNOWN,
        )
    valid = [u for u in versions if u.is_valid_on(day)]
    if not valid:
        periods = "; ".join(f"{u.name} {_period(u.valid_from, u.valid_to)}" for u in versions)
        if all(u.valid_to is not None and u.valid_to < day for u in versions):
            message = _(
                "The code “%(code)s” was valid only in the past (%(periods)s); no unit has this code on %(date)s. "
                "Give a date within that period (--date YYYY-MM-DD) or use the code of the unit that succeeded it."
            )
        else:
            message = _(
                "No unit has the code “%(code)s” on %(date)s (it is valid %(periods)s). "
                "Give a date within that period (--date YYYY-MM-DD)."
            )
        raise ValidationFailed(
            message % {"code": normalized, "periods": periods, "date": _fmt_date(day)},
            {"field": "unit", "value": normalized, "date": day.isoformat(),
             "periods": [{"name": u.name, "valid_from": u.valid_from, "valid_to": u.valid_to} for u in versions]},
            code=ErrorCode.UNIT_NOT_VALID_ON_DATE,
        )
    if len(valid) > 1:
        raise ValidationFailed(
            _("The code “%(code)s” matches %(count)s units on %(date)s; the reference data needs fixing.")
            % {"code": normalized, "count": len(valid), "date": _fmt_date(day)},
            {"field": "unit", "value": normalized}, code=ErrorCode.UNIT_AMBIGUOUS,
        )
    unit = valid[0]
    if unit.level != AdminUnit.Level.PROVINCE:
        raise ValidationFailed(
            _("%(name)s (%(code)s) is not a province; province roles need a province or centrally-run city.")
            % {"name": unit.name, "code": unit.code},
            {"field": "unit", "value": normalized}, code=ErrorCode.UNIT_NOT_PROVINCE,
        )
    return unit


def ministry_unit_resolve(*, slug: str, on: dt.date | None = None) -> MinistryUnit:
    """The Ministry unit with `slug` valid on `on` (default today); errors name the valid period."""
    day = on or today_vn()
    raw = nfc(slug)
    versions = list(MinistryUnit.objects.filter(slug=raw).order_by("valid_from"))
    if not versions:
        known = ", ".join(MinistryUnit.objects.order_by("slug").values_list("slug", flat=True).distinct()[:30])
        raise ValidationFailed(
            _("No Ministry unit has the slug “%(slug)s”. Known slugs: %(known)s.") % {"slug": raw, "known": known or "—"},
            {"field": "ministry_unit", "value": raw}, code=ErrorCode.MINISTRY_UNIT_UNKNOWN,
        )
    valid = [
        m for m in versions
        if (m.valid_from is None or m.valid_from <= day) and (m.valid_to is None or m.valid_to >= day)
    ]
    if not valid:
        periods = "; ".join(f"{m.name} {_period(m.valid_from, m.valid_to)}" for m in versions)
        raise ValidationFailed(
            _("The Ministry unit “%(slug)s” does not exist on %(date)s (it is valid %(periods)s).")
            % {"slug": raw, "date": _fmt_date(day), "periods": periods},
            {"field": "ministry_unit", "value": raw}, code=ErrorCode.MINISTRY_UNIT_NOT_VALID_ON_DATE,
        )
    return valid[-1]


def conference_resolve(*, conference: Conference | int | str) -> Conference:
    """A Conference instance, or the one edition held in year `conference`."""
    from lienket.conferences.models import Conference

    if isinstance(conference, Conference):
        return conference
    try:
        year = int(str(conference).strip())
    except ValueError:
        raise ValidationFailed(
            _("“%(value)s” is not a year; give the conference's year, e.g. 2025.") % {"value": conference},
            {"field": "conference", "value": str(conference)}, code=ErrorCode.CONFERENCE_INVALID,
        ) from None
    editions = list(Conference.objects.filter(year=year).select_related("series"))
    if not editions:
        raise ValidationFailed(
            _("There is no conference in %(year)s.") % {"year": year},
            {"field": "conference", "value": year}, code=ErrorCode.CONFERENCE_UNKNOWN,
        )
    if len(editions) > 1:
        raise ValidationFailed(
            _("There are %(count)s conferences in %(year)s; choose one in the admin.") % {"count": len(editions), "year": year},
            {"field": "conference", "value": year}, code=ErrorCode.CONFERENCE_AMBIGUOUS,
        )
    return editions[0]


def _scope_check(
    *, role: Role, unit: Any, ministry_unit: Any, conference: Any
) -> None:
    """The same rule as the database constraint `membership_scope_matches_role`, with readable messages."""
    given = {"unit": unit is not None, "ministry_unit": ministry_unit is not None, "conference": conference is not None}
    labels = {"unit": _("an administrative unit"), "ministry_unit": _("a Ministry unit"), "conference": _("a conference")}
    needed: dict[Role, str | None] = {
        Role.PROVINCE_OFFICER: "unit",
        Role.PROVINCE_DIRECTOR: "unit",
        Role.MINISTRY_UNIT: "ministry_unit",
        Role.SECRETARIAT: "conference",
        Role.MINISTRY_COORDINATOR: None,
        Role.ADMIN: None,
    }
    need = needed[role]
    hints = {
        "unit": _("The role %(role)s needs an administrative unit (--unit CODE)."),
        "ministry_unit": _("The role %(role)s needs a Ministry unit (--ministry-unit SLUG)."),
        "conference": _("The role %(role)s needs a conference (--conference YEAR)."),
    }
    if need is not None and not given[need]:
        raise ValidationFailed(hints[need] % {"role": role.value}, {"field": need}, code=ErrorCode.SCOPE_REQUIRED)
    allowed = {need} if need else set()
    if role == Role.MINISTRY_COORDINATOR:
        allowed = {"ministry_unit"}  # optional: the coordinating department
    extra = [name for name, present in given.items() if present and name not in allowed]
    if extra:
        raise ValidationFailed(
            _("The role %(role)s is not scoped to %(scope)s.") % {"role": role.value, "scope": labels[extra[0]]},
            {"field": extra[0]}, code=ErrorCode.SCOPE_NOT_ALLOWED,
        )


def membership_describe(m: Membership) -> dict[str, Any]:
    """A membership as plain data for audit entries and the API."""
    return {
        "role": m.role,
        "unit": m.unit.key if m.unit_id and m.unit else None,
        "unit_name": m.unit.name if m.unit_id and m.unit else None,
        "ministry_unit": m.ministry_unit.slug if m.ministry_unit_id and m.ministry_unit else None,
        "conference": m.conference_id,
    }


def _password_check(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            _("The password is not acceptable: %(reasons)s") % {"reasons": " ".join(exc.messages)},
            {"field": "password", "messages": exc.messages}, code=ErrorCode.PASSWORD_INVALID,
        ) from None


def password_generate(user: User) -> str:
    """A random password that passes the configured validators."""
    while True:
        candidate = secrets.token_urlsafe(12)
        try:
            validate_password(candidate, user)
        except DjangoValidationError:
            continue
        return candidate


# ----------------------------------------------------------------------------------------------- users


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    role: Role | str | None = None,
    unit_code: str | None = None,
    unit_date: dt.date | None = None,
    ministry_unit_slug: str | None = None,
    conference: Conference | int | str | None = None,
) -> User:
    """Create an account, optionally with one role and its scope. Everything is checked before the first
    write, so a refusal leaves nothing behind. When `password` is None a password is generated and
    returned once as `user.generated_password`."""
    _check_manager(actor)
    username = nfc(username)
    if not username:
        raise ValidationFailed(_("A username is required."), {"field": "username"}, code=ErrorCode.USERNAME_REQUIRED)
    try:
        UnicodeUsernameValidator()(username)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), {"field": "username"}, code=ErrorCode.USERNAME_INVALID) from None
    if len(username) > 150:
        raise ValidationFailed(_("The username is longer than 150 characters."), {"field": "username"}, code=ErrorCode.USERNAME_INVALID)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            _("A user named “%(username)s” already exists.") % {"username": username},
            {"field": "username"}, code=ErrorCode.USERNAME_TAKEN,
        )
    email = nfc(email)
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise ValidationFailed(
                _("“%(email)s” is not a valid e-mail address.") % {"email": email}, {"field": "email"}, code=ErrorCode.EMAIL_INVALID
            ) from None

    parsed_role = role_parse(role) if role not in (None, "") else None
    if parsed_role is None and (unit_code or ministry_unit_slug or conference):
        raise ValidationFailed(_("A scope was given without a role (--role)."), {"field": "role"}, code=ErrorCode.ROLE_REQUIRED)
    if unit_date is not None and not unit_code:
        raise ValidationFailed(_("--date only applies together with --unit."), {"field": "unit_date"}, code=ErrorCode.SCOPE_NOT_ALLOWED)
    unit = ministry_unit = conf = None
    if parsed_role is not None:
        _scope_check(
            role=parsed_role, unit=unit_code or None, ministry_unit=ministry_unit_slug or None, conference=conference
        )
        if unit_code:
            unit = unit_resolve(code=unit_code, on=unit_date)
        if ministry_unit_slug:
            ministry_unit = ministry_unit_resolve(slug=ministry_unit_slug)
        if conference not in (None, ""):
            conf = conference_resolve(conference=conference)  # type: ignore[arg-type]

    is_admin_role = parsed_role == Role.ADMIN
    user = User(
        username=username, email=email, full_name=nfc(full_name), is_staff=is_admin_role, is_superuser=is_admin_role
    )
    generated = None
    if password is None:
        generated = password = password_generate(user)
    else:
        _password_check(password, user)
    user.set_password(password)
    user.save()

    roles: list[dict[str, Any]] = []
    if parsed_role is not None:
        membership = Membership.objects.create(
            user=user, role=parsed_role, unit=unit, ministry_unit=ministry_unit, conference=conf
        )
        roles.append(membership_describe(membership))
    audit_log(
        actor=actor, action=AuditAction.USER_CREATE, obj=user,
        after={**{f: getattr(user, f) for f in USER_AUDIT_FIELDS}, "roles": roles, "password_generated": generated is not None},
        reason="" if actor is not None else "command line",
    )
    user.generated_password = generated
    return user


@transaction.atomic
def membership_add(
    *,
    actor: User | None,
    user: User,
    role: Role | str,
    unit: AdminUnit | None = None,
    ministry_unit: MinistryUnit | None = None,
    conference: Conference | None = None,
) -> Membership:
    """Grant a role with its scope. The `admin` role also makes the account staff + superuser."""
    _check_manager(actor)
    parsed = role_parse(role)
    _scope_check(role=parsed, unit=unit, ministry_unit=ministry_unit, conference=conference)
    if parsed in PROVINCE_ROLES and unit is not None:
        from lienket.regions.models import AdminUnit

        if unit.level != AdminUnit.Level.PROVINCE:
            raise ValidationFailed(
                _("%(name)s (%(code)s) is not a province; province roles need a province or centrally-run city.")
                % {"name": unit.name, "code": unit.code},
                {"field": "unit"}, code=ErrorCode.UNIT_NOT_PROVINCE,
            )
    exists = Membership.objects.filter(
        user=user, role=parsed, unit=unit, ministry_unit=ministry_unit, conference=conference
    ).exists()
    if exists:
        raise Conflict(_("%(user)s already holds this role.") % {"user": user.username}, code=ErrorCode.MEMBERSHIP_EXISTS)
    membership = Membership.objects.create(
        user=user, role=parsed, unit=unit, ministry_unit=ministry_unit, conference=conference
    )
    if parsed == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_log(actor=actor, action=AuditAction.MEMBERSHIP_ADD, obj=membership, object_repr=str(membership),
              after=membership_describe(membership))
    permissions.roles_cache_clear(user)
    return membership


@transaction.atomic(durable=True)
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    """Withdraw a role. Removing the `admin` role also withdraws staff + superuser, unless it is the last
    active administrator (a site without one could not be managed)."""
    _check_manager(actor)
    user = membership.user
    if membership.role == Role.ADMIN:
        others = (
            User.objects.filter(is_active=True, is_superuser=True).exclude(pk=user.pk).exists()
            or Membership.objects.filter(role=Role.ADMIN, user__is_active=True).exclude(user=user).exists()
        )
        if not others:
            raise Conflict(_("This is the last administrator; add another one first."), code=ErrorCode.LAST_ADMIN)
    before = membership_describe(membership)
    repr_ = str(membership)
    pk = membership.pk
    membership.delete()
    if before["role"] == Role.ADMIN and not Membership.objects.filter(user=user, role=Role.ADMIN).exists():
        user.is_staff = user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_log(actor=actor, action=AuditAction.MEMBERSHIP_REMOVE, object_type="users.membership", object_id=pk,
              object_repr=repr_, before=before)
    permissions.roles_cache_clear(user)


@transaction.atomic(durable=True)
def user_unlock(*, actor: User | None, user: User) -> User:
    """Lift a login lockout before it expires (an administrator's decision)."""
    _check_manager(actor)
    before = {"failed_login_count": user.failed_login_count, "locked_until": user.locked_until}
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["failed_login_count", "locked_until"])
    audit_log(actor=actor, action=AuditAction.ACCOUNT_UNLOCK, obj=user, before=before,
              after={"failed_login_count": 0, "locked_until": None})
    return user


@transaction.atomic(durable=True)
def password_change(*, actor: User, user: User, new_password: str) -> User:
    """Set a new password (validated by the configured validators). The old password has already been
    checked by Django's PasswordChangeForm; an administrator may set another user's password."""
    if actor.pk != user.pk and not permissions.can_manage_users(actor):
        raise PermissionDenied(_("You may only change your own password."))
    _password_check(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_log(actor=actor, action=AuditAction.PASSWORD_CHANGE, obj=user)
    return user


# ------------------------------------------------------------------------------------------------ login


def _login_error() -> ValidationFailed:
    return ValidationFailed(
        _("Please enter a correct username and password. Note that both fields may be case-sensitive."),
        code=ErrorCode.INVALID_LOGIN,
    )


def _locked_error(until: dt.datetime) -> ValidationFailed:
    return ValidationFailed(
        _("Too many failed login attempts. The account is locked until %(until)s (Vietnam time).")
        % {"until": format_local(until)},
        {"locked_until": until.isoformat()},
        code=ErrorCode.ACCOUNT_LOCKED,
    )


def _unknown_key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.casefold()}|{ip}".encode()).hexdigest()[:32]
    return f"lienket:login-unknown:{digest}"


def _lockout() -> tuple[int, dt.timedelta]:
    return max(1, int(settings.LOGIN_FAILURE_LIMIT)), dt.timedelta(minutes=int(settings.LOGIN_LOCKOUT_MINUTES))


def user_authenticate(*, request: HttpRequest | None, username: str, password: str) -> User:
    """Check a username and password, with a lockout.

    After LOGIN_FAILURE_LIMIT consecutive failures the account is locked for LOGIN_LOCKOUT_MINUTES;
    while locked even the right password is refused. A success resets the counter. Unknown usernames
    get the same error and are rate-limited the same way per username + client IP (in the cache), so
    the answers do not reveal which accounts exist. Each outcome is audited (login, login_failed,
    account_locked).

    Not one atomic block: a failure must commit its counter and audit entry *and* raise. Each write
    below is its own transaction.
    """
    limit, lock_for = _lockout()
    username = nfc(username)
    now = _now()
    user = User.objects.filter(username=username).first() if username else None

    if user is None:
        ip = (client_ip(request) if request is not None else None) or "-"
        key = _unknown_key(username, ip)
        state: dict[str, Any] = cache.get(key) or {"count": 0, "until": None}
        until = dt.datetime.fromisoformat(state["until"]) if state.get("until") else None
        if until is not None and until > now:
            raise _locked_error(until)
        authenticate(request, username=username, password=password)  # same work as for a real account
        count = int(state.get("count", 0)) + 1
        new_until = now + lock_for if count >= limit else None
        cache.set(
            key, {"count": 0 if new_until else count, "until": new_until.isoformat() if new_until else None},
            timeout=int(lock_for.total_seconds()) + 3600,
        )
        with transaction.atomic(durable=True):
            audit_log(actor=ANONYMOUS, action=AuditAction.LOGIN_FAILED, object_type="users.user", object_id="",
                      object_repr=username[:300], reason="unknown username")
        if new_until is not None:
            raise _locked_error(new_until)
        raise _login_error()

    if user.locked_until is not None and user.locked_until > now:
        with transaction.atomic(durable=True):
            audit_log(actor=ANONYMOUS, action=AuditAction.LOGIN_FAILED, obj=user, reason="account locked")
        raise _locked_error(user.locked_until)

    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None or authenticated.pk != user.pk:
        with transaction.atomic(durable=True):
            locked = User.objects.select_for_update().get(pk=user.pk)
            if locked.locked_until is not None and locked.locked_until > now:  # a parallel attempt locked it
                raise _locked_error(locked.locked_until)
            locked.failed_login_count += 1
            audit_log(actor=ANONYMOUS, action=AuditAction.LOGIN_FAILED, obj=locked,
                      after={"failed_login_count": locked.failed_login_count},
                      reason="inactive account" if not locked.is_active else "wrong password")
            just_locked = locked.failed_login_count >= limit
            if just_locked:
                locked.locked_until = now + lock_for
                locked.failed_login_count = 0
                audit_log(actor=ANONYMOUS, action=AuditAction.ACCOUNT_LOCKED, obj=locked,
                          after={"locked_until": locked.locked_until},
                          reason=f"{limit} consecutive failed logins")
            locked.save(update_fields=["failed_login_count", "locked_until"])
        if just_locked and locked.locked_until is not None:
            raise _locked_error(locked.locked_until)
        raise _login_error()

    with transaction.atomic(durable=True):
        before = {"failed_login_count": user.failed_login_count, "locked_until": user.locked_until}
        if user.failed_login_count or user.locked_until:
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
            user.failed_login_count, user.locked_until = 0, None
        audit_log(actor=authenticated, action=AuditAction.LOGIN, obj=user,
                  before=before if any(before.values()) else None,
                  after={"failed_login_count": 0, "locked_until": None} if any(before.values()) else None)
    return authenticated  # type: ignore[return-value]


# ----------------------------------------------------------------------------------------------- tokens


@transaction.atomic(durable=True)
def token_create(
    *, actor: User | None, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal API token for `user`. Returns the token row and the raw token, which is shown
    once and never stored (only its SHA-256)."""
    if actor is not None and actor.pk != user.pk and not permissions.can_manage_users(actor):
        raise PermissionDenied(_("You may only create tokens for yourself."))
    if not user.is_active:
        raise ValidationFailed(_("The account is deactivated."), code=ErrorCode.USER_INACTIVE)
    name = nfc(name)
    if not name:
        raise ValidationFailed(_("Give the token a name, e.g. the script that will use it."), {"field": "name"},
                               code=ErrorCode.NAME_REQUIRED)
    if len(name) > 100:
        raise ValidationFailed(_("The name is longer than 100 characters."), {"field": "name"}, code=ErrorCode.NAME_TOO_LONG)
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise ValidationFailed(_("The expiry needs a time zone."), {"field": "expires_at"}, code=ErrorCode.INVALID_EXPIRY)
        if expires_at <= _now():
            raise ValidationFailed(_("The expiry must be in the future."), {"field": "expires_at"}, code=ErrorCode.INVALID_EXPIRY)
    raw, lookup, token_hash = token_generate()
    token = ApiToken.objects.create(user=user, name=name, lookup=lookup, token_hash=token_hash, expires_at=expires_at)
    audit_log(actor=actor, action=AuditAction.TOKEN_CREATE, obj=token, object_repr=str(token),
              after={"user": user.username, "name": name, "lookup": lookup, "expires_at": expires_at},
              reason="" if actor is not None else "command line")
    return token, raw


@transaction.atomic(durable=True)
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token at once (its owner or an administrator)."""
    if actor is not None and not permissions.can_manage_token(actor, token):
        raise PermissionDenied(_("You may only revoke your own tokens."))
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise Conflict(_("This token was already revoked."), code=ErrorCode.TOKEN_REVOKED)
    token.revoked_at = _now()
    token.save(update_fields=["revoked_at"])
    audit_log(actor=actor, action=AuditAction.TOKEN_REVOKE, obj=token, object_repr=str(token),
              before={"revoked_at": None}, after={"revoked_at": token.revoked_at})
    return token

