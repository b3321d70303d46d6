from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SarConfig(AppConfig):
    name = "esar.sar"
    label = "sar"
    verbose_name = _("Self-assessment reports")

    def ready(self) -> None:
        from esar.core import audit_labels
        from esar.sar.models import AttachmentKind

        # The audit log spells these coded values out in words.
        audit_labels.register_choices(AttachmentKind)
