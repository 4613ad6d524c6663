"""The XLSX import page: upload, dry run or real run; every problem listed with its cell; nothing half-written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lienket.core.errors import ApplicationError, PermissionDenied
from lienket.reporting.excel.mapping import max_upload_bytes

from .. import permissions
from ..exports import XLSX_CONTENT_TYPE, import_template_xlsx
from ..forms import ImportForm
from ..importing import COLUMNS, products_import
from .common import refusals_as_pages


def _refuse_unless_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_some_unit(request.user):
        raise PermissionDenied(_("Only province officers and directors and the Ministry's coordinator can import products."))


@login_required
@require_http_methods(["GET", "POST"])
@refusals_as_pages
def import_upload(request: HttpRequest) -> HttpResponse:
    _refuse_unless_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"dry_run": True})
    result, error, status = None, "", 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            error, status = _("The file is larger than %(mb)s MB.") % {"mb": max_upload_bytes() // (1024 * 1024)}, 422
        else:
            try:
                result = products_import(actor=request.user, data=upload.read(), filename=upload.name,
                                         dry_run=bool(form.cleaned_data.get("dry_run")))
            except PermissionDenied:
                raise
            except ApplicationError as exc:
                error, status = exc.message, 422
            else:
                status = 422 if result.errors else 200
    elif request.method == "POST":
        error, status = _("Choose an Excel file (.xlsx) to upload."), 422
    return render(request, "products/import.html", {
        "form": form, "result": result, "error": error, "columns": COLUMNS, "max_mb": max_upload_bytes() // (1024 * 1024),
    }, status=status)


@login_required
@require_GET
@refusals_as_pages
def import_template(request: HttpRequest) -> HttpResponse:
    _refuse_unless_manager(request)
    response = HttpResponse(import_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-san-pham.xlsx"'
    return response
