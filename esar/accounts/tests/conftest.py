from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts import onetime
from esar.accounts.models import AccountPolicy, OneTimePassword, User


def login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def form_error_codes(response) -> set[str]:
    form = response.context["form"]
    return {error.code for errors in form.errors.as_data().values() for error in errors}


def issue(user: User, actor: User, reason=OneTimePassword.Reason.ISSUED) -> str:
    return onetime.issue(user=user, actor=actor, reason=reason)


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def set_policy(*, second_factor: bool = False, days: int = 14) -> None:
    AccountPolicy.objects.update_or_create(
        pk=1, defaults={"require_second_factor": second_factor, "initial_password_days": days}
    )


@pytest.fixture
def second_factor_on(world) -> None:
    set_policy(second_factor=True)
