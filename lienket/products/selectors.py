"""Reads of the products domain, filtered by what the user may see. Never imports services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from lienket.core import clock
from lienket.core.text import fold
from lienket.regions.models import AdminUnit
from lienket.search.values import SearchDocument

from . import permissions
from .models import Product
from .ocop import EXPIRING_WITHIN_DAYS, CertificateStatus, OcopGroup, certificate_status

#: What the catalogue's "certificate" filter accepts.
CERTIFICATE_FILTERS = ("valid", "expiring", "expired", "rated")


def search_text(product: Product) -> str:
    """The folded text the catalogue filter (and the global search) matches: name, category, group, producer, unit."""
    group = OcopGroup(product.ocop_group).label if product.ocop_group else ""
    parts = [product.name, product.category, str(group), product.producer.name, product.unit.name,
             product.decision_number, product.description[:1000]]
    return fold(" ".join(p for p in parts if p))


def product_search(
    *, user: Any, q: str = "", units: list[AdminUnit] | None = None, group: str = "", stars: int | None = None,
    certificate: str = "", on: dt.date | None = None,
) -> QuerySet[Product]:
    """Products the user may see, filtered. `q` is matched accent- and case-insensitively, every word somewhere
    in the product's folded text (`phu tho che` finds *Chè … Phú Thọ*). `certificate`: valid (valid today, including
    those expiring soon), expiring (last day within 90 days), expired, rated (any recognition)."""
    today = on or clock.today()
    qs = Product.objects.filter(permissions.visible_q(user)).select_related("unit", "producer")
    for word in fold(q).split()[:10]:
        qs = qs.filter(search_folded__contains=word)
    if units is not None:
        qs = qs.filter(unit__in=units)
    if group:
        qs = qs.filter(ocop_group=group)
    if stars is not None:
        qs = qs.filter(stars=stars)
    if certificate == "valid":
        qs = qs.filter(certificate_valid_until__gte=today)
    elif certificate == "expiring":
        qs = qs.filter(certificate_valid_until__gte=today,
                       certificate_valid_until__lt=today + dt.timedelta(days=EXPIRING_WITHIN_DAYS))
    elif certificate == "expired":
        qs = qs.filter(certificate_valid_until__lt=today)
    elif certificate == "rated":
        qs = qs.filter(stars__isnull=False)
    return qs.order_by("-stars", "name_folded", "id")


@dataclass
class DeletionPreview:
    """What deleting a product removes with it: its photos, and its producer when it makes nothing else."""

    product: Product
    photos: int
    producer_removed: bool


def product_deletion_preview(product: Product) -> DeletionPreview:
    return DeletionPreview(product=product, photos=product.photos.count(),
                           producer_removed=not product.producer.products.exclude(pk=product.pk).exists())


def product_certificate_status(product: Product, *, on: dt.date | None = None) -> CertificateStatus:
    return certificate_status(product.certificate_valid_until, today=on or clock.today())


@dataclass
class ProvinceExpiry:
    unit: AdminUnit
    products: list[Product] = field(default_factory=list)


def certificates_expiring_by_unit(*, user: Any, on: dt.date | None = None, within_days: int = EXPIRING_WITHIN_DAYS,
                                  include_expired: bool = False) -> list[ProvinceExpiry]:
    """Per unit, the visible products whose recognition ends within `within_days` (soonest first); with
    `include_expired`, also those already expired (for a unit's follow-up list)."""
    today = on or clock.today()
    cond = Q(certificate_valid_until__lt=today + dt.timedelta(days=within_days))
    if not include_expired:
        cond &= Q(certificate_valid_until__gte=today)
    qs = (Product.objects.filter(permissions.visible_q(user)).filter(cond)
          .select_related("unit", "producer").order_by("unit__code", "unit__valid_from", "certificate_valid_until", "name_folded"))
    groups: dict[int, ProvinceExpiry] = {}
    for product in qs:
        groups.setdefault(product.unit_id, ProvinceExpiry(product.unit)).products.append(product)
    return list(groups.values())


def units_with_products(*, user: Any) -> list[AdminUnit]:
    """Units that have at least one product the user may see (the catalogue's unit filter)."""
    ids = Product.objects.filter(permissions.visible_q(user)).values("unit_id")
    return list(AdminUnit.objects.filter(pk__in=ids).order_by("code", "valid_from"))


def search_document(product: Product) -> SearchDocument:
    """A product as the global search indexes it: public once published, else for its unit's people and the
    Ministry only (lienket.search's "unit" visibility)."""
    group = str(OcopGroup(product.ocop_group).label) if product.ocop_group else ""
    stars = f"OCOP {product.stars}★" if product.stars else ""
    body = " · ".join(x for x in (product.category, group, stars, product.producer.name, product.unit.name,
                                  product.description[:2000]) if x)
    return SearchDocument(
        kind="product", key=str(product.pk), title=product.name, body=body,
        url=reverse("products:detail", kwargs={"pk": product.pk}),
        visibility="public" if product.is_published else "unit",
        unit_id=product.unit_id, unit_key=product.unit.key, unit_name=product.unit.name,
    )


def search_documents() -> Iterator[SearchDocument]:
    """Every product, for `manage.py search_reindex` (settings.SEARCH_DOCUMENT_SOURCES)."""
    for product in Product.objects.select_related("unit", "producer").order_by("id").iterator(chunk_size=1000):
        yield search_document(product)
