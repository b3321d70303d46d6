"""The second factor (TOTP codes from an authenticator app, through django-otp).

DLA may require it for the roles that see many organisations (DLA administrators and analysts,
province supervisors). When the policy is off, or for any other role, nothing asks for it.
A user proves it once per session after the password; `request.user.is_verified()` (set by
django-otp's middleware) tells whether they did.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts.models import AccountPolicy, User
from esar.accounts.permissions import role_of
from esar.accounts.roles import Role
from esar.accounts.types import RequestUser

SECOND_FACTOR_ROLES = frozenset({Role.DLA_ADMIN, Role.DLA_ANALYST, Role.PROVINCE_SUPERVISOR})
DEVICE_NAME = "e-SAR"
# Cached on the request: the gate and the views ask more than once per request.
_POLICY_ATTR = "_esar_account_policy"


def policy_for(request: HttpRequest | None = None) -> AccountPolicy:
    cached = getattr(request, _POLICY_ATTR, None) if request is not None else None
    if cached is None:
        cached = AccountPolicy.current()
        if request is not None:
            setattr(request, _POLICY_ATTR, cached)
    return cached


def role_requires(user: RequestUser) -> bool:
    """The role is one the policy can ask a second factor of (no query)."""
    return role_of(user) in SECOND_FACTOR_ROLES


def required_for(user: RequestUser, request: HttpRequest | None = None) -> bool:
    """A second factor is asked of this user now (their role, and DLA's policy is on)."""
    return role_requires(user) and policy_for(request).require_second_factor


def confirmed_device(user: User) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-created_at").first()
    )


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up: the same secret until it is confirmed, so that a
    reloaded page shows the code the phone already scanned."""
    device = (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-created_at").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def verify(device: TOTPDevice, token: str) -> bool:
    """Check a code; django-otp throttles repeated failures (1, 2, 4 … seconds) on the device."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        verified = locked.verify_token(token)
    if verified:
        device.refresh_from_db()
    return verified


def is_throttled(device: TOTPDevice) -> bool:
    allowed, _data = device.verify_is_allowed()
    return not allowed


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no style: CSP allows it)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, light="#fff", title=DEVICE_NAME, svgclass="esar-qr"
    )
