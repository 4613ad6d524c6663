"""/audit/ — the audit trail page. The view lives with the role logic it depends on (lienket.users)."""

from django.urls import path

from lienket.users.views import audit_list

app_name = "audit"
urlpatterns = [
    path("", audit_list, name="list"),
]
