"""Analytics stores one thing of its own: official unit boundaries an administrator uploads (GeoJSON), which the
map then draws instead of the tile grid."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Boundaries(models.Model):
    """A validated GeoJSON FeatureCollection: one feature per unit (`properties.code`, the GSO code of a unit valid
    on `valid_on`), Polygon or MultiPolygon in longitude/latitude."""

    name = models.CharField(_("name"), max_length=200)
    valid_on = models.DateField(_("units valid on"), help_text=_("The boundaries are of the units valid on this date"))
    source = models.CharField(_("source"), max_length=300)
    geojson = models.JSONField(_("GeoJSON"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("unit boundaries")
        verbose_name_plural = _("unit boundaries")
        ordering = ["-valid_on", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_on:%d/%m/%Y})"
