from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic.base import TemplateResponseMixin
from django.views.generic.edit import FormMixin

from esar.core import thaidate
from esar.core.errors import Invalid


class ThaiDateInput(forms.TextInput):
    """A text box that shows a date the way Thai officials type it: 16/5/2569 (Buddhist era)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # No browser date picker: it would show and expect Common-era years.
        defaults = {"inputmode": "numeric", "autocomplete": "off", "placeholder": _("d/m/yyyy")}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return thaidate.format_input_date(value)
        return super().format_value(value)


class ThaiDateField(forms.Field):
    """A date typed as day/month/year in the Buddhist era (16/5/2569) or as ISO (2026-05-16)."""

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a date. Write day/month/year in the Buddhist era, for example "
            "16/5/2569."
        ),
    }

    def prepare_value(self, value: Any) -> Any:
        # What the page shows back: the initial date, or exactly what was typed when it was wrong.
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return thaidate.format_input_date(value)
        return value

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            return thaidate.parse_date(text)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:40]}
            ) from None


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Object"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = ThaiDateField(label=_("From (d/m/yyyy)"), required=False)
    date_to = ThaiDateField(label=_("To (d/m/yyyy)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from esar.core.audit_labels import ACTION_LABELS

        super().__init__(*args, **kwargs)
        # The kinds of event by their names in words, alphabetically in the reader's language.
        kinds = sorted(
            ((key, str(label)) for key, label in ACTION_LABELS.items()), key=lambda c: c[1]
        )
        # A choice field declared above (the stubs type `fields` as plain Field).
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("Every kind of event")),
            *kinds,
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


if TYPE_CHECKING:
    _FormView = FormMixin[Any]
else:
    _FormView = FormMixin  # generic only to the type checker


class RefusedFormStatus(TemplateResponseMixin, _FormView):
    """For Django's form views (log-in, passwords): a form drawn again with its errors answers 422,
    the same as every other page of the site (`esar.core.errors.form_status`)."""

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=Invalid.status)
