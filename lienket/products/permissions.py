"""Who may do what with products — the one home of these rules (views, API and services call it).

* Everyone (anonymous too) sees published products, and a producer's contact when the producer chose to publish it.
* Province officers and directors manage their own unit's products (and producers) only; the Ministry coordinator
  and administrators manage every unit's. Managers also see their unpublished products and every contact.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from lienket.core.errors import NotFound, PermissionDenied
from lienket.regions.models import AdminUnit
from lienket.users.models import Role
from lienket.users.permissions import can_act_for_unit, is_coordinator, province_units

from .codes import ErrorCode
from .models import Product, ProductPhoto

MANAGER_ROLES = (Role.PROVINCE_OFFICER, Role.PROVINCE_DIRECTOR, Role.MINISTRY_COORDINATOR, Role.ADMIN)


def can_manage_unit(user: Any, unit: AdminUnit | int | None) -> bool:
    """May the user create, change and import products of `unit`?"""
    return can_act_for_unit(user, unit, MANAGER_ROLES)


def can_manage_some_unit(user: Any) -> bool:
    """Does the user manage the products of at least one unit (the "new product" and "import" pages)?"""
    return is_coordinator(user) or province_units(user).exists()


def managed_units(user: Any) -> Any:
    """The units whose products the user manages (every province for the coordinator and admin)."""
    if is_coordinator(user):
        return AdminUnit.objects.provinces()
    return province_units(user)


def can_manage_product(user: Any, product: Product) -> bool:
    return can_manage_unit(user, product.unit_id)


def visible_q(user: Any) -> Q:
    """The products `user` may see: the published ones and those of the units they manage."""
    if is_coordinator(user):
        return Q()
    units = [u.pk for u in province_units(user)]
    return Q(is_published=True) | Q(unit_id__in=units) if units else Q(is_published=True)


def can_see_product(user: Any, product: Product) -> bool:
    return product.is_published or can_manage_product(user, product)


def can_see_contact(user: Any, product: Product) -> bool:
    return product.producer.contact_public or can_manage_product(user, product)


def product_get_for_user(*, id: int, user: Any) -> Product:
    """A product the user may see; NotFound otherwise (an unpublished product of another unit does not exist for
    them)."""
    product = Product.objects.select_related("unit", "producer").filter(pk=id).first()
    if product is None or not can_see_product(user, product):
        raise NotFound(_("Product %(id)s does not exist.") % {"id": id}, {"product": id}, code=ErrorCode.PRODUCT_NOT_FOUND)
    return product


def product_get_for_manager(*, id: int, user: Any) -> Product:
    """A product the user may change; NotFound when they may not see it, PermissionDenied when they see it but
    manage another unit."""
    product = product_get_for_user(id=id, user=user)
    if not can_manage_product(user, product):
        raise PermissionDenied(_("Only %(unit)s's officers, its director and the Ministry's coordinator can change its "
                                 "products.") % {"unit": product.unit.name})
    return product


def photo_get_for_user(*, id: int, user: Any) -> ProductPhoto:
    photo = ProductPhoto.objects.select_related("product", "product__unit").filter(pk=id).first()
    if photo is None or not can_see_product(user, photo.product):
        raise NotFound(_("Photo %(id)s does not exist.") % {"id": id}, {"photo": id}, code=ErrorCode.PHOTO_NOT_FOUND)
    return photo
