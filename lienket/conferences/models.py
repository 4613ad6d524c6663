"""The conference series and its editions. Only what roles need today (a secretariat is scoped to one
edition); sessions, delegates and documents come with the conferences issue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConferenceSeries(models.Model):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    region_group = models.ForeignKey(
        "regions.UnitGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="conference_series"
    )

    class Meta:
        verbose_name = _("conference series")
        verbose_name_plural = _("conference series")

    def __str__(self) -> str:
        return self.name


class Conference(models.Model):
    class Confidence(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        SECONDARY = "secondary", _("Secondary source")
        INFERRED = "inferred", _("Inferred")

    series = models.ForeignKey(ConferenceSeries, on_delete=models.PROTECT, related_name="editions")
    ordinal = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date"), null=True, blank=True)
    host = models.ForeignKey(
        "regions.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_conferences"
    )
    title = models.CharField(_("title"), max_length=300)
    led_by = models.TextField(_("led by"), blank=True)
    reviewed_period = models.CharField(_("reviewed period"), max_length=200, blank=True)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="conference_series_year_unique")]

    def __str__(self) -> str:
        return self.title
