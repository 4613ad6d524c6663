"""The submission state machine: allowed transitions as data, one function to check one.

    draft ──submit──▶ submitted ──approve──▶ approved ──accept──▶ accepted (locked)
      ▲                  │                      │                    │
      └──── returned ◀───┴──return (reason)─────┘        reopen (reason, coordinator) ─▶ returned

Who may fire each transition lives in permissions.py; the database constraints on Submission make sure
no code path can reach a state without its actor, time and reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lienket.core.errors import ApplicationError

from .codes import ErrorCode
from .models import SubmissionStatus as S


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    needs_reason: bool
    label: object  # lazy translation


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, False, _("Submit")),
        Transition("approve", frozenset({S.SUBMITTED}), S.APPROVED, False, _("Approve")),
        Transition("return", frozenset({S.SUBMITTED, S.APPROVED}), S.RETURNED, True, _("Return")),
        Transition("accept", frozenset({S.APPROVED}), S.ACCEPTED, False, _("Accept")),
        Transition("reopen", frozenset({S.ACCEPTED, S.APPROVED, S.SUBMITTED, S.RETURNED, S.DRAFT}), S.RETURNED, True, _("Reopen")),
    )
}

EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


def transition_get(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise ApplicationError(
            ErrorCode.UNKNOWN_ACTION,
            gettext("Unknown action “%(action)s”. Allowed: %(allowed)s.") % {"action": action, "allowed": ", ".join(TRANSITIONS)},
            status=422,
        ) from None


def transition_check(*, status: str, action: str, reason: str = "") -> Transition:
    """The transition for `action` from `status`, or an ApplicationError saying why not."""
    transition = transition_get(action)
    if status not in transition.sources:
        raise ApplicationError(
            ErrorCode.INVALID_TRANSITION,
            gettext("Cannot %(action)s a submission that is %(status)s.")
            % {"action": str(transition.label).lower(), "status": S(status).label.lower()},
            {"status": status, "action": action},
            status=409,
        )
    if transition.needs_reason and not reason.strip():
        raise ApplicationError(
            ErrorCode.REASON_REQUIRED, gettext("A reason is required to %(action)s.") % {"action": str(transition.label).lower()},
            {"field": "reason"}, status=422,
        )
    return transition
