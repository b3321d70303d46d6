"""One-time passwords: generated for an account by someone else (issuance, reset).

`generate_password` makes a high-entropy password that is easy to copy from paper; `hash_password`
stores it with the fast hasher for generated secrets; `issue` sets it on one account and records
the `OneTimePassword` row (bulk issuance builds the same rows with `bulk_create`).
`check_at_login` applies the rules of a log-in with one (once, before it expires).
"""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts.models import AccountPolicy, OneTimePassword, User

# No 0/O, 1/l/I, 5/S or 2/Z: officers type these from a printed letter.
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRTUVWXY346789"
GROUPS, GROUP_LENGTH = 4, 5  # 20 characters from 52: about 114 bits


def generate_password() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


def hash_password(password: str) -> str:
    return make_password(password, hasher="pbkdf2_sha256_generated")


def expiry_from(issued_at: dt.datetime, policy: AccountPolicy | None = None) -> dt.datetime:
    policy = policy or AccountPolicy.current()
    return issued_at + dt.timedelta(days=policy.initial_password_days)


def issue(
    *,
    user: User,
    actor: User | None,  # None: issued by the system, recorded without an issuer
    reason: OneTimePassword.Reason | str,
    now: dt.datetime | None = None,
) -> str:
    """Give `user` a new one-time password (returned in clear, once); the old password stops."""
    now = now or timezone.now()
    password = generate_password()
    with transaction.atomic():
        user.password = hash_password(password)
        user.save(update_fields=["password"])
        OneTimePassword.objects.update_or_create(
            user=user,
            defaults={
                "reason": reason,
                "issued_by": actor if getattr(actor, "pk", None) else None,
                "issued_at": now,
                "expires_at": expiry_from(now),
                "used_at": None,
                "replaced_at": None,
            },
        )
    return password


# --- At log-in ----------------------------------------------------------------------------------

# Set on the request by the authentication backend when a right one-time password is refused, so
# that the log-in form and the token endpoint can say why instead of "wrong password".
REFUSAL_ATTR = "esar_one_time_refusal"
# Set in the session of a log-in made with a one-time password: every page leads to the change.
MUST_CHANGE_SESSION_KEY = "esar_must_change_password"


class Refusal(StrEnum):
    EXPIRED = "expired"
    USED = "used"
    # The API: an account still on a one-time password must first choose its own
    # (POST /api/v1/auth/password, or the web page).
    CHANGE_FIRST = "change_first"


def refusal_message(refusal: Refusal | str) -> str:
    refusal = Refusal(refusal)
    if refusal is Refusal.EXPIRED:
        return _(
            "This one-time password has expired: it was not used in time. Ask the office that "
            "gave it to you (your province office, your local authority or DLA) for a new one."
        )
    if refusal is Refusal.USED:
        return _(
            "This one-time password has already been used to log in and works only once. Ask "
            "the office that gave it to you (your province office, your local authority or DLA) "
            "for a new one."
        )
    return _(
        "This account still has a one-time password: choose your own password first with "
        "POST /api/v1/auth/password (or by logging in on the e-SAR website), then request a token."
    )


def check_at_login(
    user: User, *, consume: bool = True, now: dt.datetime | None = None
) -> Refusal | None:
    """Whether a log-in whose password was right may go on (None) or why not.

    Without a pending one-time password nothing changes. With one, the first log-in before its
    expiry `consume`s it (sets used_at, once even under concurrent log-ins); later log-ins and
    log-ins after expiry are refused. The API never consumes it (`consume=False`).
    """
    now = now or timezone.now()
    row = (
        OneTimePassword.objects.filter(user=user, replaced_at__isnull=True)
        .only("pk", "expires_at", "used_at")
        .first()
    )
    if row is None:
        return None
    if row.expires_at <= now:
        return Refusal.EXPIRED
    if row.used_at is not None:
        return Refusal.USED
    if not consume:
        return Refusal.CHANGE_FIRST
    consumed = OneTimePassword.objects.filter(
        pk=row.pk, used_at__isnull=True, replaced_at__isnull=True
    ).update(used_at=now)
    return None if consumed else Refusal.USED


def has_pending(user: User, *, loaded: bool = False) -> bool:
    """The account still runs on a password someone else set.

    `loaded`: the user came with `select_related("one_time_password")`, so no query is needed.
    """
    if not getattr(user, "pk", None):
        return False
    if loaded:
        try:
            return user.one_time_password.is_pending
        except OneTimePassword.DoesNotExist:
            return False
    return OneTimePassword.objects.filter(user_id=user.pk, replaced_at__isnull=True).exists()


def mark_replaced(user: User, now: dt.datetime | None = None) -> bool:
    """The owner chose their own password: the pending one-time password is over."""
    return bool(
        OneTimePassword.objects.filter(user=user, replaced_at__isnull=True).update(
            replaced_at=now or timezone.now()
        )
    )
