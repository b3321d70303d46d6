"""Forms of the helpdesk pages. They only read fields; the rules are the services', so a page and
any other caller are checked the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from esar.helpdesk import services
from esar.helpdesk.models import ReportCategory, ReportStatus


def _control(widget: forms.Widget) -> forms.Widget:
    widget.attrs.setdefault("class", "form-control")
    return widget


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of problem?"),
        choices=ReportCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of problem it is.")},
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=services.DESCRIPTION_MAX,
        help_text=_(
            "What you did, what you expected and what e-SAR showed instead (copy any error "
            "message). Do not write passwords."
        ),
        widget=_control(forms.Textarea(attrs={"rows": 6})),
        error_messages={
            "required": _("Describe the problem: what you did and what happened."),
        },
    )
    page_url = forms.CharField(
        label=_("Page where it happened"),
        required=False,
        max_length=services.PAGE_URL_MAX,
        help_text=_("Filled in when you come from the page; for example /sar/12/."),
        widget=_control(forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})),
    )
    page_title = forms.CharField(
        required=False, max_length=services.PAGE_TITLE_MAX, widget=forms.HiddenInput
    )

    def clean_page_url(self) -> str:
        value = self.cleaned_data.get("page_url", "").strip()
        if value and services.local_path(value) is None:
            raise forms.ValidationError(
                _("The page must be an address of e-SAR starting with “/”, for example /sar/12/.")
            )
        return value


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)
    message = forms.CharField(
        label=_("Message to the LAO"),
        required=False,
        max_length=services.MESSAGE_MAX,
        help_text=_("What was done, or what the LAO should do next. The LAO sees it."),
        widget=_control(forms.Textarea(attrs={"rows": 3})),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, current: str, choices: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = [current, *choices]
        labels = dict(ReportStatus.choices)
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, _("%(status)s (unchanged)") % {"status": labels[value]})
            if value == current
            else (value, labels[value])
            for value in offered
        ]
        self.fields["status"].widget.attrs["class"] = "form-select"


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("The person or team that handles e-SAR problem reports."),
        widget=_control(forms.TextInput()),
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=64, widget=_control(forms.TextInput())
    )
    email = forms.CharField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("New reports are e-mailed to this address."),
        widget=_control(forms.EmailInput()),
    )
    notes = forms.CharField(
        label=_("Office hours and notes"),
        required=False,
        max_length=2000,
        widget=_control(forms.Textarea(attrs={"rows": 3})),
    )
    # The version the editor saw (empty: no contact was set): a save in between is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ReportStatus.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ReportCategory.choices],
    )
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, provinces: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            ("", _("All provinces")),
            *((p.code, p.name) for p in provinces),
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
