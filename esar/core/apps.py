from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "esar.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The kernel's own page in the menu; who reads the audit is answered by accounts.
        from esar.core import access, sections

        sections.register_menu_entry(
            _("Audit log"),
            "core:audit_log",
            section="audit",
            menu="more",
            order=90,
            when=lambda user: access.allows(user, access.AUDIT_VIEW),
        )
