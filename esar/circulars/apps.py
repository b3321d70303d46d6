from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularsConfig(AppConfig):
    name = "esar.circulars"
    label = "circulars"
    verbose_name = _("Circulars")
