from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "esar.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        # Monitoring follows the cycle through the services' announcements (esar.core.events):
        # the apps below it never call it.
        from esar.core import events
        from esar.monitoring import progress, tasks

        events.subscribe(events.HopsMoved, progress.follow_hops)
        events.subscribe(events.CountingChanged, tasks.follow_counting)
