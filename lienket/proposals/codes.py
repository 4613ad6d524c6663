"""Audit actions and error codes of lienket.proposals. Values are stored (AuditEntry.action) or part of the API:
never change one (docs/CONVENTIONS.md, "Error codes and audit actions")."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    """`<object>.<verb>`, as stored in AuditEntry.action."""

    ANSWER_PERIOD_CREATE = "answer_period.create"
    ANSWER_PERIOD_DELETE = "answer_period.delete"
    ANSWER_PERIOD_UPDATE = "answer_period.update"
    PROPOSAL_ACCEPT = "proposal.accept"
    PROPOSAL_ANSWER = "proposal.answer"
    PROPOSAL_ASSIGN = "proposal.assign"
    PROPOSAL_CLOSE = "proposal.close"
    PROPOSAL_CONTRIBUTE = "proposal.contribute"
    PROPOSAL_CREATE = "proposal.create"
    PROPOSAL_DECLINE = "proposal.decline"
    PROPOSAL_ENDORSE = "proposal.endorse"
    PROPOSAL_FORWARD = "proposal.forward"
    PROPOSAL_GROUP = "proposal.group"
    PROPOSAL_LINK_PREVIOUS = "proposal.link_previous"
    PROPOSAL_NOTE = "proposal.note"
    PROPOSAL_RECEIVE = "proposal.receive"
    PROPOSAL_REOPEN = "proposal.reopen"
    PROPOSAL_SAMPLE_LOAD = "proposal.sample_load"
    PROPOSAL_SUBMIT = "proposal.submit"
    PROPOSAL_UPDATE = "proposal.update"
    PROPOSAL_ATTACH = "proposal.attach"


class ErrorCode(StrEnum):
    """The `code` of the ApplicationErrors this app raises."""

    ALREADY_ENDORSED = "already_endorsed"
    ATTACHMENT_MISMATCH = "attachment_mismatch"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE = "attachment_type"
    CONTRIBUTION_CLOSED = "contribution_closed"
    DEADLINE_IN_PAST = "deadline_in_past"
    EMPTY_TITLE = "empty_title"
    EMPTY_TEXT = "empty_text"
    FORWARD_TARGET_REQUIRED = "forward_target_required"
    GROUP_TOO_SMALL = "group_too_small"
    INVALID_CHOICE = "invalid_choice"
    PROPOSAL_INVALID_TRANSITION = "proposal_invalid_transition"
    PROPOSAL_NOT_EDITABLE = "proposal_not_editable"
    PROPOSAL_REASON_REQUIRED = "proposal_reason_required"
    PROPOSAL_UNKNOWN_ACTION = "proposal_unknown_action"
    PROPOSAL_VERSION_CONFLICT = "proposal_version_conflict"
    REOPEN_LIMIT = "reopen_limit"
    ANSWER_REQUIRED = "answer_required"
    SUBMITTER_REQUIRED = "submitter_required"
    TEXT_TOO_LONG = "text_too_long"
    UNKNOWN_MINISTRY_UNIT = "unknown_ministry_unit"
    UNKNOWN_PROPOSAL = "unknown_proposal"
    UNKNOWN_SUBMITTER = "unknown_submitter"
