"""Forgot one's password: a link by e-mail, without telling anyone who has an account."""

import re

from django.test import Client
from django.urls import reverse

from esar.accounts.models import ApiToken, OneTimePassword
from esar.accounts.tests.conftest import form_error_codes, issue, login
from esar.accounts.tokens import issue_token
from esar.core.models import AuditEvent
from esar.testing.world import PASSWORD

NEW_PASSWORD = "ลืมรหัสผ่านแล้ว-2569"


def ask(client, email: str):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def link_in(message) -> str:
    match = re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_the_login_page_links_to_the_reset(client, world):
    page = client.get(reverse("accounts:login")).content.decode()

    assert reverse("accounts:password_reset") in page


def test_a_known_address_gets_a_link_that_sets_a_new_password(client, world, mailoutbox, settings):
    settings.ESAR_SITE_URL = "https://e-sar.example.go.th"
    token = issue_token(user=world.cm_school_officer)

    response = ask(client, "cm.school@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["cm.school@example.com"]
    link = link_in(mailoutbox[0])
    assert link.startswith("https://e-sar.example.go.th/accounts/password-reset/")
    path = link.removeprefix("https://e-sar.example.go.th")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert login(Client(), "cm.school", NEW_PASSWORD).status_code == 302
    assert form_error_codes(login(Client(), "cm.school", PASSWORD)) == {"invalid_login"}
    assert ApiToken.objects.get(pk=token.record.pk).revoked_at is not None
    assert AuditEvent.objects.filter(
        action="account.password_changed", actor=world.cm_school_officer, data__channel="email"
    ).exists()
    # The link works once.
    assert not client.get(path, follow=True).context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, world, mailoutbox):
    known = ask(Client(), "cm.school@example.com")
    unknown = ask(Client(), "no-one@example.com")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [message.to for message in mailoutbox] == [["cm.school@example.com"]]
    page = client.get(unknown["Location"])
    assert page.status_code == 200


def test_a_password_set_by_the_link_ends_a_pending_one_time_password(client, world, mailoutbox):
    one_time = issue(world.cm_school_officer, world.cm_city_officer)
    ask(client, "cm.school@example.com")
    path = "/" + link_in(mailoutbox[0]).split("/", 3)[3]
    form_page = client.get(path, follow=True)

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    row = OneTimePassword.objects.get(user=world.cm_school_officer)
    assert row.replaced_at is not None
    owner = Client()
    assert login(owner, "cm.school", NEW_PASSWORD).status_code == 302
    # No detour to the password change: the owner chose this password.
    assert owner.get("/").status_code == 200
    assert form_error_codes(login(Client(), "cm.school", one_time)) == {"invalid_login"}
