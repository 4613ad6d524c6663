from django.urls import path

from .views import calendar, network, programmes

app_name = "cooperation"
urlpatterns = [
    path("", programmes.programme_list, name="programme_list"),
    path("moi/", programmes.programme_create, name="programme_create"),
    path("<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("<int:pk>/sua/", programmes.programme_edit, name="programme_edit"),
    path("<int:pk>/trang-thai/", programmes.programme_status, name="programme_status"),
    path("<int:pk>/hoat-dong/moi/", programmes.activity_create, name="activity_create"),
    path("<int:pk>/hoat-dong/<int:aid>/sua/", programmes.activity_edit, name="activity_edit"),
    path("<int:pk>/hoat-dong/<int:aid>/xoa/", programmes.activity_delete, name="activity_delete"),
    path("<int:pk>/tai-lieu/", programmes.document_add, name="document_add"),
    path("<int:pk>/tai-lieu/<int:did>/", programmes.document_file, name="document_file"),
    path("<int:pk>/tai-lieu/<int:did>/xoa/", programmes.document_remove, name="document_remove"),
    path("lich/", calendar.calendar_page, name="calendar"),
    path("lich.ics", calendar.calendar_ics, name="calendar_ics"),
    path("mang-luoi/", network.network_page, name="network"),
]
