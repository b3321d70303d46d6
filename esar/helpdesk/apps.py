from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "esar.helpdesk"
    label = "helpdesk"
    verbose_name = _("Helpdesk")

    def ready(self) -> None:
        from esar.core import audit_labels
        from esar.helpdesk.models import ReportCategory

        # The audit log spells these coded values out in words.
        audit_labels.register_choices(ReportCategory)
