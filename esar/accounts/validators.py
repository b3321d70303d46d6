"""Django's password validators, with their messages in e-SAR's own catalogue.

Django's Thai catalogue leaves these messages untranslated, so the password page and the API
would refuse a password in English. The rules are Django's; only the words are ours (the same
English, extracted into locale/th with every other message).
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("The password is too similar to the %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Your password must not be too similar to your other personal information.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is too common.")

    def get_help_text(self) -> str:
        return _("Your password must not be a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password is entirely numeric.")

    def get_help_text(self) -> str:
        return _("Your password must not be entirely numeric.")
