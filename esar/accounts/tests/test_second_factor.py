"""The second factor: asked of DLA and province roles only when DLA turns it on."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts import services
from esar.accounts.models import AccountPolicy, ApiToken
from esar.accounts.tests.conftest import code_for, form_error_codes, login, set_policy
from esar.accounts.tokens import issue_token
from esar.core.models import AuditEvent
from esar.testing.world import PASSWORD

VERIFY = reverse("accounts:second_factor")
SETUP = reverse("accounts:second_factor_setup")


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="e-SAR", confirmed=True)


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 10**6:06d}"


def api_token(username: str, password: str, totp: str | None = None):
    body = {"username": username, "password": password}
    if totp is not None:
        body["totp"] = totp
    return Client().post(
        "/api/v1/auth/token",
        body,
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def test_a_province_supervisor_is_blocked_until_the_right_code(client, world, second_factor_on):
    device = confirmed_device(world.cm_supervisor)
    login(client, "cm.supervisor", PASSWORD)

    blocked = client.get("/registry/laos/")

    assert blocked.status_code == 302
    assert blocked["Location"] == f"{VERIFY}?next=%2Fregistry%2Flaos%2F"
    assert client.get("/").status_code == 302
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        wrong = client.post(VERIFY, {"token": wrong_code(device), "next": "/registry/laos/"})
        assert wrong.status_code == 422
        assert wrong.context["form"].errors["token"]
        assert client.get("/").status_code == 302
        # django-otp makes the next try wait a little after a wrong code.
        traveller.shift(dt.timedelta(seconds=5))
        right = client.post(VERIFY, {"token": code_for(device), "next": "/registry/laos/"})

        assert right.status_code == 302
        assert right["Location"] == "/registry/laos/"
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action="account.second_factor_failed", actor=world.cm_supervisor
    ).exists()
    assert AuditEvent.objects.filter(
        action="account.second_factor_verified", actor=world.cm_supervisor
    ).exists()


def test_the_next_address_never_leaves_the_site(client, world, second_factor_on):
    device = confirmed_device(world.dla_analyst)
    client.force_login(world.dla_analyst)

    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("front:home")


def test_a_code_sent_again_at_once_after_a_wrong_one_is_told_to_wait(
    client, world, second_factor_on
):
    device = confirmed_device(world.cm_supervisor)
    login(client, "cm.supervisor", PASSWORD)
    with time_machine.travel(timezone.now(), tick=False):
        assert client.post(VERIFY, {"token": wrong_code(device)}).status_code == 422
        # Even the right code waits: the page says so and the session stays unverified.
        hurried = client.post(VERIFY, {"token": code_for(device)})

        assert hurried.status_code == 429
        assert "กรอกรหัสผิดหลายครั้งเกินไป โปรดรอหนึ่งนาที" in hurried.content.decode()
        assert client.get("/").status_code == 302


def test_a_first_log_in_sets_up_the_app_with_a_qr_code_and_a_code(client, world, second_factor_on):
    login(client, "cm.supervisor", PASSWORD)

    assert client.get(VERIFY).url == SETUP
    page = client.get(SETUP)

    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.cm_supervisor, confirmed=False)
    assert page.context["manual_key"].replace(" ", "") in device.config_url
    assert client.get(SETUP).context["manual_key"] == page.context["manual_key"]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.post(SETUP, {"token": wrong_code(device)}).status_code == 422
        assert client.get("/").status_code == 302
        traveller.shift(dt.timedelta(seconds=5))
        confirmed = client.post(SETUP, {"token": code_for(device)})

    assert confirmed.status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(
        action="account.second_factor_enrolled", actor=world.cm_supervisor
    ).exists()


def test_the_code_is_asked_again_at_the_next_log_in(world, second_factor_on):
    device = confirmed_device(world.dla_admin)
    first = Client()
    login(first, "dla.admin", PASSWORD)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first.post(VERIFY, {"token": code_for(device)})
        assert first.get("/").status_code == 200
        traveller.shift(dt.timedelta(seconds=31))

        second = Client()
        login(second, "dla.admin", PASSWORD)

        assert second.get("/").status_code == 302
        assert second.post(VERIFY, {"token": code_for(device)}).status_code == 302
        assert second.get("/").status_code == 200


def test_a_used_code_cannot_be_replayed(world, second_factor_on):
    device = confirmed_device(world.cm_supervisor)
    with time_machine.travel(timezone.now(), tick=False):
        code = code_for(device)
        first, second = Client(), Client()
        first.force_login(world.cm_supervisor)
        second.force_login(world.cm_supervisor)
        assert first.post(VERIFY, {"token": code}).status_code == 302

        assert second.post(VERIFY, {"token": code}).status_code == 422


def test_with_the_policy_off_nobody_is_asked(client, world):
    set_policy(second_factor=False)
    confirmed_device(world.cm_supervisor)

    for persona in ("cm_supervisor", "dla_admin", "dla_analyst"):
        client.force_login(getattr(world, persona))
        assert client.get("/").status_code == 200, persona


@pytest.mark.parametrize(
    "persona",
    ["cm_school_officer", "cm_city_officer", "onesqa_reviewer", "helpdesk"],
)
def test_other_roles_are_never_asked(client, world, second_factor_on, persona):
    client.force_login(getattr(world, persona))

    assert client.get("/").status_code == 200
    assert client.get(VERIFY).status_code == 302
    assert client.get(SETUP).status_code == 302
    assert not TOTPDevice.objects.exists()


def test_the_helpdesk_removes_a_lost_authenticator(client, world, second_factor_on):
    confirmed_device(world.cm_supervisor)
    client.force_login(world.helpdesk)
    accounts = client.get(reverse("accounts:account_list"))
    assert [account.username for account in accounts.context["page"]] == ["cm.supervisor"]

    response = client.post(reverse("accounts:second_factor_remove", args=[world.cm_supervisor.pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.cm_supervisor).exists()
    assert AuditEvent.objects.filter(
        action="account.second_factor_removed", actor=world.helpdesk
    ).exists()
    # The helpdesk resets no password.
    reset = client.post(reverse("accounts:account_reset", args=[world.cm_supervisor.pk]))
    assert reset.status_code == 404
    owner = Client()
    login(owner, "cm.supervisor", PASSWORD)
    assert owner.get(VERIFY).url == SETUP


def test_only_the_helpdesk_and_dla_administrators_remove_authenticators(client, world):
    confirmed_device(world.cm_city_officer)
    # The province supervisor has the officer on its accounts page (it resets the password): 403;
    # the others do not look after the officer's account: 404.
    for persona, status in (("cm_supervisor", 403), ("dla_analyst", 404), ("kk_town_officer", 404)):
        client.force_login(getattr(world, persona))
        response = client.post(
            reverse("accounts:second_factor_remove", args=[world.cm_city_officer.pk])
        )
        assert response.status_code == status, persona
    assert TOTPDevice.objects.filter(user=world.cm_city_officer).exists()


def test_the_token_endpoint_asks_the_code_of_second_factor_roles(world, second_factor_on):
    assert api_token("cm.supervisor", PASSWORD).status_code == 403  # no app set up yet
    device = confirmed_device(world.cm_supervisor)

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        missing = api_token("cm.supervisor", PASSWORD)
        wrong = api_token("cm.supervisor", PASSWORD, wrong_code(device))
        traveller.shift(dt.timedelta(seconds=5))
        right = api_token("cm.supervisor", PASSWORD, code_for(device))

    assert missing.status_code == 401
    assert "totp" in missing.json()["detail"]
    assert wrong.status_code == 401
    assert right.status_code == 200
    assert ApiToken.objects.filter(user=world.cm_supervisor).count() == 1
    # Other roles send no code.
    assert api_token("cm.city", PASSWORD).status_code == 200


def test_wrong_codes_lock_the_token_endpoint_out_like_wrong_passwords(
    world, second_factor_on, settings
):
    device = confirmed_device(world.cm_supervisor)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        statuses = []
        for _ in range(settings.AXES_FAILURE_LIMIT):
            statuses.append(api_token("cm.supervisor", PASSWORD, wrong_code(device)).status_code)
            traveller.shift(dt.timedelta(seconds=60))
        locked = api_token("cm.supervisor", PASSWORD, code_for(device))

    assert statuses[-1] == 429
    assert locked.status_code == 429


def test_the_token_endpoint_is_unchanged_with_the_policy_off(world):
    set_policy(second_factor=False)

    assert api_token("cm.supervisor", PASSWORD).status_code == 200


def test_turning_the_policy_on_ends_the_tokens_of_second_factor_roles(world):
    supervisor = issue_token(user=world.cm_supervisor).record
    school = issue_token(user=world.cm_school_officer).record

    services.update_policy(
        actor=world.dla_admin, initial_password_days=14, require_second_factor=True
    )

    supervisor.refresh_from_db()
    school.refresh_from_db()
    assert supervisor.revoked_at is not None
    assert school.revoked_at is None


def test_dla_sets_the_policy_on_its_page(client, world):
    client.force_login(world.dla_admin)
    url = reverse("accounts:policy")
    assert client.get(url).status_code == 200

    bad = client.post(url, {"initial_password_days": "0"})
    assert bad.status_code == 422
    assert "min_value" in form_error_codes(bad)

    saved = client.post(url, {"initial_password_days": "7", "require_second_factor": "on"})

    assert saved.status_code == 302
    policy = AccountPolicy.current()
    assert policy.initial_password_days == 7
    assert policy.require_second_factor
    assert policy.updated_by == world.dla_admin
    event = AuditEvent.objects.get(action="account.policy_changed")
    assert event.actor == world.dla_admin
    assert event.data["after"] == {"initial_password_days": 7, "require_second_factor": True}
    # The administrator who turned it on is asked for a code on the next page.
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("persona", ["dla_analyst", "cm_supervisor", "helpdesk", "cm_city_officer"])
def test_only_dla_administrators_open_the_policy(client, world, persona):
    client.force_login(getattr(world, persona))

    assert client.get(reverse("accounts:policy")).status_code == 404
    response = client.post(
        reverse("accounts:policy"), {"initial_password_days": "3", "require_second_factor": "on"}
    )
    assert response.status_code == 404
    assert not AccountPolicy.current().require_second_factor
