"""Forms of the circulars pages. They read fields; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from esar.accounts.roles import Role
from esar.circulars import services
from esar.circulars.models import CircularStatus
from esar.core.forms import ThaiDateField
from esar.organizations.models import Province


def _control(widget: forms.Widget, css: str = "form-control") -> forms.Widget:
    widget.attrs.setdefault("class", css)
    return widget


class CircularForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=services.NUMBER_MAX,
        help_text=_("As printed on the letter, for example มท 0816.4/ว 1234."),
        widget=_control(forms.TextInput(attrs={"autocomplete": "off"})),
    )
    issued_on = ThaiDateField(label=_("Date"))
    title = forms.CharField(
        label=_("Title"), max_length=services.TITLE_MAX, widget=_control(forms.TextInput())
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=services.BODY_MAX,
        help_text=_("Plain text; line breaks are kept."),
        widget=_control(forms.Textarea(attrs={"rows": 12})),
    )
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces"),
        queryset=Province.objects.order_by("name_th"),
        required=False,
        help_text=_("Leave empty to send it to the whole country."),
        widget=_control(forms.SelectMultiple(attrs={"size": 10}), "form-select"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Meant for"),
        choices=Role.choices,
        required=False,
        help_text=_("Leave all unticked for every role."),
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].widget.attrs.setdefault("class", "form-control")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "number": data["number"],
            "title": data["title"],
            "issued_on": data["issued_on"],
            "body": data["body"],
            "provinces": [province.pk for province in data["provinces"]],
            "roles": data["roles"],
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx) or Excel (.xlsx)."),
        widget=_control(forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"})),
    )


class ListFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Number or title"),
        required=False,
        max_length=100,
        widget=_control(forms.TextInput(attrs={"type": "search"})),
    )
    year = forms.IntegerField(
        label=_("Year (B.E.)"),
        required=False,
        min_value=2500,
        max_value=2700,
        widget=_control(forms.NumberInput()),
    )
    unread = forms.BooleanField(
        label=_("Unread only"),
        required=False,
        widget=_control(forms.CheckboxInput(), "form-check-input"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *CircularStatus.choices],
        widget=_control(forms.Select(), "form-select"),
    )

    def __init__(self, *args: Any, show_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_status:
            del self.fields["status"]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "year": data.get("year"),
            "unread": True if data.get("unread") else None,
            "status": data.get("status") or None,
        }
