"""Choosing one's password through the API: an account with a one-time password (issued or reset
by an office) chooses its own with POST /auth/password, by the rules of the website's page, and
then gets tokens; a token holder changes its password with POST /me/password."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from esar.accounts.models import OneTimePassword, User
from esar.accounts.tests.conftest import code_for, issue, login, set_policy
from esar.api.tests.conftest import API
from esar.core.models import AuditEvent
from esar.delivery import accounts as esar_accounts
from esar.testing.world import PASSWORD

NEW_PASSWORD = "ดอยคำฝนตก-2569"


def choose(username: str, password: str, new_password: str, language: str = "en", **extra):
    return Client().post(
        f"{API}/auth/password",
        {"username": username, "password": password, "new_password": new_password, **extra},
        content_type="application/json",
        headers={"Accept-Language": language},
    )


def token(username: str, password: str):
    return Client().post(
        f"{API}/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def change_own(bearer: str, password: str, new_password: str, language: str = "en"):
    return Client().post(
        f"{API}/me/password",
        {"password": password, "new_password": new_password},
        content_type="application/json",
        headers={"Authorization": f"Bearer {bearer}", "Accept-Language": language},
    )


def has_password(user: User, password: str) -> bool:
    """The account's password is `password` (a right check may rehash it, never change it)."""
    return User.objects.get(pk=user.pk).check_password(password)


def pending(user: User) -> bool:
    return OneTimePassword.objects.filter(user=user, replaced_at__isnull=True).exists()


def test_an_issued_account_chooses_its_password_through_the_api_and_then_gets_a_token(world):
    one_time = issue(world.cm_city_officer, world.dla_admin)
    refused = token("cm.city", one_time)
    assert refused.status_code == 403
    assert "POST /api/v1/auth/password" in refused.json()["detail"]

    response = choose("cm.city", one_time, NEW_PASSWORD)

    assert response.status_code == 204, response.content
    assert not pending(world.cm_city_officer)
    assert AuditEvent.objects.filter(
        action="account.password_changed",
        actor=world.cm_city_officer,
        data__channel="api",
        data__one_time_password_replaced=True,
    ).exists()
    assert token("cm.city", NEW_PASSWORD).status_code == 200
    assert token("cm.city", one_time).status_code == 401
    # The web log-in takes the new password too, without leading to a change.
    client = Client()
    assert login(client, "cm.city", NEW_PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


def test_a_reset_account_chooses_its_password_the_same_way(world):
    reset = issue(world.cm_school_officer, world.cm_city_officer, OneTimePassword.Reason.RESET)

    assert choose("cm.school", reset, NEW_PASSWORD).status_code == 204
    assert token("cm.school", NEW_PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short-pw1", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("password123456", "too common"),
    ],
)
def test_a_new_password_against_the_rules_is_refused_and_nothing_changes(
    world, new_password, message
):
    one_time = issue(world.cm_city_officer, world.dla_admin)

    response = choose("cm.city", one_time, new_password)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {"new_password"}
    assert any(message in e["message"] for e in errors), errors
    assert has_password(world.cm_city_officer, one_time)
    assert pending(world.cm_city_officer)
    assert not AuditEvent.objects.filter(action="account.password_changed").exists()


def test_the_one_time_password_itself_is_not_a_new_password(world):
    one_time = issue(world.cm_city_officer, world.dla_admin)

    response = choose("cm.city", one_time, one_time)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "new_password"
    assert pending(world.cm_city_officer)


def test_refusals_are_in_thai_unless_the_program_asks_for_english(world):
    one_time = issue(world.cm_city_officer, world.dla_admin)

    thai = choose("cm.city", one_time, "short-pw1", language="th").json()
    english = choose("cm.city", one_time, "short-pw1").json()

    assert thai["detail"] != english["detail"]
    assert thai["errors"][0]["message"] != english["errors"][0]["message"]
    assert any("\u0e00" <= char <= "\u0e7f" for char in thai["errors"][0]["message"])


def test_wrong_passwords_count_towards_the_lock_out_and_change_nothing(world):
    one_time = issue(world.cm_city_officer, world.dla_admin)

    statuses = [choose("cm.city", f"wrong-{n}", NEW_PASSWORD).status_code for n in range(5)]

    assert statuses == [401, 401, 401, 401, 429]
    locked = choose("cm.city", one_time, NEW_PASSWORD)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert has_password(world.cm_city_officer, one_time)
    assert pending(world.cm_city_officer)
    # The same count as the token endpoint's.
    assert token("cm.city", one_time).status_code == 429


def test_another_accounts_password_does_not_change_an_account(world):
    one_time = issue(world.cm_city_officer, world.dla_admin)

    response = choose("kk.town", one_time, NEW_PASSWORD)

    assert response.status_code == 401
    assert has_password(world.kk_town_officer, PASSWORD)
    assert pending(world.cm_city_officer)


def test_an_expired_one_time_password_is_refused(world):
    set_policy(days=14)
    one_time = issue(world.cm_city_officer, world.dla_admin)

    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        response = choose("cm.city", one_time, NEW_PASSWORD)

    assert response.status_code == 403
    assert "expired" in response.json()["detail"]
    assert pending(world.cm_city_officer)


def test_a_one_time_password_used_on_the_website_is_refused_as_there(world):
    one_time = issue(world.cm_city_officer, world.dla_admin)
    login(Client(), "cm.city", one_time)

    response = choose("cm.city", one_time, NEW_PASSWORD)

    assert response.status_code == 403
    assert "already been used" in response.json()["detail"]
    assert pending(world.cm_city_officer)


def test_choosing_does_not_use_up_the_one_web_log_in_when_refused(world):
    one_time = issue(world.cm_city_officer, world.dla_admin)

    assert choose("cm.city", one_time, "short-pw1").status_code == 422

    assert OneTimePassword.objects.get(user=world.cm_city_officer).used_at is None
    assert login(Client(), "cm.city", one_time).status_code == 302


def test_a_second_factor_role_sends_its_code_when_dla_requires_one(world):
    set_policy(second_factor=True)
    one_time = issue(world.cm_supervisor, world.dla_admin)

    no_app = choose("cm.supervisor", one_time, NEW_PASSWORD)
    assert no_app.status_code == 403
    assert "authenticator" in no_app.json()["detail"]
    assert pending(world.cm_supervisor)

    from esar.accounts import secondfactor

    device = secondfactor.enrolment_device(world.cm_supervisor)
    device.confirmed = True
    device.save()
    assert choose("cm.supervisor", one_time, NEW_PASSWORD).status_code == 401
    assert pending(world.cm_supervisor)

    done = choose("cm.supervisor", one_time, NEW_PASSWORD, totp=code_for(device))

    assert done.status_code == 204, done.content
    assert not pending(world.cm_supervisor)


def test_the_lao_delivery_account_chooses_its_password_and_then_delivers(world):
    issued = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    assert token(issued.username, issued.password).status_code == 403

    assert choose(issued.username, issued.password, NEW_PASSWORD).status_code == 204

    answer = token(issued.username, NEW_PASSWORD)
    assert answer.status_code == 200
    bearer = answer.json()["token"]
    headers = {"Authorization": f"Bearer {bearer}", "Accept-Language": "en"}
    assert Client().get(f"{API}/deliveries", headers=headers).status_code == 200
    # Still only a delivery account: the registry stays closed to it.
    assert Client().get(f"{API}/institutions", headers=headers).json()["count"] == 0


# --- A token holder ------------------------------------------------------------------------


def test_a_token_holder_changes_its_password_with_the_current_one(world, token_for):
    bearer = token_for(world.cm_city_officer)

    response = change_own(bearer, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 204, response.content
    assert token("cm.city", NEW_PASSWORD).status_code == 200
    assert token("cm.city", PASSWORD).status_code == 401
    assert AuditEvent.objects.filter(
        action="account.password_changed", actor=world.cm_city_officer, data__channel="api"
    ).exists()
    # As after the page's change, the token used goes on working.
    me = Client().get(f"{API}/me", headers={"Authorization": f"Bearer {bearer}"})
    assert me.status_code == 200


def test_a_wrong_current_password_is_refused_counted_and_changes_nothing(world, token_for):
    bearer = token_for(world.cm_city_officer)

    wrong = change_own(bearer, "not-the-password", NEW_PASSWORD)

    assert wrong.status_code == 403
    assert "old password was entered incorrectly" in wrong.json()["detail"]
    statuses = [change_own(bearer, f"wrong-{n}", NEW_PASSWORD).status_code for n in range(4)]
    assert statuses[-1] == 429
    assert change_own(bearer, PASSWORD, NEW_PASSWORD).status_code == 429
    assert has_password(world.cm_city_officer, PASSWORD)


def test_a_token_holders_new_password_follows_the_rules(world, token_for):
    bearer = token_for(world.cm_city_officer)

    same = change_own(bearer, PASSWORD, PASSWORD)
    short = change_own(bearer, PASSWORD, "short-pw1")

    assert same.status_code == short.status_code == 422
    assert same.json()["errors"][0]["field"] == "new_password"
    assert has_password(world.cm_city_officer, PASSWORD)


def test_changing_ones_password_needs_a_token(world):
    response = Client().post(
        f"{API}/me/password",
        {"password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 401
