from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from esar.organizations import filters
from esar.organizations.models import (
    EducationLevel,
    Institution,
    InstitutionKind,
    LaoType,
    Province,
)


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

    def narrow(self, institutions: QuerySet[Institution]) -> QuerySet[Institution]:
        """The institutions the list shows for the filters chosen."""
        values: dict[str, Any] = self.filters()
        return filters.filter_institutions(institutions, **values)

    def list_context(self) -> dict[str, Any]:
        """What the list's template shows besides the rows and the form: nothing more here."""
        return {}
