from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SynthesisConfig(AppConfig):
    name = "esar.synthesis"
    label = "synthesis"
    verbose_name = _("Syntheses of SARs")

    def ready(self) -> None:
        from esar.accounts.permissions import Perm, has_perm, role_of
        from esar.accounts.roles import Role
        from esar.core import sections

        sections.register_menu_entry(
            _("Synthesis"),
            "synthesis:index",
            section="synthesis",
            order=20,
            when=lambda user: has_perm(user, Perm.SYNTHESIS_WRITE),
        )
        # An LAO officer finds the syntheses under "Deliver to e-SAR" (the delivery app's entry).
        sections.register_menu_entry(
            _("Syntheses"),
            "synthesis:list",
            section="synthesis",
            order=30,
            when=lambda user: (
                has_perm(user, Perm.SYNTHESIS_VIEW)
                and not (role_of(user) is Role.LAO_OFFICER and has_perm(user, Perm.DELIVERY_VIEW))
            ),
        )
