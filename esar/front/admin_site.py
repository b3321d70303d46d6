from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from esar.accounts.permissions import Perm, has_perm


class EsarAdminSite(admin.AdminSite):
    """The Django admin, open only to DLA administrators (decided by role, not is_staff)."""

    site_header = _("e-SAR administration")
    site_title = _("e-SAR administration")
    index_title = _("Registry and accounts")

    def has_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.ADMIN_SITE)


class EsarAdminConfig(AdminConfig):
    default_site = "esar.front.admin_site.EsarAdminSite"
