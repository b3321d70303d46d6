from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "esar.standards"
    label = "standards"
    verbose_name = _("Education standards")

    def ready(self) -> None:
        from esar.accounts.permissions import is_delivery_account
        from esar.core import sections

        sections.register_menu_entry(
            _("Education standards"),
            "standards:list",
            section="standards",
            menu="more",
            order=20,
            when=lambda user: not is_delivery_account(user),
        )
