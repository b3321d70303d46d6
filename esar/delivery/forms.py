"""Forms of the delivery pages: the filters of the lists, delivering, ONESQA's notes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear
from esar.delivery.services import NOTE_MAX_LENGTH
from esar.organizations.models import Province


class DeliveryFilterForm(forms.Form):
    """Year (all years when empty), province, LAO code and target group of the year."""

    year = forms.TypedChoiceField(label=_("Academic year"), coerce=int, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    lao = forms.CharField(label=_("LAO code"), required=False, max_length=7)
    target_group = forms.ChoiceField(
        label=_("Target group"),
        required=False,
        choices=[
            ("", _("All institutions")),
            ("yes", _("With SARs in the target group")),
            ("no", _("With SARs not in the target group")),
        ],
        help_text=_("Choose a year: a target group belongs to one year."),
    )

    def __init__(
        self,
        *args: Any,
        years: Iterable[AcademicYear],
        provinces: Iterable[Province] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = list(years)
        # Choice fields declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            ("", _("All years")),
            *((y.year, str(y.year)) for y in self.years),
        ]
        cast(forms.ChoiceField, self.fields["province"]).choices = [
            ("", _("All provinces")),
            *((p.code, p.name) for p in provinces),
        ]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments of `selectors.filter_deliveries`."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        year = next((y for y in self.years if y.year == data.get("year")), None)
        target = data.get("target_group")
        return {
            "year": year,
            "province": data.get("province") or None,
            "lao": (data.get("lao") or "").strip() or None,
            "target_group": None if not target else target == "yes",
        }


class DeliverForm(forms.Form):
    # What the page showed as waiting (services.Pending.key).
    expected = forms.CharField(widget=forms.HiddenInput, max_length=20_000)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note for the external assessment"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
