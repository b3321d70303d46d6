"""Who a run of wrong passwords locks out.

django-axes counts failed sign-ins per username AND client address (the address as
`esar.core.audit.client_ip` reads it, trusting X-Forwarded-For only behind
ESAR_TRUSTED_PROXIES proxies) and refuses that pair for ESAR_LOGIN_LOCKOUT_MINUTES after
ESAR_LOGIN_FAILURE_LIMIT failures, the right password included.

Everyone behind one office NAT shares an address, so that count alone would let anyone there
lock a colleague out by typing the colleague's username. Hence a browser (or API script) that
has signed in to an account carries a **device key** for it (cookie `esar_device`; the token
endpoint's `device` field). Attempts with a valid key skip the address count (axes' whitelist
callable `from_known_device`) and are counted on the key instead: after the same number of
failures the key stops counting as known and its attempts fall back to the address count. A
known device's success leaves the address count alone, so the guesser stays locked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from axes.helpers import get_client_username
from django.conf import settings
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from esar.accounts.models import LoginDevice, User

COOKIE_NAME = "esar_device"
# Accounts one browser remembers (a computer shared in an office).
MAX_KEYS = 5
# Devices remembered per account (computers, phones, scripts).
MAX_DEVICES = 20
# The API sets this on the request (a list of keys) so that cookies are not read there.
REQUEST_KEYS_ATTR = "esar_device_keys"
_CACHE_ATTR = "_esar_known_devices"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _keys(request: HttpRequest) -> list[str]:
    explicit = getattr(request, REQUEST_KEYS_ATTR, None)
    if explicit is not None:
        keys = list(explicit)
    else:
        keys = getattr(request, "COOKIES", {}).get(COOKIE_NAME, "").split(".")
    return [key for key in keys if 0 < len(key) <= 100][:MAX_KEYS]


def _oldest_use() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.ESAR_LOGIN_DEVICE_DAYS)


def known_device(request: HttpRequest | None, username: str | None) -> LoginDevice | None:
    """The device key the request carries for `username`, if it is still good: used to sign in
    to that account within ESAR_LOGIN_DEVICE_DAYS and fewer failures since than the limit.
    Decided once per request, so that axes and the counters below agree."""
    if request is None or not username:
        return None
    cache: dict[str, LoginDevice | None] = getattr(request, _CACHE_ATTR, None) or {}
    if username not in cache:
        keys = _keys(request)
        cache[username] = (
            LoginDevice.objects.filter(
                key_hash__in=[_hash(key) for key in keys],
                user__username=username,
                last_used_at__gte=_oldest_use(),
                failures__lt=settings.AXES_FAILURE_LIMIT,
            ).first()
            if keys
            else None
        )
        setattr(request, _CACHE_ATTR, cache)
    return cache[username]


def from_known_device(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: this attempt is not counted per address."""
    return known_device(request, get_client_username(request, credentials)) is not None


def record_failure(request: HttpRequest | None, username: str | None) -> None:
    """A wrong password (or code) sent with a known device key counts on that key."""
    device = known_device(request, username)
    if device is not None:
        LoginDevice.objects.filter(pk=device.pk).update(failures=F("failures") + 1)


def remember(request: HttpRequest, user: User) -> str:
    """After a successful sign-in: the key of this device for `user` (a new one the first time),
    its failures cleared. Returns the key to hand back (cookie or API answer)."""
    now = timezone.now()
    device = known_device(request, user.get_username())
    if device is not None:
        hashes = {_hash(key): key for key in _keys(request)}
        LoginDevice.objects.filter(pk=device.pk).update(last_used_at=now, failures=0)
        return hashes[device.key_hash]
    LoginDevice.objects.filter(user=user, last_used_at__lt=_oldest_use()).delete()
    LoginDevice.objects.filter(user=user, failures__gte=settings.AXES_FAILURE_LIMIT).delete()
    key = secrets.token_urlsafe(32)
    LoginDevice.objects.create(user=user, key_hash=_hash(key), created_at=now, last_used_at=now)
    # A script that never sends its key back would add one a token: keep the latest ones.
    stale = LoginDevice.objects.filter(user=user).order_by("-last_used_at", "-pk")[MAX_DEVICES:]
    LoginDevice.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return key


def set_cookie(request: HttpRequest, response: HttpResponse, key: str) -> None:
    """Keep `key` first in the browser's device cookie (with up to MAX_KEYS - 1 others)."""
    others = [k for k in request.COOKIES.get(COOKIE_NAME, "").split(".") if k and k != key]
    response.set_cookie(
        COOKIE_NAME,
        ".".join([key, *others][:MAX_KEYS]),
        max_age=settings.ESAR_LOGIN_DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
