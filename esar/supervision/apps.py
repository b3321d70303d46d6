from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "esar.supervision"
    label = "supervision"
    verbose_name = _("Supervision visits")

    def ready(self) -> None:
        # Supervisors plan visits from the top bar; LAOs and schools read theirs under "More".
        from esar.accounts.permissions import is_delivery_account, role_of
        from esar.accounts.roles import Role
        from esar.core import sections

        sections.register_menu_entry(
            _("Supervision visits"),
            "supervision:list",
            section="supervision",
            order=70,
            when=lambda user: (
                role_of(user) in (Role.DLA_ADMIN, Role.DLA_ANALYST, Role.PROVINCE_SUPERVISOR)
            ),
        )
        sections.register_menu_entry(
            _("Supervision visits"),
            "supervision:list",
            section="supervision",
            menu="more",
            order=60,
            when=lambda user: (
                role_of(user) in (Role.LAO_OFFICER, Role.SCHOOL_OFFICER)
                and not is_delivery_account(user)
            ),
        )
