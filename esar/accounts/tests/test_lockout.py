"""Who a run of wrong passwords locks out: the guesser, not a colleague behind the same address.

An office's computers reach e-SAR through one NAT address; without ESAR_TRUSTED_PROXIES every
user behind a reverse proxy shares the proxy's address too. Failures are counted per username and
address, except that a browser (or API script) which signed in to the account before carries a
device key whose attempts are counted on the key.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from esar.accounts import lockout
from esar.core.audit import client_ip
from esar.core.models import AuditEvent
from esar.testing.world import PASSWORD

OFFICE = "203.0.113.7"  # the LAO office's NAT address
ELSEWHERE = "198.51.100.9"
PROXY = "10.0.0.1"


def browser(address: str = OFFICE, **headers: str) -> Client:
    return Client(REMOTE_ADDR=address, **headers)


def login(client: Client, username: str, password: str) -> int:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code


def guess(client: Client, username: str, times: int) -> list[int]:
    return [login(client, username, f"guess-{n}") for n in range(times)]


@pytest.fixture
def victims_browser(world) -> Client:
    """The LAO officer's own computer, which has signed in before."""
    client = browser()
    assert login(client, "cm.city", PASSWORD) == 302
    assert client.cookies[lockout.COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    return client


def test_a_colleague_guessing_from_the_office_address_does_not_lock_the_owner_out(
    world, settings, victims_browser
):
    attacker = browser()
    statuses = guess(attacker, "cm.city", settings.AXES_FAILURE_LIMIT + 2)
    assert statuses[-1] == 429
    # The guesser stays locked out, even with the right password.
    assert login(attacker, "cm.city", PASSWORD) == 429

    # The owner, at the same address, on the computer they use, signs in.
    assert login(victims_browser, "cm.city", PASSWORD) == 302
    assert "_auth_user_id" in victims_browser.session
    # Their sign-in did not clear the guesser's count.
    assert login(attacker, "cm.city", PASSWORD) == 429
    assert guess(attacker, "cm.city", 1) == [429]
    # Another account from the office is not affected at all.
    assert login(browser(), "cm.sao", PASSWORD) == 302


def test_a_new_browser_at_the_locked_address_is_locked_with_the_guesser(
    world, settings, victims_browser
):
    guess(browser(), "cm.city", settings.AXES_FAILURE_LIMIT)
    # Documented: the owner on a computer that never signed in waits, or asks for a reset.
    assert login(browser(), "cm.city", PASSWORD) == 429


def test_a_remembered_browser_gets_its_own_failures_then_the_address_count(
    world, settings, victims_browser
):
    """A device key is no skeleton key: whoever holds it is throttled too."""
    limit = settings.AXES_FAILURE_LIMIT
    assert guess(victims_browser, "cm.city", limit) == [422] * limit
    # The key no longer counts as known: these failures go to the username and address.
    assert guess(victims_browser, "cm.city", limit)[-1] == 429
    assert login(victims_browser, "cm.city", PASSWORD) == 429


def test_the_key_is_for_its_account_only(world, settings, victims_browser):
    guess(browser(), "cm.sao", settings.AXES_FAILURE_LIMIT)
    # cm.city's browser is not a known device of cm.sao.
    assert login(victims_browser, "cm.sao", PASSWORD) == 429


def test_a_success_on_the_remembered_browser_clears_its_own_failures(
    world, settings, victims_browser
):
    limit = settings.AXES_FAILURE_LIMIT
    guess(victims_browser, "cm.city", limit - 1)
    assert login(victims_browser, "cm.city", PASSWORD) == 302
    victims_browser.post(reverse("accounts:logout"))
    assert guess(victims_browser, "cm.city", limit - 1) == [422] * (limit - 1)
    assert login(victims_browser, "cm.city", PASSWORD) == 302


# --- The address behind a reverse proxy ---------------------------------------------------------


def test_behind_a_trusted_proxy_each_client_address_is_counted_apart(world, settings):
    settings.ESAR_TRUSTED_PROXIES = 1
    attacker = browser(PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert guess(attacker, "cm.city", settings.AXES_FAILURE_LIMIT)[-1] == 429
    # A forged left part of the header changes nothing: the proxy's entry is the one read.
    forging = browser(PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.55, {ELSEWHERE}")
    assert login(forging, "cm.city", PASSWORD) == 429
    # The owner, at another address behind the same proxy, on a new computer, signs in.
    owner = browser(PROXY, HTTP_X_FORWARDED_FOR=OFFICE)
    assert login(owner, "cm.city", PASSWORD) == 302
    assert AuditEvent.objects.filter(action="account.logged_in", ip_address=OFFICE).exists()
    assert AuditEvent.objects.filter(action="account.login_failed", ip_address=ELSEWHERE).exists()


def test_without_a_trusted_proxy_the_header_is_ignored(world, settings):
    settings.ESAR_TRUSTED_PROXIES = 0
    # Rotating a forged header does not escape the count.
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(browser(OFFICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "cm.city", "guess")
    assert login(browser(OFFICE, HTTP_X_FORWARDED_FOR="192.0.2.200"), "cm.city", PASSWORD) == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "192.0.2.1", PROXY),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.2", "192.0.2.1"),
        (2, "192.0.2.1", "192.0.2.1"),  # reached the inner proxy directly
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_the_trusted_proxies(
    settings, proxies, forwarded, expected
):
    settings.ESAR_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- The API token endpoint ---------------------------------------------------------------------


def post_token(client: Client, username: str, password: str, device: str | None = None):
    body = {"username": username, "password": password}
    if device is not None:
        body["device"] = device
    return client.post(
        "/api/v1/auth/token",
        body,
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def test_a_script_with_its_device_key_gets_a_token_while_a_colleague_is_locked_out(world, settings):
    script = browser()
    device = post_token(script, "cm.city", PASSWORD).json()["device"]
    assert device

    attacker = browser()
    statuses = [
        post_token(attacker, "cm.city", f"guess-{n}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses[-1] == 429
    assert post_token(attacker, "cm.city", PASSWORD).status_code == 429
    # Without its key the script waits like the guesser; with it, it carries on.
    assert post_token(script, "cm.city", PASSWORD).status_code == 429
    answer = post_token(script, "cm.city", PASSWORD, device=device)
    assert answer.status_code == 200
    assert answer.json()["device"] == device
    # The script's success left the guesser locked out.
    assert post_token(attacker, "cm.city", PASSWORD).status_code == 429


def test_a_device_key_on_the_api_is_throttled_too(world, settings):
    script = browser()
    device = post_token(script, "cm.city", PASSWORD).json()["device"]
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        post_token(script, "cm.city", "guess", device=device).status_code for _ in range(limit)
    ]
    assert statuses == [401] * limit
    statuses = [
        post_token(script, "cm.city", "guess", device=device).status_code for _ in range(limit)
    ]
    assert statuses[-1] == 429
    assert post_token(script, "cm.city", PASSWORD, device=device).status_code == 429


def test_an_account_remembers_its_latest_devices_only(world):
    from esar.accounts.models import LoginDevice

    first = post_token(browser(), "cm.city", PASSWORD).json()["device"]
    for _ in range(lockout.MAX_DEVICES):
        post_token(browser(), "cm.city", PASSWORD)
    assert LoginDevice.objects.filter(user=world.cm_city_officer).count() == lockout.MAX_DEVICES
    # The oldest key is forgotten: it is an unknown device again.
    assert post_token(browser(), "cm.city", PASSWORD, device=first).json()["device"] != first
