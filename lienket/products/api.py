"""/api/v1/products — the catalogue (public reads) and writes for the unit's managers. Thin: the same selectors,
permissions and services as the HTML pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from lienket.core import clock
from lienket.core.api import ERRORS, authenticated, id_path, limit_param, offset_param
from lienket.core.errors import ValidationFailed
from lienket.core.text import nfc
from lienket.regions.keys import unit_key_resolve

from . import permissions, selectors, services
from .codes import ErrorCode
from .models import Product
from .ocop import OcopGroup
from .schemas import ProductIn, ProductOut, ProductPageOut, ProductUpdateIn
from .values import ProductInput

router = Router(tags=["products"])


def _unit(key: str, *, field: str = "unit") -> Any:
    try:
        unit = unit_key_resolve(nfc(key), on=clock.today())
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, {"field": field}, code=ErrorCode.UNKNOWN_UNIT) from None
    if unit is None:
        raise ValidationFailed(_("No province or city has the key “%(key)s” today.") % {"key": key[:30]}, {"field": field},
                               code=ErrorCode.UNKNOWN_UNIT)
    return unit


def _out(p: Product, user: Any) -> dict[str, Any]:
    show = permissions.can_see_contact(user, p)
    return {
        "id": p.pk, "name": p.name, "unit": {"code": p.unit.code, "key": p.unit.key, "name": p.unit.name},
        "producer": {"name": p.producer.name, "address": p.producer.address if show else None,
                     "contact": p.producer.contact if show else None},
        "category": p.category, "description": p.description, "ocop_group": p.ocop_group,
        "ocop_group_label": str(OcopGroup(p.ocop_group).label) if p.ocop_group else "", "stars": p.stars, "score": p.score,
        "decision_number": p.decision_number, "decision_date": p.decision_date, "decision_issuer": p.decision_issuer,
        "certificate_valid_until": p.certificate_valid_until,
        "certificate_status": str(selectors.product_certificate_status(p)), "is_published": p.is_published,
        "is_sample": p.is_sample, "photos": [reverse("products:photo", kwargs={"pk": ph.pk, "size": "full"}) for ph in p.photos.all()],
        "url": reverse("products:detail", kwargs={"pk": p.pk}), "version": p.version,
    }


def _input(body: ProductIn) -> ProductInput:
    return ProductInput(
        name=body.name, unit=_unit(body.unit), producer_name=body.producer_name, producer_address=body.producer_address,
        producer_contact=body.producer_contact, contact_public=body.contact_public, category=body.category,
        description=body.description, ocop_group=body.ocop_group, stars=body.stars, score=body.score,
        decision_number=body.decision_number, decision_date=body.decision_date, decision_issuer=body.decision_issuer,
        is_published=body.is_published,
    ).cleaned()


@router.get("", response={200: ProductPageOut, **ERRORS}, summary="List products")
def product_list(
    request: HttpRequest, q: str = Query("", max_length=200, description="Words to find, accents optional"),
    unit: str | None = Query(None, max_length=30, description="Unit key, e.g. 25 or 25@2025-07-01"),
    group: str | None = Query(None, max_length=30, description="OCOP group code"),
    stars: int | None = Query(None, ge=3, le=5), certificate: str | None = Query(
        None, max_length=10, description="valid, expiring, expired or rated"),
    limit: int = limit_param(50, 500), offset: int = offset_param(),
) -> Any:
    """Published products (and, for a unit's managers, its unpublished ones), filtered like the catalogue page."""
    if group and group not in OcopGroup.values:
        raise ValidationFailed(_("Unknown OCOP group “%(group)s”.") % {"group": group}, {"field": "group"}, code=ErrorCode.INVALID_GROUP)
    if certificate and certificate not in selectors.CERTIFICATE_FILTERS:
        raise ValidationFailed(_("certificate is one of: valid, expiring, expired, rated."), {"field": "certificate"})
    qs = selectors.product_search(user=request.user, q=q, units=[_unit(unit)] if unit else None, group=group or "",
                                  stars=stars, certificate=certificate or "").prefetch_related("photos")
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "products": [_out(p, request.user) for p in qs[offset:offset + limit]]}


@router.get("/{product_id}", response={200: ProductOut, **ERRORS}, summary="One product")
def product_detail(request: HttpRequest, product_id: int = id_path("Product id")) -> Any:
    return _out(permissions.product_get_for_user(id=product_id, user=request.user), request.user)


@router.post("", response={201: ProductOut, **ERRORS}, auth=authenticated, summary="Create a product")
def product_create(request: HttpRequest, body: ProductIn) -> Any:
    """For the unit's officers and director, the Ministry's coordinator and administrators. Stars must follow the
    score (3★ 50–69, 4★ 70–89, 5★ 90–100) and a rated product needs its group and certifying decision."""
    product = services.product_create(actor=request.user, data=_input(body))
    return Status(201, _out(product, request.user))


@router.put("/{product_id}", response={200: ProductOut, **ERRORS}, auth=authenticated, summary="Change a product")
def product_update(request: HttpRequest, body: ProductUpdateIn, product_id: int = id_path("Product id")) -> Any:
    """Replace a product's fields; `version` must be the one you read (409 otherwise). The unit cannot change."""
    product = services.product_update(actor=request.user, product_id=product_id, data=_input(body), version=body.version)
    product.refresh_from_db()
    return _out(Product.objects.select_related("unit", "producer").get(pk=product.pk), request.user)


@router.delete("/{product_id}", response={204: None, **ERRORS}, auth=authenticated, summary="Delete a product")
def product_delete(request: HttpRequest, product_id: int = id_path("Product id"),
                   version: int | None = Query(None, ge=1, le=2**31 - 1, description="The version you read")) -> Any:
    """Delete a product with its photos (and its producer when it makes nothing else). `version` must be the one
    you read: 409 if it changed, 422 `version_required` when missing."""
    services.product_delete(actor=request.user, product_id=product_id, version=version)
    return Status(204, None)
