"""What every reminder e-mail shares, whichever app sends it: the site's base URL for links, "send once" (the
log row and the mail in one transaction, so a crash or a second run the same day sends nothing twice and a mail
error leaves no log row, to be retried) and the registry that `manage.py send_reminders` runs.

An app registers its daily sender in its AppConfig.ready(): `reminder_register("reporting", reminders_send)`;
a sender takes `on` (a date in Asia/Ho_Chi_Minh) and `days_before` and returns the number of e-mails sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Model

logger = logging.getLogger(__name__)

Sender = Callable[..., int]
_SENDERS: dict[str, Sender] = {}


def site_url() -> str:
    """Base URL for links in e-mails (settings.LIENKET_SITE_URL or SITE_URL; localhost for development)."""
    base = getattr(settings, "LIENKET_SITE_URL", "") or getattr(settings, "SITE_URL", "") or "http://localhost:8000"
    return str(base).rstrip("/")


def send_once(*, log: type[Model], key: dict[str, Any], recipients: list[str], message: EmailMessage, what: str) -> bool:
    """Send `message` unless `log` already holds a row for `key`; the row (`key` + `recipients`) is written in the
    same transaction as the sending. True when a mail went out. Another run logging it first (IntegrityError) or
    a mail error (logged; no row left, so the next run retries) give False."""
    try:
        with transaction.atomic():
            if log._default_manager.filter(**key).exists():
                return False
            log._default_manager.create(**key, recipients=recipients)
            message.send(fail_silently=False)
    except IntegrityError:
        return False
    except Exception:  # a mail server error: no log row, so the next run retries
        logger.exception("reminder %s failed", what)
        return False
    return True


def reminder_register(name: str, sender: Sender) -> None:
    """Add an app's daily reminder sender (idempotent per name)."""
    _SENDERS[name] = sender


def reminder_senders() -> dict[str, Sender]:
    return dict(_SENDERS)


def reminders_send_all(*, on: dt.date | None = None, days_before: Iterable[int] | None = None) -> dict[str, int]:
    """Run every registered sender; {name: e-mails sent}."""
    out = {}
    for name, sender in sorted(_SENDERS.items()):
        kwargs: dict[str, Any] = {"on": on}
        if days_before is not None:
            kwargs["days_before"] = tuple(days_before)
        out[name] = sender(**kwargs)
    return out
