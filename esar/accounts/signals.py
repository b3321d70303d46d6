"""Log-in events go to the audit log through Django's own authentication signals."""

from __future__ import annotations

import time

from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from esar.accounts import lockout, onetime
from esar.accounts.middleware import IDLE_KEY
from esar.core import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    audit.record(
        action="account.logged_in", actor=user, obj=user, ip_address=audit.client_ip(request)
    )
    # A log-in with a one-time password: every page leads to choosing one's own password.
    if request is not None and hasattr(request, "session") and onetime.has_pending(user):
        request.session[onetime.MUST_CHANGE_SESSION_KEY] = True
    if request is not None and hasattr(request, "session"):
        # The idle clock starts at the log-in, written with the new session.
        request.session[IDLE_KEY] = int(time.time())
    # The failures of this username from this address end with a success there (AXES_RESET_ON_
    # SUCCESS is off), unless the success came from a device that signed in before: a colleague
    # behind the same NAT guessing this account stays locked out.
    address = audit.client_ip(request)
    if address and not lockout.known_device(request, user.get_username()):
        axes_reset(ip=address, username=user.get_username())


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(
            action="account.logged_out", actor=user, obj=user, ip_address=audit.client_ip(request)
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit.record(
        action="account.login_failed",
        data={"username": str(credentials.get("username", ""))[:150]},
        ip_address=audit.client_ip(request),
    )
    lockout.record_failure(request, credentials.get("username"))
