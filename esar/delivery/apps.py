from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    # The architecture calls this room "esar"; the project package already has that name.
    name = "esar.delivery"
    label = "delivery"
    verbose_name = _("Deliveries into e-SAR")
