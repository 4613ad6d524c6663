"""/audit/ — the audit trail page (namespace "audit"). Kept with the view and the role logic it depends on."""

from django.urls import path

from .views import audit_list

app_name = "audit"
urlpatterns = [
    path("", audit_list, name="list"),
]
