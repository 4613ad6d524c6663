"""The proposal state machine: allowed transitions as data, one function to check one.

    draft ─submit─▶ submitted ─receive─▶ received ─assign─▶ assigned ─answer─▶ answered ─accept/close─▶ closed
                                            │                 │  ▲                  │
                                            │                 │  └──reopen (once, reason)──┘
                                            └──decline (reason) / forward (to whom)──▶ declined / forwarded

Who may fire each transition lives in permissions.py; the database constraints on Proposal make sure no code
path reaches a state without its actor, time, answer or reason.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lienket.core.workflow import Transition, Workflow

from .codes import ErrorCode
from .models import Status as S

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


WORKFLOW = Workflow(
    TRANSITIONS, status_label=lambda status: S(status).label,
    invalid_message=_("Cannot %(action)s a proposal that is %(status)s."),
    unknown_code=ErrorCode.PROPOSAL_UNKNOWN_ACTION, invalid_code=ErrorCode.PROPOSAL_INVALID_TRANSITION, reason_code=ErrorCode.PROPOSAL_REASON_REQUIRED,
)


def transition_get(action: str) -> Transition:
    return WORKFLOW.get(action)


def transition_check(*, status: str, action: str, reason: str = "") -> Transition:
    """The transition for `action` from `status`, or an ApplicationError saying why not."""
    return WORKFLOW.check(status=status, action=action, reason=reason)
