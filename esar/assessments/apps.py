from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "esar.assessments"
    label = "assessments"
    verbose_name = _("External assessments")

    def ready(self) -> None:
        # The registry's and the years' pages show the target group, which they may not import.
        from esar.assessments import forms
        from esar.assessments import pages as assessment_pages
        from esar.cycles import pages as year_pages
        from esar.organizations import pages as registry_pages

        registry_pages.use_institution_list_form(forms.TargetGroupFilterForm)
        registry_pages.add_institution_section(assessment_pages.institution_section)
        year_pages.add_year_section(assessment_pages.year_section)
