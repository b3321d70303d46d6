import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import translation

from esar.accounts.models import User
from esar.organizations import demo

pytestmark = pytest.mark.django_db

FAST_HASHER = override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # The e-SAR accounts get one-time passwords, hashed with it.
        "esar.accounts.hashers.GeneratedSecretHasher",
    ]
)


def run(*args: str) -> str:
    out = StringIO()
    # As `make run` prints them, in the site's language, whatever language an earlier test's
    # request left active in this thread.
    with translation.override("th"):
        call_command("demo_accounts", *args, stdout=out)
    return out.getvalue()


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())


@FAST_HASHER
def test_json_lists_every_demo_account_with_a_password_that_logs_in():
    seed()

    accounts = json.loads(run("--json"))

    # 59 personas and the 12 LAOs' e-SAR accounts that DLA issued for delivering.
    assert len(accounts) == 59 + 12
    assert all(
        set(account) == {"username", "password", "role", "organization_code", "organization_name"}
        for account in accounts
    )
    assert {a["username"] for a in accounts} == set(User.objects.values_list("username", flat=True))
    request = RequestFactory().post("/accounts/login/")
    for account in accounts:
        user = authenticate(request, username=account["username"], password=account["password"])
        assert user is not None, account["username"]
        assert user.membership.role == account["role"]
        assert user.membership.organization_code == account["organization_code"]
    by_name = {a["username"]: a for a in accounts}
    assert by_name["dla.admin"]["role"] == "dla_admin"
    assert by_name["prov50"]["organization_name"].endswith("เชียงใหม่")
    assert by_name["lao2500001"]["organization_name"] == "เทศบาลนครดอยคำ"
    assert by_name["school3050000003"]["organization_code"] == "3050000003"


def test_table_shows_each_group_and_keeps_school_officers_short():
    seed()

    table = run()

    assert demo.DEMO_PASSWORD in table
    for expected in (
        "dla.admin",
        "dla.analyst",
        "onesqa.reviewer",
        "helpdesk",
        "prov50",
        "prov40",
        "prov90",
        "lao2500001",
        "lao6900001",
        "school3050000001",
        "เทศบาลนครดอยคำ",
    ):
        assert expected in table
    # One school officer per LAO, then a pointer to the rest.
    assert sum(line.startswith("school") for line in table.splitlines()) == 12
    assert "28 more school officers" in table
    assert sum(line.startswith("esar") for line in table.splitlines()) == 12
    assert len(table.splitlines()) < 45 + 13

    full = run("--all")
    assert sum(line.startswith("school") for line in full.splitlines()) == 40


def test_a_changed_password_is_not_printed():
    seed()
    user = User.objects.get(username="lao2500001")
    user.set_password("a-private-password-2569")
    user.save()

    accounts = {a["username"]: a for a in json.loads(run("--json"))}

    assert accounts["lao2500001"]["password"] is None
    assert accounts["lao5500001"]["password"] == demo.DEMO_PASSWORD
    assert "(changed)" in run()


def test_it_says_how_to_seed_when_there_are_no_demo_accounts():
    assert "seed_demo" in run()
    assert json.loads(run("--json")) == []
