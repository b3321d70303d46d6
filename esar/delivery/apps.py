from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    # The architecture calls this room "esar"; the project package already has that name.
    name = "esar.delivery"
    label = "delivery"
    verbose_name = _("Deliveries into e-SAR")

    def ready(self) -> None:
        from esar.core import audit_labels
        from esar.delivery.models import Channel, IssuanceBatch

        # The audit log spells these coded values out in words.
        audit_labels.register_choices(IssuanceBatch.Scope, Channel)

        # The services start the tasks by name (esar.delivery.jobs): register them in every
        # process, not only in a worker that autodiscovers them.
        from esar.delivery import tasks  # noqa: F401
