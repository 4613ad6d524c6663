"""Personal API tokens: `lk_<lookup>_<secret>`; only the SHA-256 of the whole token is stored."""

from __future__ import annotations

import hmac
import secrets

from django.utils import timezone

from .models import ApiToken, User, hash_token


def token_generate() -> tuple[str, str, str]:
    """Return (raw token, lookup, hash)."""
    lookup = secrets.token_hex(6)
    raw = f"{ApiToken.PREFIX}{lookup}_{secrets.token_urlsafe(32)}"
    return raw, lookup, hash_token(raw)


def token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Constant-time comparison of the hash."""
    raw = raw.strip()
    if not raw.startswith(ApiToken.PREFIX) or raw.count("_") < 2:
        return None
    lookup = raw[len(ApiToken.PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(lookup=lookup).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
