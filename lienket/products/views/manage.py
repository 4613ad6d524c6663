"""Pages for the managers of a unit's products: create, edit, delete, add and remove photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lienket.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from lienket.regions.models import AdminUnit

from .. import images, permissions, selectors, services
from ..forms import PhotoForm, ProductForm
from .common import refusals_as_pages


def _form_errors(form: ProductForm, exc: ApplicationError) -> None:
    errors = (exc.details or {}).get("errors") if isinstance(exc.details, dict) else None
    placed = False
    for e in errors or []:
        if e.get("field") in form.fields:
            form.add_error(e["field"], e["message"])
            placed = True
    if not placed:
        field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
        form.add_error(field if field in form.fields else None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_some_unit(request.user):
        raise PermissionDenied(_("Only province officers and directors and the Ministry's coordinator can add products."))
    units = permissions.managed_units(request.user).order_by("code", "valid_from")
    posted_unit = request.POST.get("unit", "") if request.method == "POST" else ""
    if posted_unit.isdigit() and not units.filter(pk=int(posted_unit)).exists():
        unit = AdminUnit.objects.filter(pk=int(posted_unit)).first()
        if unit is not None:  # a unit that exists but is not theirs: a refusal, not a form error
            raise PermissionDenied(_("Only %(unit)s's officers, its director and the Ministry's coordinator can add its "
                                     "products.") % {"unit": unit.name})
    form = ProductForm(request.POST or None, units=units, initial={"is_published": True})
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(actor=request.user, data=form.to_input())
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The product was saved."))
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/form.html", {"form": form, "product": None}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = permissions.product_get_for_manager(id=pk, user=request.user)
    units = permissions.managed_units(request.user).filter(pk=product.unit_id)
    form = ProductForm(request.POST or None, units=units, initial=ProductForm.initial_of(product))
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(actor=request.user, product_id=product.pk, data=form.to_input(),
                                    version=form.cleaned_data.get("version") or product.version)
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The product was saved."))
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/form.html", {"form": form, "product": product, "photo_form": PhotoForm(),
                                                  "photos": list(product.photos.all())},
                  status=422 if form.errors else 200)


def _version(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation step (what will be deleted); POST: delete the version that was confirmed."""
    product = permissions.product_get_for_manager(id=pk, user=request.user)
    if request.method == "POST":
        services.product_delete(actor=request.user, product_id=product.pk, version=_version(request.POST.get("version")))
        messages.success(request, _("The product “%(name)s” was deleted.") % {"name": product.name})
        return redirect("products:catalogue")
    return render(request, "products/delete.html", {"preview": selectors.product_deletion_preview(product),
                                                    "product": product})


@login_required
@require_POST
@refusals_as_pages
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = permissions.product_get_for_manager(id=pk, user=request.user)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationFailed(_("Choose a photo to upload."), {"field": "photo"})
    upload = form.cleaned_data["photo"]
    try:
        too_large = images.size_refusal(size=upload.size, filename=upload.name)
        if too_large is not None:  # never read an oversized upload into memory
            raise too_large
        services.product_photo_add(actor=request.user, product_id=product.pk, data=upload.read(), filename=upload.name,
                                   alt_text=form.cleaned_data.get("alt_text") or "")
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The photo was added."))
    return redirect("products:edit", pk=product.pk)


@login_required
@require_POST
@refusals_as_pages
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.photo_get_for_user(id=pk, user=request.user)
    services.product_photo_delete(actor=request.user, photo_id=item.pk)
    messages.success(request, _("The photo was removed."))
    return redirect("products:edit", pk=item.product_id)
