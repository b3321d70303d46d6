from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "esar.assessments"
    label = "assessments"
    verbose_name = _("External assessments")

    def ready(self) -> None:
        from esar.accounts.permissions import Perm, has_perm
        from esar.core import sections

        sections.register_menu_entry(
            _("Import external assessments"),
            "assessments:import",
            section="assessments",
            menu="more",
            order=50,
            when=lambda user: has_perm(user, Perm.ASSESSMENTS_IMPORT),
        )
