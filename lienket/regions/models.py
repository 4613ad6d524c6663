"""Administrative units as versioned reference data.

A unit's identity is its GSO code *and* its validity period: code 15 is Yên Bái until 30/6/2025 and the
new Lào Cai from 1/7/2025. Nothing may be keyed on the code alone — foreign keys point at AdminUnit rows.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

OPEN_START = dt.date(1900, 1, 1)


class UnitQuerySet(models.QuerySet["AdminUnit"]):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def provinces(self) -> UnitQuerySet:
        return self.filter(level=AdminUnit.Level.PROVINCE)


class AdminUnit(models.Model):
    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Socio-economic region")
        PROVINCE = "province", _("Province / centrally-run city")

    code = models.CharField(_("GSO code"), max_length=12, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.PROVINCE)
    is_city = models.BooleanField(_("centrally-run city"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Empty: before the data's range"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: still valid"))
    seat = models.CharField(_("seat (in former unit)"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Working notes on where this comes from (administrators only)"))
    citation = models.CharField(_("citation"), max_length=300, blank=True, help_text=_("The source as the public pages cite it"))
    note = models.TextField(_("note"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "valid_from"]
        constraints = [
            # COALESCE so that two rows with an open start (NULL) for one code also collide (SQLite and PostgreSQL).
            models.UniqueConstraint("code", Coalesce("valid_from", Value(OPEN_START)), name="unit_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.period_label})"

    def save(self, *args: object, **kwargs: object) -> None:
        from lienket.core.text import fold, nfc

        self.name = nfc(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def key(self) -> str:
        """A stable textual identity: `15@2025-07-01`, or `01` for a unit valid over the whole range."""
        return f"{self.code}@{self.valid_from.isoformat()}" if self.valid_from else self.code

    @property
    def period_label(self) -> str:
        start = self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…"
        end = self.valid_to.strftime("%d/%m/%Y") if self.valid_to else "…"
        return f"{start}–{end}"

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)


class UnitSuccession(models.Model):
    """old → new on a date. `share` is the fraction of the predecessor that went to the successor (1 = whole)."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions_out")
    successor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions_in")
    effective = models.DateField(_("effective"))
    share = models.DecimalField(_("share"), max_digits=7, decimal_places=6, default=1)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Working notes on where this comes from (administrators only)"))
    citation = models.CharField(_("citation"), max_length=300, blank=True, help_text=_("The source as the public pages cite it"))

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective", "successor__code", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_pair_unique"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="succession_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} ({self.predecessor.code}) → {self.successor.name} ({self.successor.code})"


class UnitGroup(models.Model):
    """A named grouping with versioned membership — one group per purpose, never a fixed list."""

    class Purpose(models.TextChoices):
        CONFERENCE = "conference", _("Conference region")
        SUBREGION = "subregion", _("Sub-region")

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    stat_unit = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The statistical region whose published totals correspond to this group, if any"),
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")
        ordering = ["sort_order", "key"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(UnitGroup, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="group_memberships")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Working notes on where this comes from (administrators only)"))
    citation = models.CharField(_("citation"), max_length=300, blank=True, help_text=_("The source as the public pages cite it"))

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group", "unit__code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                "group", "unit", Coalesce("valid_from", Value(OPEN_START)), name="membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.key}: {self.unit}"


class UnitStat(models.Model):
    """One yearly figure for one unit, with its source. GSO statistics and the Resolution's figures are
    different measures and are never added together."""

    class Measure(models.TextChoices):
        AREA = "area_km2", _("Natural area (km²)")
        POPULATION = "population_thousand", _("Average population (thousand)")
        RESOLUTION_AREA = "resolution_area_km2", _("Area stated in Resolution 202/2025/QH15 (km²)")
        RESOLUTION_POPULATION = "resolution_population", _("Population stated in Resolution 202/2025/QH15 (persons)")

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="stats")
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, help_text=_("Working notes on where this comes from (administrators only)"))
    citation = models.CharField(_("citation"), max_length=300, blank=True, help_text=_("The source as the public pages cite it"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("unit statistic")
        verbose_name_plural = _("unit statistics")
        ordering = ["unit__code", "year", "measure"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "measure"], name="unit_stat_unique")]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.year} {self.measure}={self.value}"
