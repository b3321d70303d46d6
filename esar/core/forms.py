from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Object"), required=False, max_length=200)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From (YYYY-MM-DD)"), required=False)
    date_to = forms.DateField(label=_("To (YYYY-MM-DD)"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
