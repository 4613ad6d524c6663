"""Cooperation programmes between administrative units, Ministry units and organisations: their parties,
objectives (measurable targets), activities with results against those targets, status history and documents.

Parties are references, never free text: an administrative unit (`regions.AdminUnit`, the row valid when the
programme was signed — history is kept; the merger mapping shows it under its successor), a Ministry unit
(`users.MinistryUnit`) or a business / association (`users.Organisation`, the one shared list).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral")
    MULTILATERAL = "multilateral", _("Multilateral")
    BUSINESS = "business", _("With a business")
    MINISTRY = "ministry", _("Ministry programme")


class Field(models.TextChoices):
    TRADE_PROMOTION = "trade_promotion", _("Trade promotion")
    DISTRIBUTION = "distribution", _("Distribution and retail")
    INDUSTRY = "industry", _("Industry")
    ENERGY = "energy", _("Energy")
    ECOMMERCE = "ecommerce", _("E-commerce")
    INVESTMENT = "investment", _("Investment")


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    ENDED_EARLY = "ended_early", _("Ended early")


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    SPONSOR = "sponsor", _("Sponsor")


class ActivityKind(models.TextChoices):
    FAIR = "fair", _("Fair")
    TRADE_WEEK = "trade_week", _("Trade week")
    BUSINESS_MATCHING = "business_matching", _("Business matching")
    TRAINING = "training", _("Training")
    INVESTMENT_PROMOTION = "investment_promotion", _("Investment promotion")
    STUDY_VISIT = "study_visit", _("Study visit")


class Programme(models.Model):
    title = models.CharField(_("title"), max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True)
    kind = models.CharField(_("type"), max_length=20, choices=ProgrammeKind.choices)
    field = models.CharField(_("field"), max_length=30, choices=Field.choices)
    description = models.TextField(_("description"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.PLANNED)
    is_published = models.BooleanField(_("published"), default=False)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperation programme")
        verbose_name_plural = _("cooperation programmes")
        ordering = ["-start_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                                   name="programme_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class Party(models.Model):
    """One party of a programme: exactly one of unit, Ministry unit, organisation."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices, default=PartyRole.MEMBER)
    unit = models.ForeignKey("regions.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ministry_unit = models.ForeignKey("users.MinistryUnit", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    organisation = models.ForeignKey("users.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["programme", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                name="party_exactly_one",
                condition=(Q(unit__isnull=False, ministry_unit__isnull=True, organisation__isnull=True)
                           | Q(unit__isnull=True, ministry_unit__isnull=False, organisation__isnull=True)
                           | Q(unit__isnull=True, ministry_unit__isnull=True, organisation__isnull=False)),
            ),
            models.UniqueConstraint(fields=["programme", "unit"], condition=Q(unit__isnull=False),
                                    name="party_unit_unique"),
            models.UniqueConstraint(fields=["programme", "ministry_unit"], condition=Q(ministry_unit__isnull=False),
                                    name="party_ministry_unit_unique"),
            models.UniqueConstraint(fields=["programme", "organisation"], condition=Q(organisation__isnull=False),
                                    name="party_organisation_unique"),
        ]

    def __str__(self) -> str:
        return self.unit.name if self.unit else str(self.subject)

    @property
    def subject(self) -> object:
        return self.unit or self.ministry_unit or self.organisation

    @property
    def key(self) -> str:
        """`unit:<id>`, `ministry:<id>` or `org:<id>` (forms and the API)."""
        if self.unit_id:
            return f"unit:{self.unit_id}"
        if self.ministry_unit_id:
            return f"ministry:{self.ministry_unit_id}"
        return f"org:{self.organisation_id}"


class Objective(models.Model):
    """A measurable target of a programme (indicator-like): the roll-up weighs each by `weight`."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=300)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40)
    target_value = models.DecimalField(_("target"), max_digits=18, decimal_places=3)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3, default=Decimal(1))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target_value__gt=0), name="objective_target_positive"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="objective_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="cooperation/%Y/", blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["programme", "issued_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("type"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    place = models.ForeignKey("regions.AdminUnit", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="+")
    description = models.TextField(_("description"), blank=True)
    participants = models.ManyToManyField(Party, blank=True, related_name="activities")
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=F("start_on")), name="activity_end_after_start"),
        ]
        indexes = [models.Index(fields=["start_on", "end_on"], name="activity_dates")]

    def __str__(self) -> str:
        return self.title


class Result(models.Model):
    """What an activity achieved against one objective of its programme."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="results")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="results")
    actual = models.DecimalField(_("actual"), max_digits=18, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["activity", "objective"], name="result_once_per_objective"),
            models.CheckConstraint(condition=Q(actual__gte=0), name="result_actual_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.objective_id}: {self.actual}"


class StatusChange(models.Model):
    """The programme's timeline (the audit trail keeps the same facts; this is its readable form)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ProgrammeStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProgrammeStatus.choices)
    on = models.DateField(_("date"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} ({self.on})"


class DataVersion(models.Model):
    """One counter bumped by every write of this app: the cache key of the computed network."""

    key = models.CharField(max_length=40, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
