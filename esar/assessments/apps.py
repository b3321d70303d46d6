from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "esar.assessments"
    label = "assessments"
    verbose_name = _("External assessments")

    def ready(self) -> None:
        from esar.accounts.permissions import Perm, has_perm
        from esar.assessments import forms
        from esar.assessments import pages as assessment_pages
        from esar.core import sections
        from esar.cycles import pages as year_pages
        from esar.organizations import pages as registry_pages

        # The registry's and the years' pages show the target group, which they may not import.
        registry_pages.use_institution_list_form(forms.TargetGroupFilterForm)
        registry_pages.add_institution_section(assessment_pages.institution_section)
        year_pages.add_year_section(assessment_pages.year_section)

        sections.register_menu_entry(
            _("Import external assessments"),
            "assessments:import",
            section="assessments",
            menu="more",
            order=50,
            when=lambda user: has_perm(user, Perm.ASSESSMENTS_IMPORT),
        )
