"""Producers, products (with their OCOP recognition) and product photos.

The OCOP rules that can be stated on one row are database constraints too (stars follow the score bands of
Decision 148/QĐ-TTg; a rated product names its group and its certifying decision), so no code path — an import,
the admin, a script — can store an inconsistent rating. `search_folded` is the accent-free copy of the text the
catalogue filter matches (lienket.core.text.fold), kept by `save()`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lienket.core.models import TimeStampedModel
from lienket.core.text import fold, nfc
from lienket.regions.models import AdminUnit

from .ocop import STAR_BANDS, OcopGroup

SAMPLE_LABEL = "Dữ liệu mẫu"


def _stars_follow_score() -> Q:
    unrated = Q(stars__isnull=True, score__isnull=True)
    rated = Q()
    for stars, (low, high) in STAR_BANDS.items():
        rated |= Q(stars=stars, score__gte=low, score__lte=high)
    return unrated | rated


class Producer(TimeStampedModel):
    """A business, cooperative or household that makes products (chủ thể OCOP). Its contact is shown to the public
    only when `contact_public` is set."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(AdminUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True, help_text=_("Phone, e-mail or contact person"))
    contact_public = models.BooleanField(_("publish the contact"), default=False)
    is_sample = models.BooleanField(_("sample data"), default=False)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["unit__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name_folded"], name="products_producer_unit_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class Product(TimeStampedModel):
    """A characteristic or OCOP product of a unit. Rated (stars + score + decision) or not rated."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(AdminUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey(Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products")
    category = models.CharField(_("category"), max_length=120, blank=True, help_text=_("e.g. tea, pomelo, honey"))
    description = models.TextField(_("description"), blank=True)
    ocop_group = models.CharField(_("OCOP product group"), max_length=30, choices=OcopGroup.choices, blank=True)
    stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("OCOP score"), null=True, blank=True)
    decision_number = models.CharField(_("certifying decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("certifying decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True, editable=False,
                                               db_index=True)
    is_published = models.BooleanField(_("published"), default=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    version = models.PositiveIntegerField(default=1)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    search_folded = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["unit__code", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=_stars_follow_score(), name="products_product_stars_follow_score"),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | (~Q(ocop_group="") & ~Q(decision_number="") & Q(decision_date__isnull=False)
                                                   & ~Q(decision_issuer="") & Q(certificate_valid_until__isnull=False)),
                name="products_product_rated_has_certificate",
            ),
            models.CheckConstraint(
                condition=Q(stars__isnull=False) | (Q(decision_number="") & Q(decision_date__isnull=True)
                                                    & Q(certificate_valid_until__isnull=True)),
                name="products_product_certificate_needs_stars",
            ),
            models.UniqueConstraint(fields=["producer", "name_folded"], name="products_product_producer_name_unique"),
        ]
        indexes = [models.Index(fields=["unit", "ocop_group", "stars"], name="products_unit_group_stars")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class ProductPhoto(models.Model):
    """A photo as stored after validation: re-encoded JPEG without EXIF, and its thumbnail; both through
    Django's storage API (`default_storage`), so production can keep them in object storage."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.CharField(max_length=255)
    thumbnail = models.CharField(max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField(help_text=_("bytes of the stored image"))
    sha256 = models.CharField(max_length=64, help_text=_("of the uploaded file"))
    original_name = models.CharField(max_length=255, blank=True)
    alt_text = models.CharField(_("description of the photo"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.original_name or self.image}"
