"""Accounts, scoped roles, Ministry units (versioned reference data) and personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    PROVINCE_DIRECTOR = "province_director", _("Province director")
    MINISTRY_COORDINATOR = "ministry_coordinator", _("Ministry coordinator")
    MINISTRY_UNIT = "ministry_unit", _("Ministry unit")
    SECRETARIAT = "secretariat", _("Conference secretariat")
    ADMIN = "admin", _("Administrator")


PROVINCE_ROLES = {Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR}


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    #: Set (never stored) by services.user_create when it generated the password, so the caller can show
    #: it exactly once.
    generated_password: str | None = None

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class MinistryUnit(models.Model):
    """A department of the Ministry (Cục, Vụ). Versioned: the 2025 reorganisation renamed or merged some."""

    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_coordinator = models.BooleanField(
        _("coordinating agency"), default=False, help_text=_("Coordinates the provinces' reporting (Cục Công Thương địa phương)")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Ministry unit")
        verbose_name_plural = _("Ministry units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "slug", Coalesce("valid_from", Value(dt.date(1900, 1, 1))), name="ministry_unit_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A business or association outside the State (EVN, Central Retail Việt Nam, an industry association): the
    one shared list that proposals, cooperation programmes and products refer to, never free text."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other organisation")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUSINESS)
    unit = models.ForeignKey(
        "regions.AdminUnit", verbose_name=_("based in"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Only what a source says of it."))
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args: object, **kwargs: object) -> None:
        from lienket.core.text import fold, nfc

        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.description = nfc(self.description)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Membership(models.Model):
    """A role held by a user, scoped to what it applies to. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "regions.AdminUnit", verbose_name=_("administrative unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="memberships",
    )
    ministry_unit = models.ForeignKey(
        MinistryUnit, verbose_name=_("Ministry unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships",
    )
    conference = models.ForeignKey(
        "conferences.Conference", verbose_name=_("conference"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            # Each role carries exactly the scope it needs; the database refuses anything else.
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=["province_officer", "province_director"], unit__isnull=False,
                      ministry_unit__isnull=True, conference__isnull=True)
                    | Q(role="ministry_coordinator", unit__isnull=True, conference__isnull=True)
                    | Q(role="ministry_unit", ministry_unit__isnull=False, unit__isnull=True, conference__isnull=True)
                    | Q(role="secretariat", conference__isnull=False, unit__isnull=True, ministry_unit__isnull=True)
                    | Q(role="admin", unit__isnull=True, ministry_unit__isnull=True, conference__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                "user", "role", Coalesce("unit", Value(0)), Coalesce("ministry_unit", Value(0)),
                Coalesce("conference", Value(0)), name="membership_unique_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.ministry_unit or self.conference or ""
        return f"{self.user.username}: {self.get_role_display()} {scope}".strip()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token is shown once when created."""

    PREFIX = "lk_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(max_length=16, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.name} ({self.PREFIX}{self.lookup}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
