from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The username or password is incorrect. Both are case-sensitive."),
        "inactive": _("This account has been disabled. Contact your supervising office."),
    }
