from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from esar.core.text import normalize_text
from esar.organizations.models import EducationLevel
from esar.standards import importing, services

QUALITY_LEVEL_FIELDS = [f"level_{rank}" for rank in range(1, 6)]


class NewVersionForm(forms.Form):
    education_level = forms.ChoiceField(
        label=_("Education level"), choices=[("", "---------"), *EducationLevel.choices]
    )
    version = forms.IntegerField(
        label=_("Version (B.E. year of the announcement)"),
        min_value=services.YEAR_MIN,
        max_value=services.YEAR_MAX,
        help_text=_("For example 2568. Each level has one set of each version."),
    )
    effective_from_year = forms.IntegerField(
        label=_("In force from academic year (B.E.)"),
        min_value=services.YEAR_MIN,
        max_value=services.YEAR_MAX,
        help_text=_(
            "Reports of this academic year and later use the new set; earlier years keep theirs."
        ),
    )
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=255)
    name_en = forms.CharField(label=_("Name (English)"), max_length=255, required=False)
    source_th = forms.CharField(
        label=_("Source"),
        max_length=255,
        required=False,
        help_text=_("The announcement that set these standards."),
    )
    file = forms.FileField(
        label=_("Standards and items (.xlsx or .csv)"),
        help_text=_("One row per item, with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for rank, (name_th, _name_en) in enumerate(services.default_levels(), start=1):
            self.fields[f"level_{rank}"] = forms.CharField(
                label=gettext("Level %(rank)s") % {"rank": rank},
                max_length=100,
                initial=name_th,
            )
        self.fields["level_1"].help_text = gettext("The lowest level.")
        self.fields["level_5"].help_text = gettext("The highest level.")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def _clean_text(self, name: str) -> str:
        return normalize_text(self.cleaned_data.get(name))

    def clean_name_th(self) -> str:
        value = self._clean_text("name_th")
        if not value:
            raise forms.ValidationError(gettext("A name in Thai is required."))
        return value

    def clean_name_en(self) -> str:
        return self._clean_text("name_en")

    def clean_source_th(self) -> str:
        return self._clean_text("source_th")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(limit)s MB.")
                % {"limit": importing.MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        for name in QUALITY_LEVEL_FIELDS:
            if name in cleaned:
                cleaned[name] = normalize_text(cleaned[name])
                if not cleaned[name]:
                    self.add_error(name, gettext("A name is required."))
        level, version = cleaned.get("education_level"), cleaned.get("version")
        if level and version and services.version_exists(level, version):
            self.add_error("version", services.duplicate_version_error(level, version))
        return cleaned

    def quality_levels(self) -> list[tuple[str, str]]:
        """(Thai, English) names, lowest first; a default name keeps its English name."""
        defaults = services.default_levels()
        levels = []
        for rank, name in enumerate(QUALITY_LEVEL_FIELDS):
            name_th = self.cleaned_data[name]
            default_th, default_en = defaults[rank]
            levels.append((name_th, default_en if name_th == default_th else ""))
        return levels
