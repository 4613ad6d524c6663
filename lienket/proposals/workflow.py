"""The proposal state machine: allowed transitions as data, one function to check one.

    draft ─submit─▶ submitted ─receive─▶ received ─assign─▶ assigned ─answer─▶ answered ─accept/close─▶ closed
                                            │                 │  ▲                  │
                                            │                 │  └──reopen (once, reason)──┘
                                            └──decline (reason) / forward (to whom)──▶ declined / forwarded

Who may fire each transition lives in permissions.py; the database constraints on Proposal make sure no code
path reaches a state without its actor, time, answer or reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lienket.core.errors import ApplicationError

from .codes import ErrorCode
from .models import Status as S


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
        Transition("submit", frozenset({S.DRAFT}), S.SUBMITTED, False, _("Submit")),
        Transition("receive", frozenset({S.SUBMITTED}), S.RECEIVED, False, _("Receive")),
        Transition("assign", frozenset({S.RECEIVED, S.ASSIGNED}), S.ASSIGNED, False, _("Assign")),
        Transition("answer", frozenset({S.ASSIGNED}), S.ANSWERED, False, _("Answer")),
        Transition("decline", frozenset({S.RECEIVED, S.ASSIGNED}), S.DECLINED, True, _("Decline")),
        Transition("forward", frozenset({S.RECEIVED, S.ASSIGNED}), S.FORWARDED, False, _("Forward")),
        Transition("accept", frozenset({S.ANSWERED}), S.CLOSED, False, _("Accept the answer")),
        Transition("reopen", frozenset({S.ANSWERED}), S.ASSIGNED, True, _("Reopen")),
        Transition("close", frozenset({S.ANSWERED}), S.CLOSED, False, _("Close")),
    )
}


def transition_get(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise ApplicationError(
            ErrorCode.PROPOSAL_UNKNOWN_ACTION,
            gettext("Unknown action “%(action)s”. Allowed: %(allowed)s.") % {"action": action, "allowed": ", ".join(TRANSITIONS)},
            status=422,
        ) from None


def transition_check(*, status: str, action: str, reason: str = "") -> Transition:
    """The transition for `action` from `status`, or an ApplicationError saying why not."""
    transition = transition_get(action)
    if status not in transition.sources:
        raise ApplicationError(
            ErrorCode.PROPOSAL_INVALID_TRANSITION,
            gettext("Cannot %(action)s a proposal that is %(status)s.")
            % {"action": str(transition.label).lower(), "status": S(status).label.lower()},
            {"status": status, "action": action},
            status=409,
        )
    if transition.needs_reason and not reason.strip():
        raise ApplicationError(
            ErrorCode.PROPOSAL_REASON_REQUIRED,
            gettext("A reason is required to %(action)s.") % {"action": str(transition.label).lower()},
            {"field": "reason"}, status=422,
        )
    return transition
