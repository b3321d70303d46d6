from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from esar.api.urls import api
from esar.core import health
from esar.core import views as core_views

urlpatterns = [
    path("", include("esar.front.urls")),
    path("", include("esar.core.urls")),
    path("accounts/", include("esar.accounts.urls")),
    path("registry/", include("esar.organizations.urls")),
    path("standards/", include("esar.standards.urls")),
    path("years/", include("esar.cycles.urls")),
    path("assessments/", include("esar.assessments.urls")),
    path("sar/", include("esar.sar.urls")),
    path("synthesis/", include("esar.synthesis.urls")),
    path("esar/", include("esar.delivery.urls")),
    path("helpdesk/", include("esar.helpdesk.urls")),
    path("monitoring/", include("esar.monitoring.urls")),
    path("supervision/", include("esar.supervision.urls")),
    path("circulars/", include("esar.circulars.urls")),
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico before they read the page's icon link.
    path("favicon.ico", core_views.favicon),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
