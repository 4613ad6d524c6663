from django.urls import path

from .excel import views as excel
from .views import catalogue, entry, targets, workflow

app_name = "reporting"
urlpatterns = [
    path("", catalogue.home, name="home"),
    path("indicators/", catalogue.indicator_list, name="indicator_list"),
    path("datasets/", catalogue.dataset_list, name="dataset_list"),
    path("datasets/<str:code>/", catalogue.dataset_detail, name="dataset_detail"),
    path("form/<str:dataset_code>/<str:unit_key>/<str:period>/", entry.entry_open, name="entry_open"),
    path("submissions/", workflow.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", entry.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/values/", entry.values_save, name="values_save"),
    path("submissions/<int:pk>/history/<str:indicator>/", entry.value_history, name="value_history"),
    path("submissions/<int:pk>/transition/", workflow.submission_transition, name="submission_transition"),
    path("completeness/<str:dataset_code>/<str:period>/", workflow.completeness_view, name="completeness"),
    path("targets/", targets.targets, name="targets"),
    path("template.xlsx", excel.template_download, name="template_download"),
    path("workbook.xlsx", excel.workbook_download, name="workbook_download"),
    path("import/", excel.import_upload, name="import_upload"),
    path("import/<int:pk>/", excel.import_detail, name="import_detail"),
    path("import/<int:pk>/apply/", excel.import_apply, name="import_apply"),
]
