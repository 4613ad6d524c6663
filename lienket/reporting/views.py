"""HTML views (placeholder; being written)."""

from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("…")


home = indicator_list = dataset_list = dataset_detail = entry_open = submission_list = submission_detail = _todo
values_save = value_history = submission_transition = completeness_view = targets = _todo
