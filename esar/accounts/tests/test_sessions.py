"""Sessions end when idle, personal answers are never cached, passwords are long, production
insists on HTTPS, and the admin never shows an authenticator's secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts.models import User
from esar.testing.world import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_an_idle_session_ends_and_an_active_one_goes_on(client, world, settings):
    settings.ESAR_SESSION_IDLE_SECONDS = 30 * 60
    with time_machine.travel("2026-12-01 09:00 +07:00", tick=False) as clock:
        login(client, "cm.school")
        assert client.get(reverse("front:home")).status_code == 200
        clock.shift(25 * 60)
        assert client.get(reverse("front:home")).status_code == 200  # active: the clock restarts
        clock.shift(25 * 60)
        assert client.get(reverse("front:home")).status_code == 200
        clock.shift(31 * 60)
        response = client.get(reverse("front:home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "ไม่มีการใช้งานเป็นเวลานาน" in response.content.decode()
    # Signed out for good: the next page asks for a log-in too.
    assert client.get(reverse("front:home")).status_code == 302


def test_the_token_answer_and_signed_in_pages_are_not_stored(client, world):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "cm.school", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    login(client, "cm.school")
    assert "no-store" in client.get(reverse("front:home"))["Cache-Control"]


def test_a_password_of_eleven_characters_is_refused(client, world):
    login(client, "cm.school")
    short = "kp7-wq2-zx9"  # 11 characters
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": short, "new_password2": short},
    )
    assert response.status_code == 422
    assert "12" in response.content.decode()
    assert User.objects.get(username="cm.school").check_password(PASSWORD)
    good = "kp7-wq2-zx9-m"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": good, "new_password2": good},
    )
    assert response.status_code == 302
    assert User.objects.get(username="cm.school").check_password(good)


def test_the_admin_never_shows_an_authenticators_secret(client, world):
    device = TOTPDevice.objects.create(user=world.cm_supervisor, name="phone", confirmed=True)
    client.force_login(world.dla_admin)
    for page in ("config", "qrcode"):
        assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{page}/").status_code == 403
        # A device that does not exist was a server error.
        assert client.get(f"/admin/otp_totp/totpdevice/99999/{page}/").status_code == 403
    # The device list itself still works.
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 200


def _production_settings(**env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER if hasattr(s, 'SECURE_PROXY_SSL_HEADER') "
        "else None, s.SECURE_REDIRECT_EXEMPT]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ESAR_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "esar.example",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/esar",
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    hsts, subdomains, redirect, proxy, exempt = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "hsts": hsts,
        "subdomains": subdomains,
        "redirect": redirect,
        "proxy": proxy,
        "exempt": exempt,
    }


def test_production_sends_plain_http_to_https_behind_the_documented_proxy():
    behind = _production_settings(ESAR_BEHIND_TLS_PROXY="on")
    assert behind["hsts"] == 31536000
    assert behind["subdomains"] is True
    assert behind["redirect"] is True
    assert behind["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind["exempt"] == ["^healthz/?$"]
    # Without the proxy setting every request would look plain and redirect for ever.
    assert _production_settings()["redirect"] is False


def test_https_redirect_spares_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    secure = client.get(reverse("accounts:login"), headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
