"""A state machine as data, shared by every app that has one (reporting's submissions, proposals): transitions
keyed by action, and one checker that says why an action is not allowed. Each app names its own statuses, error
codes and the wording of "cannot <action> a <thing> that is <status>" (its own translatable string)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext

from .errors import ApplicationError


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    needs_reason: bool
    label: object  # lazy translation


@dataclass(frozen=True)
class Workflow:
    """The transitions of one kind of object and how a refused action is explained.

    `invalid_message` is the app's own lazy string with `%(action)s` and `%(status)s`; `status_label` turns a
    status value into its (translated) label."""

    transitions: dict[str, Transition]
    status_label: Callable[[str], Any]
    invalid_message: Any
    unknown_code: StrEnum
    invalid_code: StrEnum
    reason_code: StrEnum

    @classmethod
    def of(cls, transitions: Iterable[Transition], **kwargs: Any) -> Workflow:
        return cls({t.action: t for t in transitions}, **kwargs)

    def get(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise ApplicationError(
                self.unknown_code,
                gettext("Unknown action “%(action)s”. Allowed: %(allowed)s.")
                % {"action": action, "allowed": ", ".join(self.transitions)},
                status=422,
            ) from None

    def check(self, *, status: str, action: str, reason: str = "") -> Transition:
        """The transition for `action` from `status`, or an ApplicationError saying why not."""
        transition = self.get(action)
        if status not in transition.sources:
            raise ApplicationError(
                self.invalid_code,
                str(self.invalid_message)
                % {"action": str(transition.label).lower(), "status": str(self.status_label(status)).lower()},
                {"status": status, "action": action},
                status=409,
            )
        if transition.needs_reason and not reason.strip():
            raise ApplicationError(
                self.reason_code, gettext("A reason is required to %(action)s.") % {"action": str(transition.label).lower()},
                {"field": "reason"}, status=422,
            )
        return transition
