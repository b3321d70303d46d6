"""The LAO's synthesis forms: its summary, its issues for ONESQA, completing and reopening."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from esar.cycles.forms import YearFilterForm
from esar.synthesis.services import IssueInput

TEXT_LIMIT = 20_000


def _version() -> forms.IntegerField:
    return forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SummaryForm(forms.Form):
    version = _version()
    summary = forms.CharField(
        label=_("Overall summary of the LAO"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        help_text=_(
            "What the reports show across the LAO's institutions, and what the LAO will do."
        ),
    )


class IssueForm(forms.Form):
    """One issue for ONESQA: its text, the standards it is about, the institutions concerned."""

    text = forms.CharField(
        label=_("Issue for ONESQA"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    standards = forms.MultipleChoiceField(
        label=_("Standards"), required=False, widget=forms.CheckboxSelectMultiple
    )
    institutions = forms.MultipleChoiceField(
        label=_("Institutions (where it applies)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        standard_choices: list[tuple[int, str]],
        institution_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Choice fields, declared above (the stubs type `fields` as plain Field).
        cast(forms.MultipleChoiceField, self.fields["standards"]).choices = standard_choices
        cast(forms.MultipleChoiceField, self.fields["institutions"]).choices = institution_choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        if (data.get("text") or "").strip() and not data.get("standards"):
            self.add_error("standards", _("Tick at least one standard the issue is about."))
        return data

    def issue(self) -> IssueInput | None:
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            return None
        return IssueInput(
            text=text,
            standard_ids=[int(pk) for pk in self.cleaned_data.get("standards") or []],
            institution_ids=[int(pk) for pk in self.cleaned_data.get("institutions") or []],
        )


IssueFormSet: type[forms.BaseFormSet[IssueForm]] = forms.formset_factory(
    IssueForm, extra=2, max_num=100, validate_max=True
)


class ActionForm(forms.Form):
    version = _version()


class ReopenForm(forms.Form):
    version = _version()
    reason = forms.CharField(
        label=_("Why is the synthesis reopened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


STATUS_FILTERS = [
    ("", _("All")),
    ("none", _("Not started")),
    ("draft", _("Being written")),
    ("complete", _("Complete")),
]


class SynthesisFilterForm(YearFilterForm):
    field_order = ["q", "year", "province", "status"]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Synthesis"), required=False, choices=STATUS_FILTERS)
