from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "esar.helpdesk"
    label = "helpdesk"
    verbose_name = _("Helpdesk")

    def ready(self) -> None:
        from esar.accounts.permissions import Perm, has_perm
        from esar.core import audit_labels, sections
        from esar.helpdesk.models import ReportCategory

        # The audit log spells these coded values out in words.
        audit_labels.register_choices(ReportCategory)

        sections.register_menu_entry(
            _("Helpdesk reports"),
            "helpdesk:list",
            section="helpdesk",
            order=50,
            when=lambda user: has_perm(user, Perm.HELPDESK_HANDLE),
        )
        sections.register_menu_entry(
            _("e-SAR problem reports"),
            "helpdesk:list",
            section="helpdesk",
            menu="more",
            order=70,
            when=lambda user: has_perm(user, Perm.HELPDESK_REPORT),
        )
        sections.register_menu_entry(
            _("Helpdesk contact"),
            "helpdesk:contact",
            section="helpdesk",
            menu="more",
            order=80,
            when=lambda user: has_perm(user, Perm.HELPDESK_CONTACT_EDIT),
        )
