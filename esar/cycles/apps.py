from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "esar.cycles"
    label = "cycles"
    verbose_name = _("Academic years")

    def ready(self) -> None:
        from esar.accounts.permissions import is_delivery_account
        from esar.core import sections

        sections.register_menu_entry(
            _("Academic years"),
            "cycles:list",
            section="years",
            menu="more",
            order=30,
            when=lambda user: not is_delivery_account(user),
        )
