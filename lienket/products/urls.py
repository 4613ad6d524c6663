from django.urls import path

from .views import catalogue, imports, manage

app_name = "products"
urlpatterns = [
    path("", catalogue.catalogue, name="catalogue"),
    path("xuat.xlsx", catalogue.export, name="export"),
    path("het-han/", catalogue.expiring, name="expiring"),
    path("moi/", manage.create, name="create"),
    path("nhap/", imports.import_upload, name="import"),
    path("nhap/mau.xlsx", imports.import_template, name="import_template"),
    path("<int:pk>/", catalogue.detail, name="detail"),
    path("<int:pk>/sua/", manage.edit, name="edit"),
    path("<int:pk>/xoa/", manage.delete, name="delete"),
    path("<int:pk>/anh/", manage.photo_add, name="photo_add"),
    path("anh/<int:pk>/xoa/", manage.photo_delete, name="photo_delete"),
    path("anh/<int:pk>/<str:size>/", catalogue.photo, name="photo"),
]
