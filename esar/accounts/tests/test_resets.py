"""Password resets by the office that looks after an account: a province supervisor for its LAOs'
officers, an LAO officer for its schools', DLA for everyone; outside that, a 404."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from esar.accounts.models import ApiToken, OneTimePassword
from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.accounts.tests.conftest import form_error_codes, login
from esar.accounts.tokens import issue_token
from esar.core.models import AuditEvent
from esar.testing.world import PASSWORD


def listed(client, **params) -> list[str]:
    response = client.get(reverse("accounts:account_list"), params)
    assert response.status_code == 200
    return [account.username for account in response.context["page"]]


def reset(client, account):
    return client.post(reverse("accounts:account_reset", args=[account.pk]))


@pytest.fixture
def esar_account(world):
    """The e-SAR account DLA issued to the Doi Kham city municipality."""
    return create_account(
        username="esar2500101",
        password=None,
        role=Role.LAO_OFFICER,
        organization=world.cm_city,
        first_name="e-SAR",
    )


def test_a_province_supervisor_sees_the_lao_officers_of_its_province_only(
    client, world, esar_account
):
    client.force_login(world.cm_supervisor)

    assert listed(client) == ["cm.city", "cm.sao", "esar2500101"]
    assert listed(client, q="6500102") == ["cm.sao"]
    assert listed(client, q="esar") == ["esar2500101"]


def test_a_province_supervisor_resets_an_lao_account_of_its_province(client, world, esar_account):
    client.force_login(world.cm_supervisor)

    response = reset(client, esar_account)

    assert response.status_code == 200
    password = response.context["result"].password
    assert password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    row = OneTimePassword.objects.get(user=esar_account)
    assert row.reason == OneTimePassword.Reason.RESET
    assert row.issued_by == world.cm_supervisor
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.actor == world.cm_supervisor
    assert event.object_id == str(esar_account.pk)
    assert event.data["username"] == "esar2500101"
    assert password not in json.dumps(list(AuditEvent.objects.values("data", "object_repr")))


def test_a_province_supervisor_cannot_reset_outside_its_province_or_above_it(client, world):
    client.force_login(world.cm_supervisor)

    for account in (
        world.kk_town_officer,  # an LAO of Khon Kaen
        world.dla_admin,
        world.kk_supervisor,
        world.cm_school_officer,  # a school's account is its LAO's to reset
    ):
        assert reset(client, account).status_code == 404, account.username
    assert not OneTimePassword.objects.exists()
    assert not AuditEvent.objects.filter(action="account.password_reset").exists()


def test_an_lao_officer_resets_its_own_schools_accounts_only(client, world):
    client.force_login(world.cm_sao_officer)
    assert listed(client) == []
    assert reset(client, world.cm_school_officer).status_code == 404
    client.force_login(world.kk_town_officer)
    assert reset(client, world.cm_school_officer).status_code == 404
    assert listed(client) == ["kk.school"]

    client.force_login(world.cm_city_officer)

    assert listed(client) == ["cm.school"]
    assert reset(client, world.cm_school_officer).status_code == 200
    assert reset(client, world.cm_sao_officer).status_code == 404


def test_a_dla_administrator_resets_a_province_supervisor(client, world):
    client.force_login(world.dla_admin)

    assert "cm.supervisor" in listed(client, q="cm.supervisor")
    assert reset(client, world.cm_supervisor).status_code == 200
    assert OneTimePassword.objects.get(user=world.cm_supervisor).issued_by == world.dla_admin


@pytest.mark.parametrize(
    "persona", ["cm_school_officer", "onesqa_reviewer", "dla_analyst", "nobody"]
)
def test_other_roles_have_no_reset_page(client, world, persona):
    client.force_login(getattr(world, persona))

    assert client.get(reverse("accounts:account_list")).status_code == 404
    assert reset(client, world.cm_city_officer).status_code == 404


def test_a_reset_ends_the_old_password_sessions_and_tokens_and_the_new_one_works_once(
    client, world
):
    owner = Client()
    assert login(owner, "cm.city", PASSWORD).status_code == 302
    token = issue_token(user=world.cm_city_officer)
    client.force_login(world.cm_supervisor)

    password = reset(client, world.cm_city_officer).context["result"].password

    # The session the owner had open is over.
    assert owner.get("/").status_code == 302
    assert owner.get("/")["Location"].startswith(reverse("accounts:login"))
    assert ApiToken.objects.get(pk=token.record.pk).revoked_at is not None
    assert form_error_codes(login(Client(), "cm.city", PASSWORD)) == {"invalid_login"}
    assert login(Client(), "cm.city", password).status_code == 302
    assert form_error_codes(login(Client(), "cm.city", password)) == {"one_time_used"}


def test_a_reset_lifts_a_lock_out(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "cm.city", "not-the-password")
    assert login(Client(), "cm.city", PASSWORD).status_code == 429
    client.force_login(world.cm_supervisor)

    password = reset(client, world.cm_city_officer).context["result"].password

    assert login(Client(), "cm.city", password).status_code == 302


def test_a_reset_is_a_post(client, world):
    client.force_login(world.cm_supervisor)

    response = client.get(reverse("accounts:account_reset", args=[world.cm_city_officer.pk]))

    assert response.status_code == 405
    assert not OneTimePassword.objects.exists()


def test_the_list_shows_who_still_has_a_one_time_password(client, world):
    client.force_login(world.cm_supervisor)
    reset(client, world.cm_sao_officer)

    response = client.get(reverse("accounts:account_list"))

    rows = {account.username: account for account in response.context["page"]}
    assert set(rows) == {"cm.city", "cm.sao"}
    assert rows["cm.sao"].one_time_password.is_pending
    assert response.content.decode().count('data-testid="row"') == 2


def test_usernames_stay_whole_on_the_reset_page(client, world, esar_account):
    # A username is read out on the phone: it never wraps in the middle.
    client.force_login(world.cm_supervisor)
    page = client.get(reverse("accounts:account_list")).content.decode()
    cell = page.split('data-username="esar2500101">')[1].split("</th>")[0]
    assert 'class="text-nowrap">esar2500101' in cell
