"""The one clock that deadlines and "today" are computed from.

App code that decides what is due, open or late asks `clock.now()` / `clock.today()` instead of
`timezone.now()` / `timezone.localdate()`, so tests can freeze time in one place (the `clock` fixture of the root
conftest.py) instead of dodging the real date with far-away deadlines. Timestamps that only record when something
happened (created_at, finished_at) keep using Django's own time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

VN = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    """The real time unless frozen at an instant (tests only); visible to every thread, e.g. a live server's."""

    def __init__(self) -> None:
        self._frozen: dt.datetime | None = None

    def now(self) -> dt.datetime:
        return self._frozen if self._frozen is not None else timezone.now()

    def today(self) -> dt.date:
        """The calendar date in Việt Nam (Asia/Ho_Chi_Minh), whatever timezone is active."""
        return self.now().astimezone(VN).date()

    def set(self, instant: dt.datetime) -> None:
        if timezone.is_naive(instant):
            raise ValueError("clock.set() needs a timezone-aware datetime")
        self._frozen = instant

    def advance(self, delta: dt.timedelta) -> None:
        self.set(self.now() + delta)

    def reset(self) -> None:
        self._frozen = None

    @property
    def frozen(self) -> bool:
        return self._frozen is not None


clock = Clock()


def now() -> dt.datetime:
    return clock.now()


def today() -> dt.date:
    return clock.today()
