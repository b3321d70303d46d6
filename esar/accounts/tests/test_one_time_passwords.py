"""A one-time password (issued or reset) opens one log-in, before it expires, straight to the
password change; the API refuses the account until its owner chose a password."""

import datetime as dt

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from esar.accounts.models import ApiToken, OneTimePassword, User
from esar.accounts.tests.conftest import form_error_codes, issue, login, set_policy
from esar.accounts.tokens import issue_token
from esar.core.models import AuditEvent
from esar.testing.world import PASSWORD

NEW_PASSWORD = "ดอยคำฝนตก-2569"


def api_token(client: Client, username: str, password: str):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )


def test_an_issued_password_works_once_and_then_is_refused(client, world):
    password = issue(world.cm_city_officer, world.dla_admin)

    first = login(client, "cm.city", password)

    assert first.status_code == 302
    row = OneTimePassword.objects.get(user=world.cm_city_officer)
    assert row.used_at is not None and row.replaced_at is None

    second = login(Client(), "cm.city", password)

    assert second.status_code == 422
    assert "_auth_user_id" not in second.client.session
    assert form_error_codes(second) == {"one_time_used"}
    assert AuditEvent.objects.filter(
        action="account.one_time_password_refused",
        object_id=str(world.cm_city_officer.pk),
        data__reason="used",
    ).exists()


def test_the_password_before_issuance_stops_working(client, world):
    issue(world.cm_city_officer, world.dla_admin)

    response = login(client, "cm.city", PASSWORD)

    assert response.status_code == 422
    assert form_error_codes(response) == {"invalid_login"}


def test_a_wrong_password_says_wrong_password_even_when_a_one_time_password_is_pending(
    client, world
):
    password = issue(world.cm_city_officer, world.dla_admin)
    login(client, "cm.city", password)

    response = login(Client(), "cm.city", "esar-not-the-password")

    assert form_error_codes(response) == {"invalid_login"}


def test_an_expired_one_time_password_is_refused_with_a_message(client, world):
    set_policy(days=14)
    password = issue(world.cm_city_officer, world.dla_admin)

    with time_machine.travel(timezone.now() + dt.timedelta(days=14, minutes=1)):
        response = login(client, "cm.city", password)

    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    assert form_error_codes(response) == {"one_time_expired"}
    assert OneTimePassword.objects.get(user=world.cm_city_officer).used_at is None
    assert AuditEvent.objects.filter(
        action="account.one_time_password_refused", data__reason="expired"
    ).exists()


def test_a_one_time_password_still_works_on_its_last_day(client, world):
    password = issue(world.cm_city_officer, world.dla_admin)

    with time_machine.travel(timezone.now() + dt.timedelta(days=13, hours=23)):
        response = login(client, "cm.city", password)

    assert response.status_code == 302


def test_the_policy_sets_how_long_new_one_time_passwords_last(world):
    set_policy(days=3)

    issue(world.cm_city_officer, world.dla_admin)

    row = OneTimePassword.objects.get(user=world.cm_city_officer)
    assert row.expires_at - row.issued_at == dt.timedelta(days=3)


def test_every_page_leads_to_the_password_change_until_it_is_done(client, world):
    password = issue(world.cm_city_officer, world.dla_admin)
    login(client, "cm.city", password)
    change = reverse("accounts:password_change")

    for path in ("/", "/sar/", "/registry/institutions/", "/accounts/reset/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == change
    page = client.get(change)
    assert page.status_code == 200
    assert page.context["forced"]
    assert client.get("/static/core/esar.css").status_code != 302

    same = client.post(
        change,
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert same.status_code == 422
    assert "password_unchanged" in form_error_codes(same)

    done = client.post(
        change,
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    assert client.get("/").status_code == 200
    row = OneTimePassword.objects.get(user=world.cm_city_officer)
    assert row.replaced_at is not None
    assert AuditEvent.objects.filter(
        action="account.password_changed",
        actor=world.cm_city_officer,
        data__one_time_password_replaced=True,
    ).exists()
    # Their own password now logs in as often as they like; the one-time one never again.
    assert login(Client(), "cm.city", NEW_PASSWORD).status_code == 302
    assert login(Client(), "cm.city", NEW_PASSWORD).status_code == 302
    assert form_error_codes(login(Client(), "cm.city", password)) == {"invalid_login"}


def test_log_out_stays_possible_before_the_change(client, world):
    password = issue(world.cm_city_officer, world.dla_admin)
    login(client, "cm.city", password)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_accounts_without_a_one_time_password_are_not_sent_to_the_change(client, world):
    login(client, "cm.city", PASSWORD)

    assert client.get("/").status_code == 200


def test_the_api_refuses_a_token_until_the_password_is_changed_on_the_web(client, world):
    password = issue(world.cm_city_officer, world.dla_admin)

    unused = api_token(Client(), "cm.city", password)

    assert unused.status_code == 403
    assert "choose your own password first" in unused.json()["detail"]
    # Asking the API did not use up the one web log-in.
    assert OneTimePassword.objects.get(user=world.cm_city_officer).used_at is None
    login(client, "cm.city", password)
    assert api_token(Client(), "cm.city", password).status_code == 403
    client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert api_token(Client(), "cm.city", NEW_PASSWORD).status_code == 200
    assert ApiToken.objects.filter(user=world.cm_city_officer).count() == 1


def test_the_api_tells_an_expired_one_time_password_apart(world):
    password = issue(world.cm_city_officer, world.dla_admin)

    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        response = api_token(Client(), "cm.city", password)

    assert response.status_code == 403
    assert "expired" in response.json()["detail"]


def test_a_token_made_before_a_one_time_password_stops_working(world):
    token = issue_token(user=world.cm_city_officer).token
    issue(world.cm_city_officer, world.dla_admin)

    response = Client().get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    )

    assert response.status_code == 401


def test_the_admin_log_in_obeys_the_same_rules(world):
    password = issue(world.dla_admin, None)
    login(Client(), "dla.admin", password)

    response = Client().post(
        "/admin/login/", {"username": "dla.admin", "password": password, "next": "/admin/"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session
    assert User.objects.get(pk=world.dla_admin.pk).one_time_password.used_at is not None
