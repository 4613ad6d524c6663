"""Proposals (kiến nghị) from a province, a Ministry unit or an organisation to the Ministry, tracked to a
published answer. The lifecycle is in workflow.py; the constraints below make sure no code path reaches a state
without the actor, time, answer or reason that state needs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lienket.core.clock import VN


class Field(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    ENERGY = "energy", _("Energy")
    DOMESTIC_TRADE = "domestic_trade", _("Domestic trade")
    BORDER_TRADE = "border_trade", _("Border trade")
    IMPORT_EXPORT = "import_export", _("Import and export")
    ECOMMERCE = "ecommerce", _("E-commerce")
    LOGISTICS = "logistics", _("Logistics")
    INDUSTRIAL_CLUSTERS = "industrial_clusters", _("Industrial clusters")
    LEGAL_FRAMEWORK = "legal_framework", _("Legal framework")
    DIGITAL_TRANSFORMATION = "digital_transformation", _("Digital transformation")
    TRADE_PROMOTION = "trade_promotion", _("Trade promotion")
    REGIONAL_LINKAGE = "regional_linkage", _("Regional linkage")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    POLICY = "policy", _("Policy or legal")
    FUNDING = "funding", _("Funding")
    COORDINATION = "coordination", _("Coordination")
    GUIDANCE = "guidance", _("Guidance")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    FORWARDED = "forwarded", _("Forwarded")


#: Default answer period per type, in days, when no AnswerPeriod row overrides it.
DEFAULT_ANSWER_DAYS = {Kind.POLICY: 60, Kind.FUNDING: 45, Kind.COORDINATION: 30, Kind.GUIDANCE: 30}


class AnswerPeriod(models.Model):
    """The default answer period of a type of proposal (configurable in the admin)."""

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days to answer"))

    class Meta:
        verbose_name = _("answer period")
        verbose_name_plural = _("answer periods")
        constraints = [models.CheckConstraint(name="answer_period_days_positive", condition=Q(days__gte=1))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days}"


class ProposalGroup(models.Model):
    """Proposals the coordinator judged to be the same request: one answer serves every member."""

    title = models.CharField(_("title"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal group")
        verbose_name_plural = _("proposal groups")

    def __str__(self) -> str:
        return self.title


ANSWERED_STATES = ("answered", "closed")
#: Published on /kien-nghi/: answers, and the reason of a declined or the body of a forwarded proposal.
PUBLIC_STATES = ("answered", "closed", "declined", "forwarded")
ASSIGNED_STATES = ("assigned", "answered", "closed")


class Proposal(models.Model):
    # Who raised it: exactly one of a province (AdminUnit), a Ministry unit or an organisation.
    submitting_unit = models.ForeignKey(
        "regions.AdminUnit", verbose_name=_("submitting province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals",
    )
    submitting_ministry_unit = models.ForeignKey(
        "users.MinistryUnit", verbose_name=_("submitting Ministry unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals_raised",
    )
    submitting_organisation = models.ForeignKey(
        "users.Organisation", verbose_name=_("submitting organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    speaker_role = models.CharField(_("speaker's role"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True)
    body = models.TextField(_("full text"))
    field = models.CharField(_("field"), max_length=30, choices=Field.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    legal_references = models.TextField(_("legal documents referred to"), blank=True)
    conference = models.ForeignKey(
        "conferences.Conference", verbose_name=_("raised at conference"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals",
    )
    raised_on = models.DateField(_("raised on"))
    previous = models.ForeignKey(
        "self", verbose_name=_("raised earlier as"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="raised_again",
    )
    group = models.ForeignKey(ProposalGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Optimistic lock: bumped on every change"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead_unit = models.ForeignKey(
        "users.MinistryUnit", verbose_name=_("lead Ministry unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="proposals_led",
    )
    co_units = models.ManyToManyField(
        "users.MinistryUnit", verbose_name=_("co-operating units"), blank=True, related_name="proposals_supported",
    )
    deadline = models.DateField(_("answer deadline"), null=True, blank=True, help_text=_("A date in Việt Nam time"))
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("official answer"), blank=True)
    answer_file = models.FileField(_("signed answer"), upload_to="proposals/answers/%Y/", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reopen_count = models.PositiveSmallIntegerField(default=0)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    ref = models.SlugField(max_length=80, null=True, blank=True, unique=True, editable=False,
                           help_text=_("Natural key of a proposal loaded from the reference data"))
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_sample = models.BooleanField(_("sample data (Dữ liệu mẫu)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="proposal_status_deadline_idx")]
        constraints = [
            models.CheckConstraint(
                name="proposal_one_submitter",
                condition=(
                    Q(submitting_unit__isnull=False, submitting_ministry_unit__isnull=True, submitting_organisation__isnull=True)
                    | Q(submitting_unit__isnull=True, submitting_ministry_unit__isnull=False, submitting_organisation__isnull=True)
                    | Q(submitting_unit__isnull=True, submitting_ministry_unit__isnull=True, submitting_organisation__isnull=False)
                ),
            ),
            models.CheckConstraint(name="proposal_title_not_empty", condition=~Q(title="")),
            models.CheckConstraint(
                name="proposal_status_known",
                condition=Q(status__in=["draft", "submitted", "received", "assigned", "answered", "closed", "declined", "forwarded"]),
            ),
            models.CheckConstraint(
                name="proposal_received_has_time",
                condition=Q(status__in=["draft", "submitted"]) | Q(received_at__isnull=False),
            ),
            models.CheckConstraint(
                name="proposal_assigned_has_lead_and_deadline",
                condition=~Q(status__in=ASSIGNED_STATES) | Q(lead_unit__isnull=False, deadline__isnull=False, assigned_at__isnull=False),
            ),
            models.CheckConstraint(
                name="proposal_answered_has_answer",
                condition=~Q(status__in=ANSWERED_STATES) | (~Q(answer="") & Q(answered_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="proposal_declined_has_reason",
                condition=~Q(status="declined") | (~Q(decline_reason="") & Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="proposal_forwarded_has_body",
                condition=~Q(status="forwarded") | (~Q(forwarded_to="") & Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(name="proposal_closed_has_actor", condition=~Q(status="closed") | Q(closed_at__isnull=False)),
            models.CheckConstraint(name="proposal_reopened_once", condition=Q(reopen_count__lte=1)),
            models.CheckConstraint(name="proposal_not_its_own_previous", condition=~Q(previous=models.F("id"))),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def submitter(self) -> object:
        return self.submitting_unit or self.submitting_ministry_unit or self.submitting_organisation

    @property
    def submitter_name(self) -> str:
        s = self.submitter
        return getattr(s, "name", str(s)) if s is not None else ""

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATES

    def answered_on(self) -> dt.date | None:
        return self.answered_at.astimezone(VN).date() if self.answered_at else None

    def answered_on_time(self) -> bool | None:
        """Answered no later than the deadline (dates in Asia/Ho_Chi_Minh); None while not answered."""
        day = self.answered_on()
        if day is None or self.deadline is None:
            return None
        return day <= self.deadline

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == Status.ASSIGNED and self.deadline is not None and today > self.deadline

    def days_to_answer(self) -> int | None:
        if self.answered_at is None or self.received_at is None:
            return None
        return (self.answered_at.astimezone(VN).date() - self.received_at.astimezone(VN).date()).days


class Attachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="proposals/attachments/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class Endorsement(models.Model):
    """Another unit co-signs a proposal ("Lào Cai and Tuyên Quang support this proposal")."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="endorsements")
    unit = models.ForeignKey("regions.AdminUnit", on_delete=models.PROTECT, related_name="proposal_endorsements")
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    is_sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["proposal", "unit"], name="endorsement_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} → {self.proposal_id}"


class InternalNote(models.Model):
    """A note only Ministry staff see: never on the public page, through the API or in an export."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(name="internal_note_not_empty", condition=~Q(text=""))]

    def __str__(self) -> str:
        return self.text[:50]


class Contribution(models.Model):
    """The opinion of a co-operating Ministry unit (ý kiến phối hợp) for the lead unit drafting the answer.
    Internal to the Ministry like InternalNote: never on the public page, through the API, in an export or in
    the search index."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey("users.MinistryUnit", verbose_name=_("co-operating unit"), on_delete=models.PROTECT,
                             related_name="proposal_contributions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("opinion"))
    file = models.FileField(upload_to="proposals/contributions/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-operating unit's opinion")
        verbose_name_plural = _("co-operating units' opinions")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(name="contribution_not_empty", condition=~Q(text=""))]

    def __str__(self) -> str:
        return f"{self.unit} → {self.proposal_id}"


class ReminderLog(models.Model):
    """One row per (proposal, deadline, kind) mailed: a second run the same day sends nothing twice."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.DateField()
    kind = models.CharField(max_length=12)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "deadline", "kind"], name="proposal_reminder_once")]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind} {self.deadline}"
