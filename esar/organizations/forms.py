from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear
from esar.organizations.filters import target_group_year
from esar.organizations.importing import Unreadable, file_format
from esar.organizations.models import EducationLevel, InstitutionKind, LaoType, Province


class _FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args, provinces=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "province" in self.fields:
            choices = [("", _("All provinces"))]
            if provinces is not None:
                choices += [(p.code, p.name) for p in provinces]
            self.fields["province"].choices = choices

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class ProvinceFilterForm(_FilterForm):
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *Province.Region.choices],
    )


class LaoFilterForm(_FilterForm):
    province = forms.ChoiceField(label=_("Province"), required=False)
    lao_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *LaoType.choices]
    )


class InstitutionFilterForm(_FilterForm):
    province = forms.ChoiceField(label=_("Province"), required=False)
    lao = forms.CharField(label=_("LAO code"), required=False, max_length=7)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *InstitutionKind.choices]
    )
    level = forms.ChoiceField(
        label=_("Level taught"),
        required=False,
        choices=[("", _("All levels")), *EducationLevel.choices],
    )
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
        self.years = list(years or [])
        if not self.years:
            # No academic year is set up: there is no target group to filter by.
            del self.fields["year"], self.fields["target_group"]
            return
        current = target_group_year(None, self.years)
        blank = (
            _("Current year (%(year)s)") % {"year": current.year} if current else _("Choose a year")
        )
        self.fields["year"].choices = [("", blank), *((y.year, str(y.year)) for y in self.years)]

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


class ImportForm(forms.Form):
    """A registry file to import (the import page and POST /api/v1/imports/registry)."""

    file = forms.FileField(
        label=_("Registry file (.xlsx or .csv)"),
        help_text=_("Excel workbook or CSV file (UTF-8 or Thai Windows)."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: do not save anything"),
        required=False,
    )

    def check_format(self, upload: UploadedFile) -> None:
        """Refuse (Unreadable) a file that is no .xlsx workbook nor CSV text, from its first bytes."""
        file_format(upload)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.ESAR_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s). The limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        # A PDF or an image is refused here, before any job, rather than on the job's page.
        try:
            self.check_format(upload)
        except Unreadable as exc:
            raise forms.ValidationError(exc.error.reason) from None
        finally:
            upload.seek(0)
        return upload
