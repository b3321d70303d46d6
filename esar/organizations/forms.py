from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from esar.core.tabular import Unreadable
from esar.organizations import filters
from esar.organizations.importing import file_format
from esar.organizations.models import (
    EducationLevel,
    Institution,
    InstitutionKind,
    LaoType,
    Province,
)

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise


class _FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(
        self, *args: Any, provinces: Iterable[Province] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if "province" in self.fields:
            choices: list[tuple[str, StrOrPromise]] = [("", _("All provinces"))]
            if provinces is not None:
                choices += [(p.code, p.name) for p in provinces]
            # A choice field declared by the subclass (the stubs type `fields` as plain Field).
            cast(forms.ChoiceField, self.fields["province"]).choices = choices

    def filters(self) -> dict[str, Any]:
        # The values filled in, as the filter functions' keywords (text here; a subclass adds others).
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

    def narrow(self, institutions: QuerySet[Institution]) -> QuerySet[Institution]:
        """The institutions the list shows for the filters chosen."""
        values: dict[str, Any] = self.filters()
        return filters.filter_institutions(institutions, **values)

    def list_context(self) -> dict[str, Any]:
        """What the list's template shows besides the rows and the form: nothing more here."""
        return {}


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
