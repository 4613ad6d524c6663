"""The submission state machine: allowed transitions as data, one function to check one.

    draft ──submit──▶ submitted ──approve──▶ approved ──accept──▶ accepted (locked)
      ▲                  │                      │                    │
      └──── returned ◀───┴──return (reason)─────┘        reopen (reason, coordinator) ─▶ returned

Who may fire each transition lives in permissions.py; the database constraints on Submission make sure
no code path can reach a state without its actor, time and reason.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lienket.core.workflow import Transition, Workflow

from .codes import ErrorCode
from .models import SubmissionStatus as S

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


WORKFLOW = Workflow(
    TRANSITIONS, status_label=lambda status: S(status).label,
    invalid_message=_("Cannot %(action)s a submission that is %(status)s."),
    unknown_code=ErrorCode.UNKNOWN_ACTION, invalid_code=ErrorCode.INVALID_TRANSITION, reason_code=ErrorCode.REASON_REQUIRED,
)


def transition_get(action: str) -> Transition:
    return WORKFLOW.get(action)


def transition_check(*, status: str, action: str, reason: str = "") -> Transition:
    """The transition for `action` from `status`, or an ApplicationError saying why not."""
    return WORKFLOW.check(status=status, action=action, reason=reason)
