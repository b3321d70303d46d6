from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SarConfig(AppConfig):
    name = "esar.sar"
    label = "sar"
    verbose_name = _("Self-assessment reports")
