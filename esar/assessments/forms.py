"""The forms of external assessments: the file of an import."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from esar.assessments.importing import file_format
from esar.organizations.forms import ImportForm


class AssessmentImportForm(ImportForm):
    """A file of external assessments (the import page and POST /api/v1/imports/assessments)."""

    file = forms.FileField(
        label=_("File of external assessments (.xlsx or .csv)"),
        help_text=_("Excel workbook or CSV file (UTF-8 or Thai Windows)."),
    )

    def check_format(self, upload: UploadedFile) -> None:
        file_format(upload)
