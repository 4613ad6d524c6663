from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("profile/", views.profile, name="profile"),
]
