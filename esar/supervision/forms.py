"""Forms of the supervision pages. They only read fields; the rules are the services', so a page
and the API are checked the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.core.forms import ThaiDateField
from esar.core.thaidate import be_year
from esar.supervision import services
from esar.supervision.models import FollowUpStatus

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise

# How many empty follow-up rows the form of a new visit offers (more can be added afterwards).
NEW_VISIT_FOLLOW_UPS = 3
YEARS_OFFERED = 10


def _control(widget: forms.Widget, css: str = "form-control") -> forms.Widget:
    widget.attrs.setdefault("class", css)
    return widget


def _textarea(rows: int) -> forms.Widget:
    return _control(forms.Textarea(attrs={"rows": rows}))


class VisitFieldsForm(forms.Form):
    visit_date = ThaiDateField(
        label=_("Date of the visit"),
        help_text=_("Day/month/year in the Buddhist era, for example 16/5/2569."),
        error_messages={"required": _("Give the date of the visit.")},
    )
    visitors = forms.CharField(
        label=_("Supervision team"),
        max_length=services.VISITORS_MAX,
        help_text=_("One person a line: name and position."),
        widget=_textarea(3),
        error_messages={"required": _("Name who visited: one person a line, with their position.")},
    )
    findings = forms.CharField(
        label=_("Findings"),
        max_length=services.TEXT_MAX,
        widget=_textarea(6),
        error_messages={"required": _("Write what the visit found.")},
    )
    recommendations = forms.CharField(
        label=_("Recommendations"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=_textarea(4),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit_date"].widget.attrs["class"] = "form-control"


class VisitForm(VisitFieldsForm):
    """A new visit: the LAO chosen from the province's list, or an institution by its code."""

    lao = forms.ChoiceField(
        label=_("Local authority visited"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the local authorities offered.")},
    )
    institution = forms.CharField(
        label=_("or institution visited (10-digit code)"),
        required=False,
        max_length=20,
        help_text=_(
            "To record a visit to a school or centre, type its Ministry of Education code; "
            "the local authority above may stay empty."
        ),
        widget=_control(forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})),
    )

    field_order = ["lao", "institution", "visit_date", "visitors", "findings", "recommendations"]

    def __init__(self, *args: Any, laos: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["lao"]).choices = [
            ("", _("— choose —")),
            *((lao.code, f"{lao.name} ({lao.code})") for lao in laos),
        ]
        self.fields["lao"].widget.attrs["class"] = "form-select"


class VisitEditForm(VisitFieldsForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class FollowUpForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        max_length=services.ACTION_MAX,
        widget=_textarea(2),
        error_messages={"required": _("Write the action to be taken.")},
    )
    responsible = forms.CharField(
        label=_("Responsible"),
        max_length=services.RESPONSIBLE_MAX,
        help_text=_("Who does it, for example the LAO's education division."),
        widget=_control(forms.TextInput()),
        error_messages={"required": _("Say who is responsible.")},
    )
    due_date = ThaiDateField(
        label=_("Due date"), error_messages={"required": _("Give the date the action is due.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_date"].widget.attrs["class"] = "form-control"


FollowUpFormSet = forms.formset_factory(
    FollowUpForm, extra=NEW_VISIT_FOLLOW_UPS, max_num=services.FOLLOW_UPS_MAX, validate_max=True
)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("How was it done?"),
        max_length=services.NOTE_MAX,
        widget=_textarea(2),
        error_messages={
            "required": _("Write what was done, for example the date of the LAO's report.")
        },
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Why reopen it?"),
        max_length=services.NOTE_MAX,
        widget=_textarea(2),
        error_messages={"required": _("Write why the action is not done after all.")},
    )


def _year_choices() -> list[tuple[str, StrOrPromise]]:
    this_year = be_year(timezone.localdate())
    return [("", _("All years"))] + [
        (str(year), str(year)) for year in range(this_year, this_year - YEARS_OFFERED, -1)
    ]


class _ProvinceFilter(forms.Form):
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


class VisitFilterForm(_ProvinceFilter):
    q = forms.CharField(label=_("Local authority or institution"), required=False, max_length=100)
    year = forms.TypedChoiceField(
        label=_("Year (B.E.)"), required=False, coerce=int, empty_value=None
    )
    date_from = ThaiDateField(label=_("From (d/m/yyyy)"), required=False)
    date_to = ThaiDateField(label=_("To (d/m/yyyy)"), required=False)

    field_order = ["q", "province", "year", "date_from", "date_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["year"]).choices = _year_choices()


class FollowUpFilterForm(_ProvinceFilter):
    q = forms.CharField(
        label=_("Local authority, institution or responsible"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (FollowUpStatus.OPEN, _("Open")),
            (FollowUpStatus.CLOSED, _("Closed")),
            ("all", _("All")),
        ],
    )
    overdue = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[("", _("Any due date")), ("yes", _("Overdue only"))],
    )

    field_order = ["q", "province", "status", "overdue"]

    def filters(self) -> dict[str, Any]:
        values = super().filters()
        values["status"] = values.get("status") or FollowUpStatus.OPEN
        values["overdue"] = True if values.pop("overdue", "") == "yes" else None
        return values
