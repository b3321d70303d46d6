"""What a newcomer meets on the first pages: the site's icon, the school's contacts at its LAO,
and how the LAO's e-SAR delivery account is greeted."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.urls import reverse

from esar.delivery.accounts import issue_account


def test_the_log_in_page_links_an_icon_that_exists(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon" href="/static/core/favicon.svg"' in page
    assert finders.find("core/favicon.svg")
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301
    assert icon["Location"] == "/static/core/favicon.svg"


def test_the_schools_contacts_are_its_laos_officers_not_the_esar_account(client, world):
    issued = issue_account(lao=world.cm_city, actor=world.dla_admin)
    client.force_login(world.cm_school_officer)
    page = client.get(reverse("front:home")).content.decode()
    assert world.cm_city_officer.get_full_name() in page
    assert issued.username not in page


def test_the_esar_account_is_greeted_as_what_it_is(client, world):
    from django.utils import timezone

    from esar.accounts.models import OneTimePassword, User

    issued = issue_account(lao=world.cm_city, actor=world.dla_admin)
    OneTimePassword.objects.filter(user=issued.account.user).update(replaced_at=timezone.now())
    client.force_login(User.objects.get(pk=issued.account.user.pk))
    page = client.get(reverse("front:home")).content.decode()
    assert "บัญชีนำส่งข้อมูลเข้าระบบ e-SAR" in page
    assert "สวัสดี คุณe-SAR" not in page
