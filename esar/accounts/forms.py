from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from esar.accounts import onetime
from esar.accounts.services import POLICY_DAYS_MAX, POLICY_DAYS_MIN


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is incorrect. Both are case-sensitive."),
        "inactive": _("This account has been disabled. Contact your supervising office."),
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            # The right one-time password, but used already or expired: say so (never shown for a
            # wrong password, so it tells nothing to someone guessing).
            refusal = getattr(self.request, onetime.REFUSAL_ATTR, None)
            if refusal is None:
                raise
            raise ValidationError(
                onetime.refusal_message(refusal), code=f"one_time_{refusal}"
            ) from None


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what Form.clean returns (the stubs say it may be None)
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            self.add_error(
                "new_password1",
                ValidationError(
                    _("Choose a new password: it must differ from the current one."),
                    code="password_unchanged",
                ),
            )
        return cleaned


class AccountSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=150)

    def filters(self) -> dict[str, str]:
        if self.is_valid() and self.cleaned_data["q"]:
            return {"q": self.cleaned_data["q"]}
        return {}


class PolicyForm(forms.Form):
    initial_password_days = forms.IntegerField(
        label=_("Days an issued or reset one-time password stays valid"),
        min_value=POLICY_DAYS_MIN,
        max_value=POLICY_DAYS_MAX,
        help_text=_(
            "Counted from when it is issued. Changing it applies to passwords issued from now on."
        ),
    )
    require_second_factor = forms.BooleanField(
        label=_(
            "Require a second factor (a code from an authenticator app) for DLA administrators, "
            "DLA analysts and province supervisors"
        ),
        required=False,
    )


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=7,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
