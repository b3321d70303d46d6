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

        # The dashboards for DLA and province supervisors (a supervisor lands on their
        # province's); the reminders' settings for who manages the years.
        from esar.accounts.permissions import Perm, has_perm, role_of
        from esar.accounts.roles import Role
        from esar.core import sections

        sections.register_menu_entry(
            _("Dashboard"),
            "monitoring:national",
            section="dashboards",
            order=60,
            when=lambda user: (
                role_of(user) in (Role.DLA_ADMIN, Role.DLA_ANALYST, Role.PROVINCE_SUPERVISOR)
            ),
        )
        sections.register_menu_entry(
            _("Reminders"),
            "monitoring:reminder_settings",
            section="reminders",
            menu="more",
            order=130,
            when=lambda user: has_perm(user, Perm.YEARS_MANAGE),
        )
