from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from lienket.analytics import dashboards as analytics_dashboards
from lienket.core import views as core_views

from .api import api

admin.site.site_header = "LienKet"
admin.site.site_title = "LienKet"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/", core_views.healthz),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("accounts/", include("lienket.users.urls")),
    path("regions/", include("lienket.regions.urls")),
    path("audit/", include("lienket.users.urls_audit")),
    path("reporting/", include("lienket.reporting.urls")),
    path("san-pham/", include("lienket.products.urls")),
    path("tim-kiem/", include("lienket.search.urls")),
    path("thu-vien/", include("lienket.library.urls")),
    path("kien-nghi/", include("lienket.proposals.urls")),
    path("hop-tac/", include("lienket.cooperation.urls")),
    path("analytics/", include("lienket.analytics.urls")),
    path("thong-ke/", analytics_dashboards.public_statistics, name="public_statistics"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
