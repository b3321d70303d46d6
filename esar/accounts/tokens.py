"""Issuing, checking and revoking API tokens.

A token reads `esar_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole token
(compared in constant time) proves it. The token has 256 random bits, so a plain hash suffices.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from esar.accounts.models import TOKEN_PREFIX, ApiToken, User
from esar.core import audit

# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: ApiToken


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _split(token: str) -> tuple[str, str] | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not prefix or not secret:
        return None
    return prefix, secret


@transaction.atomic
def issue_token(*, user: User, ip_address: str | None = None) -> IssuedToken:
    """A new token for `user`, valid for ESAR_API_TOKEN_DAYS; the clear token is returned once."""
    key_prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{key_prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    record = ApiToken.objects.create(
        user=user,
        key_prefix=key_prefix,
        token_hash=_digest(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.ESAR_API_TOKEN_DAYS),
    )
    audit.record(
        action="api.token_issued",
        actor=user,
        obj=record,
        data={"expires_at": record.expires_at.isoformat()},
        ip_address=ip_address,
    )
    return IssuedToken(token=token, record=record)


@transaction.atomic
def revoke_token(*, record: ApiToken, actor: User, ip_address: str | None = None) -> bool:
    """Revoke a token; False when it was already revoked (a lost race changes nothing)."""
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=record.pk, revoked_at__isnull=True).update(revoked_at=now)
    if not changed:
        return False
    record.revoked_at = now
    audit.record(action="api.token_revoked", actor=actor, obj=record, ip_address=ip_address)
    return True


def end_tokens(*, users: QuerySet[User] | list[User] | User, now: datetime) -> int:
    """Revoke every live token of `users` (a new password, a revoked or re-issued account);
    how many. Not audited here: the caller's own event says it (`api_tokens_revoked`)."""
    owners = [users] if isinstance(users, User) else users
    return ApiToken.objects.filter(user__in=owners, revoked_at__isnull=True).update(revoked_at=now)


def authenticate_token(token: str) -> ApiToken | None:
    """The usable token record (with its user and membership), or None."""
    parts = _split(token)
    if parts is None:
        return None
    record = (
        # The one-time password too: an account still on one is refused (esar/api/auth.py).
        ApiToken.objects.select_related("user", "user__membership", "user__one_time_password")
        .filter(key_prefix=parts[0])
        .first()
    )
    if record is None or not hmac.compare_digest(record.token_hash, _digest(token)):
        return None
    now = timezone.now()
    if not record.is_usable(now):
        return None
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record
