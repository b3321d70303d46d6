from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from esar.api.urls import api
from esar.core import health

urlpatterns = [
    path("", include("esar.core.urls")),
    path("accounts/", include("esar.accounts.urls")),
    path("registry/", include("esar.organizations.urls")),
    path("api/v1/", api.urls),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
