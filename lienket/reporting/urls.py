from django.urls import path

from . import views, views_xlsx

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets/<str:code>/", views.dataset_detail, name="dataset_detail"),
    path("form/<str:dataset_code>/<str:unit_key>/<str:period>/", views.entry_open, name="entry_open"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/values/", views.values_save, name="values_save"),
    path("submissions/<int:pk>/history/<str:indicator>/", views.value_history, name="value_history"),
    path("submissions/<int:pk>/transition/", views.submission_transition, name="submission_transition"),
    path("completeness/<str:dataset_code>/<str:period>/", views.completeness_view, name="completeness"),
    path("targets/", views.targets, name="targets"),
    path("template.xlsx", views_xlsx.template_download, name="template_download"),
    path("workbook.xlsx", views_xlsx.workbook_download, name="workbook_download"),
    path("import/", views_xlsx.import_upload, name="import_upload"),
    path("import/<int:pk>/", views_xlsx.import_detail, name="import_detail"),
    path("import/<int:pk>/apply/", views_xlsx.import_apply, name="import_apply"),
]
