"""API shapes of proposals. Internal notes are not part of any of them, by design."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from lienket.core.api import MAX_SMALL_INT

from .values import MAX_BODY, MAX_SHORT, MAX_TITLE


class ProposalIn(Schema):
    title: str = Field(..., max_length=MAX_TITLE * 4)
    body: str = Field(..., max_length=MAX_BODY * 4, description="Full text (NFC); at most 20 000 characters")
    field: str = Field(..., max_length=40, description="industry, energy, domestic_trade, border_trade, ...")
    kind: str = Field(..., max_length=20, description="policy, funding, coordination or guidance")
    unit: str | None = Field(None, max_length=40, description="Submitting province: GSO code or unit key (code@valid_from)")
    ministry_unit: str | None = Field(None, max_length=80, description="Submitting Ministry unit (slug)")
    organisation: str | None = Field(None, max_length=80, description="Submitting business or association (slug)")
    speaker: str = Field("", max_length=400)
    speaker_role: str = Field("", max_length=400)
    legal_references: str = Field("", max_length=MAX_SHORT * 8, description="Legal documents referred to (free text)")
    conference_year: int | None = Field(None, ge=1990, le=2100, description="The year of the conference it was raised at")
    raised_on: dt.date | None = None
    previous: int | None = Field(None, ge=1, le=2**63 - 1, description="Id of the earlier proposal it raises again")


class ProposalUpdateIn(Schema):
    """Edit a draft: only the fields sent change. `conference_year` / `previous` sent as null clear them."""

    version: int = Field(..., ge=0, le=MAX_SMALL_INT, description="The version you saw; stale → 409")
    title: str | None = Field(None, max_length=MAX_TITLE * 4)
    body: str | None = Field(None, max_length=MAX_BODY * 4)
    field: str | None = Field(None, max_length=40)
    kind: str | None = Field(None, max_length=20)
    speaker: str | None = Field(None, max_length=400)
    speaker_role: str | None = Field(None, max_length=400)
    legal_references: str | None = Field(None, max_length=MAX_SHORT * 8)
    conference_year: int | None = Field(None, ge=1990, le=2100, description="null: not raised at a conference")
    raised_on: dt.date | None = None
    previous: int | None = Field(None, ge=1, le=2**63 - 1, description="null: raises no earlier proposal again")


class ProposalTransitionIn(Schema):
    version: int | None = Field(None, ge=0, le=MAX_SMALL_INT, description="The version you saw; stale → 409")
    reason: str = Field("", max_length=MAX_BODY, description="Required to decline or reopen")
    lead_unit: str | None = Field(None, max_length=80, description="assign: the lead Ministry unit (slug or id)")
    co_units: list[str] = Field(default_factory=list, max_length=20, description="assign: co-operating units")
    deadline: dt.date | None = Field(None, description="assign: answer deadline (Việt Nam date); default per type")
    answer: str = Field("", max_length=MAX_BODY, description="answer: the official answer")
    forwarded_to: str = Field("", max_length=300, description="forward: the body outside the Ministry")


class ProposalEndorseIn(Schema):
    comment: str = Field("", max_length=MAX_SHORT)


class ProposalGroupIn(Schema):
    proposals: list[int] = Field(..., min_length=2, max_length=100)
    title: str = Field("", max_length=MAX_TITLE)


class ProposalEndorsementOut(Schema):
    unit: str
    unit_name: str
    comment: str
    created_at: dt.datetime


class ProposalEarlierOut(Schema):
    id: int
    title: str
    raised_on: dt.date
    status: str
    answer: str


class ProposalOut(Schema):
    id: int
    title: str
    body: str
    field: str
    kind: str
    status: str
    version: int
    submitter_type: str
    submitter: str
    submitter_name: str
    speaker: str
    speaker_role: str
    legal_references: str
    conference: str | None
    raised_on: dt.date
    lead_unit: str | None
    co_units: list[str]
    deadline: dt.date | None
    overdue: bool
    answer: str
    answered_at: dt.datetime | None
    answered_on_time: bool | None
    decline_reason: str
    forwarded_to: str
    reopen_count: int
    group: int | None
    previous: int | None
    history: list[ProposalEarlierOut]
    endorsements: list[ProposalEndorsementOut]
    endorsement_count: int
    is_sample: bool
    source: str
    allowed_actions: list[str]


class DocumentLinkOut(Schema):
    id: int
    number: str
    title: str
    url: str


class ProposalDetailOut(ProposalOut):
    documents: list[DocumentLinkOut] = Field(
        description="Library documents whose numbers the proposal writes (legal references, title, text) and you may see"
    )


class ProposalPageOut(Schema):
    count: int
    limit: int
    offset: int
    proposals: list[ProposalOut]


class ProposalSimilarOut(Schema):
    id: int
    title: str
    submitter_name: str
    raised_on: dt.date
    status: str
    score: float = Field(description="Trigram similarity of the folded titles, 0–1")


class ProposalStatRowOut(Schema):
    key: str
    label: str
    received: int
    answered: int
    answered_on_time: int
    median_days_to_answer: float | None
    overdue_now: int
    endorsements: int


class ProposalStatisticsOut(Schema):
    by: str
    rows: list[ProposalStatRowOut]


class ProposalGroupOut(Schema):
    id: int
    title: str
    members: list[int]
