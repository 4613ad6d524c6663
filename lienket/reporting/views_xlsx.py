"""Excel views (placeholder; being written)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("…")


template_download = workbook_download = import_upload = import_detail = import_apply = _todo
