"""Every write of the products domain: keyword-only, atomic, permission-checked, validated, audited.

Top-level services are `durable`: a product, its producer and their audit entries commit together or not at all.
Photos live in `default_storage`, which takes part in no transaction: they are validated before anything is
written, and files already saved are deleted again if the database write fails.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lienket.core import clock
from lienket.core.audit import audit_log, snapshot
from lienket.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lienket.core.text import fold, nfc
from lienket.search.services import search_index_remove, search_index_upsert

from . import images, permissions, selectors
from .codes import AuditAction, ErrorCode
from .models import Producer, Product, ProductPhoto
from .ocop import certificate_valid_until
from .selectors import search_text
from .values import ProductInput, product_problems

MAX_PHOTOS = 12
PRODUCT_FIELDS = ("name", "category", "description", "ocop_group", "stars", "score", "decision_number", "decision_date",
                  "decision_issuer", "is_published")


def _storage_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _refuse_unless_manager(actor: Any, unit: Any) -> None:
    if not permissions.can_manage_unit(actor, unit):
        name = getattr(unit, "name", "") or _("this unit")
        raise PermissionDenied(_("Only %(unit)s's officers, its director and the Ministry's coordinator can manage its "
                                 "products.") % {"unit": name})


def product_validate(data: ProductInput, *, today: dt.date | None = None) -> None:
    """ValidationFailed naming the first problem (all of them in details["errors"]), or nothing."""
    problems = product_problems(data.cleaned(), today=today or clock.today())
    if problems:
        first = problems[0]
        raise ValidationFailed(first["message"], {"field": first["field"], "errors": problems}, code=first["code"])


def producer_upsert(*, actor: Any, data: ProductInput, is_sample: bool = False) -> Producer:
    """The producer of `data.unit` named `data.producer_name` (accent-insensitively), created or brought up to date
    with the address and contact given (an empty one leaves the stored one)."""
    if data.unit is None:
        raise ValidationFailed(_("Choose the administrative unit of the product."), {"field": "unit"}, code=ErrorCode.UNIT_REQUIRED)
    producer = Producer.objects.select_for_update().filter(unit=data.unit, name_folded=fold(data.producer_name)).first()
    if producer is None:
        producer = Producer.objects.create(name=data.producer_name, unit=data.unit, address=data.producer_address,
                                           contact=data.producer_contact, contact_public=data.contact_public,
                                           is_sample=is_sample)
        audit_log(actor=actor, action=AuditAction.PRODUCER_CREATE, obj=producer, after=snapshot(producer))
        return producer
    before = snapshot(producer)
    changes = {"address": data.producer_address, "contact": data.producer_contact}
    for field, value in changes.items():
        if value:
            setattr(producer, field, value)
    producer.contact_public = data.contact_public
    after = snapshot(producer)
    if after != before:
        producer.save()
        audit_log(actor=actor, action=AuditAction.PRODUCER_UPDATE, obj=producer, before=before, after=snapshot(producer))
    return producer


def _producer_rename(*, actor: Any, data: ProductInput, product: Product) -> Producer | None:
    """Editing a product whose producer is named differently now: when that producer makes this product only and no
    other producer of the unit has the new name, it is the producer that was renamed — its row is updated (name,
    and the address and contact given), audited, and returned. Otherwise None: the product moves to the producer of
    that name (created when new) and the one it leaves is removed if it has nothing left (producer_remove_if_orphaned)."""
    producer = Producer.objects.select_for_update().filter(pk=product.producer_id).first()
    if producer is None or producer.name == data.producer_name or producer.unit_id != getattr(data.unit, "pk", None):
        return None
    if producer.products.exclude(pk=product.pk).exists():
        return None
    if Producer.objects.filter(unit=data.unit, name_folded=fold(data.producer_name)).exclude(pk=producer.pk).exists():
        return None
    before = snapshot(producer)
    producer.name = data.producer_name
    for field, value in {"address": data.producer_address, "contact": data.producer_contact}.items():
        if value:
            setattr(producer, field, value)
    producer.contact_public = data.contact_public
    producer.save()
    audit_log(actor=actor, action=AuditAction.PRODUCER_UPDATE, obj=producer, before=before, after=snapshot(producer))
    return producer


def producer_remove_if_orphaned(*, actor: Any, producer_id: int) -> bool:
    """Remove the producer if no product names it any more (audited); inside the caller's transaction, the row
    locked so a concurrent save cannot attach a product to it meanwhile. True when removed."""
    producer = Producer.objects.select_for_update().filter(pk=producer_id).first()
    if producer is None or producer.products.exists():
        return False
    audit_log(actor=actor, action=AuditAction.PRODUCER_DELETE, obj=producer, before=snapshot(producer))
    producer.delete()
    return True


def _apply(product: Product, data: ProductInput) -> None:
    for field in PRODUCT_FIELDS:
        setattr(product, field, getattr(data, field))
    product.certificate_valid_until = certificate_valid_until(data.decision_date) if data.stars and data.decision_date else None


def _duplicate(data: ProductInput) -> Conflict:
    return Conflict(_("%(producer)s already has a product named “%(name)s”.") % {"producer": data.producer_name, "name": data.name},
                    {"field": "name"}, code=ErrorCode.PRODUCT_EXISTS)


@transaction.atomic
def product_write(*, actor: Any, data: ProductInput, product: Product | None = None, is_sample: bool = False) -> Product:
    """Create (`product` None) or update a product from checked data; the common path of the form, the API and the
    import (which calls it inside its own transaction). Permission and validation are checked here too."""
    data.cleaned()
    _refuse_unless_manager(actor, data.unit)
    if product is not None and product.unit_id != getattr(data.unit, "pk", None):
        raise ValidationFailed(_("A product stays with its administrative unit; create it again under the other unit."),
                               {"field": "unit"}, code=ErrorCode.UNIT_REQUIRED)
    product_validate(data)
    previous_producer_id = product.producer_id if product is not None else None
    producer = None if product is None else _producer_rename(actor=actor, data=data, product=product)
    if producer is None:
        producer = producer_upsert(actor=actor, data=data, is_sample=is_sample)
    creating = product is None
    target = Product(unit=data.unit, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                     is_sample=is_sample) if product is None else product
    before = None if creating else snapshot(target)
    target.producer = producer
    _apply(target, data)
    target.search_folded = search_text(target)
    try:
        with transaction.atomic():
            if creating:
                target.save()
            else:
                target.version += 1
                target.save()
    except IntegrityError:
        raise _duplicate(data) from None
    audit_log(actor=actor, action=AuditAction.PRODUCT_CREATE if creating else AuditAction.PRODUCT_UPDATE, obj=target,
              before=before, after=snapshot(target))
    if previous_producer_id is not None and previous_producer_id != producer.pk:
        producer_remove_if_orphaned(actor=actor, producer_id=previous_producer_id)
    search_index_upsert(document=selectors.search_document(target))
    return target


@transaction.atomic(durable=True)
def product_create(*, actor: Any, data: ProductInput) -> Product:
    return product_write(actor=actor, data=data)


@transaction.atomic(durable=True)
def product_update(*, actor: Any, product_id: int, data: ProductInput, version: int) -> Product:
    """Change a product; `version` is the one the editor started from: if someone saved in between, 409 and nothing
    changes (the row is locked while it is checked)."""
    product = Product.objects.select_for_update().select_related("unit", "producer").filter(pk=product_id).first()
    if product is None or not permissions.can_see_product(actor, product):
        raise NotFound(_("Product %(id)s does not exist.") % {"id": product_id}, code=ErrorCode.PRODUCT_NOT_FOUND)
    _refuse_unless_manager(actor, product.unit)
    if product.version != version:
        raise Conflict(_("Someone else changed this product since you opened it (version %(now)s, yours %(yours)s). "
                         "Reload it and enter your changes again.") % {"now": product.version, "yours": version},
                       {"version": product.version}, code=ErrorCode.STALE_VERSION)
    return product_write(actor=actor, data=data, product=product)


@transaction.atomic(durable=True)
def product_delete(*, actor: Any, product_id: int, version: int | None) -> None:
    """Delete a product, its photos (files removed once committed) and its producer when it made nothing else.
    `version` is the one the user confirmed: if someone saved in between, 409 and nothing is deleted."""
    product = Product.objects.select_for_update().select_related("unit").filter(pk=product_id).first()
    if product is None or not permissions.can_see_product(actor, product):
        raise NotFound(_("Product %(id)s does not exist.") % {"id": product_id}, code=ErrorCode.PRODUCT_NOT_FOUND)
    _refuse_unless_manager(actor, product.unit)
    if version is None:
        raise ValidationFailed(_("Give the version of the product you are deleting (reload the page)."),
                               {"field": "version"}, code=ErrorCode.VERSION_REQUIRED)
    names = [n for p in product.photos.all() for n in (p.image, p.thumbnail)]
    before = snapshot(product)
    if not Product.objects.filter(pk=product.pk, version=version).delete()[0]:
        raise Conflict(_("Someone else changed this product since you opened it (version %(now)s, yours %(yours)s). "
                         "Reload it before deleting.") % {"now": product.version, "yours": version},
                       {"version": product.version}, code=ErrorCode.STALE_VERSION)
    audit_log(actor=actor, action=AuditAction.PRODUCT_DELETE, obj=product, before=before)
    producer_remove_if_orphaned(actor=actor, producer_id=product.producer_id)
    search_index_remove(kind="product", key=str(product.pk))
    transaction.on_commit(lambda: _storage_delete(names))


@transaction.atomic(durable=True)
def product_photo_add(*, actor: Any, product_id: int, data: bytes, filename: str, alt_text: str = "") -> ProductPhoto:
    """Validate the upload by its content (images.photo_prepare), store the re-encoded photo and its thumbnail through
    default_storage, record them. A refused upload stores nothing; a failed database write removes the files."""
    product = Product.objects.select_for_update().select_related("unit").filter(pk=product_id).first()
    if product is None or not permissions.can_see_product(actor, product):
        raise NotFound(_("Product %(id)s does not exist.") % {"id": product_id}, code=ErrorCode.PRODUCT_NOT_FOUND)
    _refuse_unless_manager(actor, product.unit)
    if product.photos.count() >= MAX_PHOTOS:
        raise ValidationFailed(_("A product has at most %(n)s photos; remove one first.") % {"n": MAX_PHOTOS},
                               {"field": "photo"}, code=ErrorCode.TOO_MANY_PHOTOS)
    prepared = images.photo_prepare(data=data, filename=filename)
    stem = f"products/{product.pk}/{uuid.uuid4().hex}"
    saved: list[str] = []
    try:
        saved.append(default_storage.save(f"{stem}.jpg", ContentFile(prepared.image)))
        saved.append(default_storage.save(f"{stem}-thumb.jpg", ContentFile(prepared.thumbnail)))
        with transaction.atomic():
            photo = ProductPhoto.objects.create(
                product=product, image=saved[0], thumbnail=saved[1], width=prepared.width, height=prepared.height,
                size=len(prepared.image), sha256=prepared.sha256, original_name=nfc(filename)[:255],
                alt_text=nfc(alt_text)[:200], sort_order=product.photos.count(),
            )
            audit_log(actor=actor, action=AuditAction.PRODUCT_PHOTO_ADD, obj=photo, object_repr=f"{product.name}: {photo.original_name}",
                      after=snapshot(photo))
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return photo


@transaction.atomic(durable=True)
def product_photo_delete(*, actor: Any, photo_id: int) -> None:
    photo = permissions.photo_get_for_user(id=photo_id, user=actor)
    _refuse_unless_manager(actor, photo.product.unit)
    names = [photo.image, photo.thumbnail]
    audit_log(actor=actor, action=AuditAction.PRODUCT_PHOTO_DELETE, obj=photo, before=snapshot(photo))
    photo.delete()
    transaction.on_commit(lambda: _storage_delete(names))
