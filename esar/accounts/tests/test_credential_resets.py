"""Who may reset whose password and remove whose authenticator: the table of docs/guides/dla.md,
checked for every persona against every other, through the services and the pages.

Nobody below a DLA administrator touches an administrator's credentials; the LAO's e-SAR delivery
account resets nobody; the hierarchy narrows everything (a province its LAOs, an LAO its schools).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts import selectors, services
from esar.accounts.models import User
from esar.accounts.services import NotAllowed
from esar.delivery.accounts import issue_account

ACTORS = [
    "dla_admin",
    "dla_analyst",
    "onesqa_reviewer",
    "helpdesk",
    "cm_supervisor",
    "kk_supervisor",
    "cm_city_officer",
    "cm_sao_officer",
    "kk_town_officer",
    "cm_school_officer",
    "kk_school_officer",
    "esar_account",
]
TARGETS = [name for name in ACTORS if name != "nobody"]

# actor -> the accounts whose password it may reset (everyone else: refused).
PASSWORDS = {
    "dla_admin": set(TARGETS) - {"dla_admin"},
    "cm_supervisor": {"cm_city_officer", "cm_sao_officer", "esar_account"},
    "kk_supervisor": {"kk_town_officer"},
    "cm_city_officer": {"cm_school_officer"},
    "kk_town_officer": {"kk_school_officer"},
}
# Accounts with an authenticator; actor -> whose it may remove.
WITH_DEVICE = {"dla_admin", "dla_analyst", "cm_supervisor", "kk_supervisor", "second_admin"}
SECOND_FACTORS = {
    "dla_admin": WITH_DEVICE - {"dla_admin"},
    "helpdesk": {"dla_analyst", "cm_supervisor", "kk_supervisor"},
}


@pytest.fixture
def people(world):
    from esar.accounts.roles import Role
    from esar.organizations.models import Agency
    from esar.testing.world import _account

    found = world.all_users()
    esar = issue_account(lao=world.cm_city, actor=world.dla_admin).account.user
    # The LAO chose its own password after the letter came.
    esar.set_password("a-chosen-password-2569")
    esar.save()
    services.password_chosen(user=esar)
    found["esar_account"] = User.objects.select_related("membership").get(pk=esar.pk)
    found["second_admin"] = _account(
        "dla.admin2", Role.DLA_ADMIN, Agency.objects.get(code="DLA"), "Second", "Admin"
    )
    for name in WITH_DEVICE:
        TOTPDevice.objects.create(user=found[name], name="phone", confirmed=True)
    return found


@pytest.mark.parametrize("actor", ACTORS)
def test_passwords_follow_the_table(people, actor):
    allowed = PASSWORDS.get(actor, set())
    listed = set(selectors.resettable_accounts(people[actor]).values_list("pk", flat=True))
    for target in [*TARGETS, "second_admin"]:
        expected = target in allowed or (actor == "dla_admin" and target == "second_admin")
        assert (people[target].pk in listed) is expected, (actor, target)
        if not expected:
            with pytest.raises(NotAllowed):
                services.reset_password(actor=people[actor], user=people[target])


@pytest.mark.parametrize("actor", ACTORS)
def test_second_factors_follow_the_table(people, actor):
    allowed = SECOND_FACTORS.get(actor, set())
    for target in sorted(WITH_DEVICE):
        may = selectors.can_remove_device(people[actor], people[target])
        assert may is (target in allowed), (actor, target)
        if not may:
            with pytest.raises(NotAllowed):
                services.remove_second_factor(actor=people[actor], user=people[target])
            assert TOTPDevice.objects.filter(user=people[target]).exists()


def test_the_helpdesk_cannot_remove_an_administrators_authenticator_through_the_page(
    client, people
):
    client.force_login(people["helpdesk"])
    admin = people["dla_admin"]
    response = client.post(reverse("accounts:second_factor_remove", args=[admin.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=admin).exists()
    page = client.get(reverse("accounts:account_list")).content.decode()
    assert "dla.admin<" not in page and "dla.admin2" not in page
    assert "cm.supervisor" in page  # a province supervisor's lost phone is its work


def test_another_dla_administrator_removes_an_administrators_authenticator(client, people):
    client.force_login(people["second_admin"])
    admin = people["dla_admin"]
    response = client.post(reverse("accounts:second_factor_remove", args=[admin.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin).exists()


def test_the_esar_account_has_no_reset_page(client, people):
    client.force_login(people["esar_account"])
    assert client.get(reverse("accounts:account_list")).status_code == 404
    target = people["cm_school_officer"]
    assert client.post(reverse("accounts:account_reset", args=[target.pk])).status_code == 404
    assert target.check_password("persona-pass-2569")


# The page's own verdict: who has it at all (an LAO officer whose LAO has no school account yet
# still has the page, empty).
WITH_PAGE = {"dla_admin", "helpdesk", "cm_supervisor", "kk_supervisor"} | {
    "cm_city_officer",
    "cm_sao_officer",
    "kk_town_officer",
}
EVERYONE = [*TARGETS, "second_admin", "nobody"]


@pytest.mark.parametrize("actor", ACTORS)
def test_the_pages_follow_the_table(client, people, actor):
    """What a user sees and can do on /accounts/reset/: exactly the table's accounts carry a
    button, and a POST for any other account changes nothing: 403 for an account on the page
    (the other action is the user's), 404 for one not on it."""
    if actor == "dla_admin":
        passwords = {people[name].pk for name in EVERYONE if name != actor}
    else:
        passwords = {people[name].pk for name in PASSWORDS.get(actor, set())}
    devices = {people[name].pk for name in SECOND_FACTORS.get(actor, set())}
    client.force_login(people[actor])
    page = client.get(reverse("accounts:account_list"))
    if actor not in WITH_PAGE:
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        assert page.context["resettable"] == passwords
        assert page.context["removable"] == devices
        html = page.content.decode()
        for name in EVERYONE:
            pk = people[name].pk
            reset_url = reverse("accounts:account_reset", args=[pk])
            remove_url = reverse("accounts:second_factor_remove", args=[pk])
            assert (f'action="{reset_url}"' in html) is (pk in passwords), (actor, name)
            assert (f'action="{remove_url}"' in html) is (pk in devices), (actor, name)
    for name in EVERYONE:
        target = people[name]
        if target.pk == people[actor].pk:
            continue
        before = target.password
        reset = client.post(reverse("accounts:account_reset", args=[target.pk]))
        on_page = target.pk in passwords | devices
        assert reset.status_code == (200 if target.pk in passwords else 403 if on_page else 404), (
            actor,
            name,
        )
        target.refresh_from_db()
        assert (target.password != before) is (target.pk in passwords), (actor, name)
        if name in WITH_DEVICE:
            remove = client.post(reverse("accounts:second_factor_remove", args=[target.pk]))
            assert remove.status_code == (
                302 if target.pk in devices else 403 if on_page else 404
            ), (actor, name)
            kept = TOTPDevice.objects.filter(user=target).exists()
            assert kept is (target.pk not in devices), (actor, name)
