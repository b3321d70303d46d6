from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from esar.core.forms import ThaiDateField
from esar.cycles.models import AcademicYear
from esar.cycles.services import DATE_FIELDS, EDITED_MEANWHILE, check_dates

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise


def _label(name: str) -> StrOrPromise:
    # A concrete field of AcademicYear (get_field may also answer a relation, which has no label).
    return cast("Field[Any, Any]", AcademicYear._meta.get_field(name)).verbose_name


class AcademicYearForm(forms.Form):
    """The dates and rules of a year. Checks across fields are the service's, so nothing differs
    between this page and any other caller."""

    semester1_start = ThaiDateField(label=_label("semester1_start"))
    sar_due = ThaiDateField(label=_label("sar_due"))
    review_due = ThaiDateField(label=_label("review_due"))
    synthesis_due = ThaiDateField(label=_label("synthesis_due"))
    delivery_due = ThaiDateField(label=_label("delivery_due"))
    target_group_years = forms.IntegerField(
        label=_label("target_group_years"),
        min_value=1,
        max_value=20,
        help_text=AcademicYear._meta.get_field("target_group_years").help_text,
    )
    upload_limit_mb = forms.IntegerField(
        label=_label("upload_limit_mb"), min_value=1, max_value=2048
    )
    is_open = forms.BooleanField(
        label=_label("is_open"),
        required=False,
        help_text=AcademicYear._meta.get_field("is_open").help_text,
    )

    date_fields = DATE_FIELDS

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        if any(name in self.errors for name in DATE_FIELDS):
            # The service is not reached while a date is unreadable; say now what else is wrong
            # with the order of the others, by the service's own rule.
            try:
                check_dates(None, {name: cleaned.get(name) for name in DATE_FIELDS})
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    self.add_error(name, messages)
        return cleaned


class CreateYearForm(AcademicYearForm):
    year = forms.IntegerField(
        label=_("Academic year (B.E.)"),
        help_text=_("In the Buddhist era, for example 2569."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    field_order = ["year"]


class EditYearForm(AcademicYearForm):
    # The version the editor saw: a save by someone else in between is refused, not overwritten.
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_version(self) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(self.cleaned_data["version"])
        except ValueError:
            raise forms.ValidationError(EDITED_MEANWHILE) from None

    @staticmethod
    def version_of(year: AcademicYear) -> str:
        return year.updated_at.isoformat()


class YearFilterForm(forms.Form):
    """The filter of a list that shows one academic year (the current one unless another is
    chosen) and, for users who see several, one province."""

    year = forms.TypedChoiceField(label=_("Academic year"), coerce=int, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(
        self,
        *args: Any,
        years: Iterable[AcademicYear],
        default_year: AcademicYear | None,
        provinces: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.default_year = default_year
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (y.year, str(y.year)) for y in self.years
        ]
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            ("", _("All provinces")),
            *((p.code, p.name) for p in provinces),
        ]

    @classmethod
    def for_list(cls, params: Any, *, provinces: Iterable[Any]) -> Self:
        """The form bound to a list's query string, with the current year when none is given."""
        from esar.cycles import selectors

        years = list(selectors.all_years())
        default_year = selectors.current_of(years) or (years[0] if years else None)
        data = params.copy()
        if default_year is not None and not data.get("year"):
            data["year"] = str(default_year.year)
        return cls(data, years=years, default_year=default_year, provinces=provinces)

    @property
    def chosen_year(self) -> AcademicYear | None:
        chosen = self.cleaned_data.get("year") if self.is_bound and self.is_valid() else None
        found = next((y for y in self.years if y.year == chosen), None)
        return found or self.default_year
