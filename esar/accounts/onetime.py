"""One-time passwords: generated for an account by someone else (issuance, reset).

`generate_password` makes a high-entropy password that is easy to copy from paper; `hash_password`
stores it with the fast hasher for generated secrets; `issue` sets it on one account and records
the `OneTimePassword` row (bulk issuance builds the same rows with `bulk_create`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

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
    actor: Any,
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
