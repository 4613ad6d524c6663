"""The public catalogue: list with filters and search, a product's page, its photos, the XLSX export and the list
of certificates that are expiring, per province."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lienket.core import clock
from lienket.core.errors import NotFound

from .. import permissions, selectors
from ..codes import ErrorCode
from ..exports import XLSX_CONTENT_TYPE, products_xlsx
from ..forms import CatalogueFilterForm
from ..models import Product
from ..ocop import EXPIRING_WITHIN_DAYS, SOURCE
from .common import PAGE_SIZE, refusals_as_pages

EXPORT_LIMIT = 10_000


def _filtered(request: HttpRequest) -> tuple[CatalogueFilterForm, Any]:
    form = CatalogueFilterForm(request.GET or None, units=selectors.units_with_products(user=request.user))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        qs = selectors.product_search(user=request.user, q=d.get("q") or "", units=[d["unit"]] if d.get("unit") else None,
                                      group=d.get("group") or "", stars=d.get("stars"), certificate=d.get("certificate") or "")
    elif form.is_bound:
        qs = Product.objects.none()
    else:
        qs = selectors.product_search(user=request.user)
    return form, qs


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = Paginator(qs.prefetch_related("photos"), PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    cards = [(p, selectors.product_certificate_status(p, on=today)) for p in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "products/catalogue.html", {
        "form": form, "page": page, "cards": cards, "count": page.paginator.count, "query": query.urlencode(),
        "can_manage": permissions.can_manage_some_unit(request.user), "source": SOURCE,
    })


@require_GET
@refusals_as_pages
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = permissions.product_get_for_user(id=pk, user=request.user)
    today = clock.today()
    return render(request, "products/detail.html", {
        "product": product, "photos": list(product.photos.all()), "status": selectors.product_certificate_status(product, on=today),
        "show_contact": permissions.can_see_contact(request.user, product),
        "can_manage": permissions.can_manage_product(request.user, product), "source": SOURCE,
        "days_left": (product.certificate_valid_until - today).days if product.certificate_valid_until else None,
    })


@require_GET
@refusals_as_pages
def photo(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    """A stored photo (or its thumbnail), read through default_storage: served only when its product is visible."""
    item = permissions.photo_get_for_user(id=pk, user=request.user)
    if size not in ("full", "thumb"):
        raise NotFound(_("No such photo size."), code=ErrorCode.PHOTO_NOT_FOUND)
    name = item.image if size == "full" else item.thumbnail
    if not default_storage.exists(name):
        raise NotFound(_("Photo %(id)s does not exist.") % {"id": pk}, code=ErrorCode.PHOTO_NOT_FOUND)
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600" if not item.product.is_published else "public, max-age=86400"
    return response


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The catalogue as filtered, as XLSX (every cell through lienket.core.xlsx_safe)."""
    _form, qs = _filtered(request)
    today = clock.today()
    data = products_xlsx(qs[:EXPORT_LIMIT], today=today, contact_visible=lambda p: permissions.can_see_contact(request.user, p))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="san-pham-{today:%Y%m%d}.xlsx"'
    return response


@require_GET
def expiring(request: HttpRequest) -> HttpResponse:
    """Per province, the recognitions that end within 90 days (and, for the units one manages, those that ended)."""
    today = clock.today()
    groups = selectors.certificates_expiring_by_unit(user=request.user, on=today,
                                                     include_expired=request.GET.get("expired") == "1")
    rows = [(g, [(p, (p.certificate_valid_until - today).days if p.certificate_valid_until else None) for p in g.products])
            for g in groups]
    return render(request, "products/expiring.html", {
        "rows": rows, "within": EXPIRING_WITHIN_DAYS, "today": today, "include_expired": request.GET.get("expired") == "1",
        "until": today + dt.timedelta(days=EXPIRING_WITHIN_DAYS - 1), "can_manage": permissions.can_manage_some_unit(request.user),
    })
