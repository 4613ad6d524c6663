from django.urls import path

from . import dashboards, views

app_name = "analytics"
urlpatterns = [
    path("", views.pivot, name="pivot"),
    path("dashboard/", dashboards.overview, name="overview"),
    path("unit/<str:key>/", dashboards.unit_page, name="unit"),
    path("rankings/", dashboards.rankings, name="rankings"),
    path("map/", dashboards.map_view, name="map"),
]
