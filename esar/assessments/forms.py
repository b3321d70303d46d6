"""The forms of this app: the institution list's filter with the target group of a year, and the
file of an assessment import.

The target-group filter:

The registry's list (`esar.organizations.views.institution_list`) uses it once this app hands it
in (`apps.py`): the registry sits below the years and ONESQA's history and may not import them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from esar.assessments.filters import filter_institutions, target_group_year
from esar.assessments.importing import file_format
from esar.assessments.selectors import with_target_group
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear
from esar.organizations.forms import ImportForm, InstitutionFilterForm
from esar.organizations.models import Institution


class TargetGroupFilterForm(InstitutionFilterForm):
    year = forms.TypedChoiceField(
        label=_("Academic year"), required=False, coerce=int, empty_value=None
    )
    target_group = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        choices=[
            ("", _("All institutions")),
            ("yes", _("In the target group")),
            ("no", _("Not in the target group")),
        ],
    )

    def __init__(
        self, *args: Any, years: Iterable[AcademicYear] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = list(cycles.all_years() if years is None else years)
        if not self.years:
            # No academic year is set up: there is no target group to filter by.
            del self.fields["year"], self.fields["target_group"]
            return
        current = target_group_year(None, self.years)
        blank = (
            _("Current year (%(year)s)") % {"year": current.year} if current else _("Choose a year")
        )
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            ("", blank),
            *((y.year, str(y.year)) for y in self.years),
        ]

    @property
    def target_year(self) -> AcademicYear | None:
        """The year whose target group the list shows: the one chosen, else the current one."""
        if not self.years:
            return None
        chosen = self.cleaned_data.get("year") if self.is_bound and self.is_valid() else None
        return target_group_year(chosen, self.years)

    def filters(self) -> dict[str, Any]:
        values: dict[str, Any] = super().filters()
        values.pop("year", None)
        target_group = values.pop("target_group", None)
        if target_group:
            values["target_group"] = target_group == "yes"
            values["year"] = self.target_year
        return values

    def narrow(self, institutions: QuerySet[Institution]) -> QuerySet[Institution]:
        institutions = filter_institutions(institutions, **self.filters())
        target_year = self.target_year
        if target_year is not None:
            # The badge of each row comes from the same query, not one query per row.
            institutions = with_target_group(institutions, target_year)
        return institutions

    def list_context(self) -> dict[str, Any]:
        # The list shows a target-group column for this year.
        return {"target_year": self.target_year}


class AssessmentImportForm(ImportForm):
    """A file of external assessments (the import page and POST /api/v1/imports/assessments)."""

    file = forms.FileField(
        label=_("File of external assessments (.xlsx or .csv)"),
        help_text=_("Excel workbook or CSV file (UTF-8 or Thai Windows)."),
    )

    def check_format(self, upload: UploadedFile) -> None:
        file_format(upload)
