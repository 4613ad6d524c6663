from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("moi/", views.document_create, name="document_create"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/sua/", views.document_edit, name="document_edit"),
    path("<int:pk>/quan-he/", views.relation_add, name="relation_add"),
    path("<int:pk>/quan-he/<int:rid>/xoa/", views.relation_remove, name="relation_remove"),
]
