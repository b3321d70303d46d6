"""The LAO's e-SAR delivery account delivers, follows its deliveries and reports to the helpdesk,
and nothing else: its password travels on printed letters, so it reviews no SAR, writes no
synthesis, resets nobody and browses no registry, on the pages and in the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from esar.accounts.models import User
from esar.accounts.tokens import issue_token
from esar.delivery.models import Delivery
from esar.sar.models import SarStatus
from esar.sar.services import drafts as sar_drafts
from esar.sar.services import revisions as sar_revisions
from esar.synthesis import services as synthesis_services
from esar.testing.sar import fill_complete


@pytest.fixture
def waiting(world, year):
    """A SAR of the account's LAO waiting for review."""
    sar = sar_drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    return sar_revisions.submit(
        sar=sar, actor=world.cm_school_officer, expected_version=sar.version
    )


@pytest.fixture
def account(esar) -> User:
    """The account as a request loads it."""
    return User.objects.select_related("membership").get(pk=esar.account.user.pk)


def test_the_account_delivers_and_follows_deliveries(client, world, year, completed, account):
    assert account.membership.delivery_account
    client.force_login(account)
    page = client.get(reverse("delivery:index"))
    assert page.status_code == 200
    expected = page.context["form"]["expected"].value()
    delivered = client.post(
        reverse("delivery:deliver", args=[world.cm_city.code]),
        {"year": str(year.year), "expected": expected},
    )
    assert delivered.status_code == 302
    assert Delivery.objects.filter(lao=world.cm_city).count() == 1
    assert client.get(delivered["Location"]).status_code == 200
    assert client.get(reverse("helpdesk:new")).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["sar:queue", "sar:list", "synthesis:index", "accounts:account_list", "organizations:lao_list"],
)
def test_the_accounts_other_lao_pages_are_not_found(client, account, name):
    client.force_login(account)
    assert client.get(reverse(name)).status_code == 404


def test_it_cannot_review_a_sar_on_the_page(client, world, waiting, account):
    client.force_login(account)
    sar = waiting.sar
    assert client.get(reverse("sar:review", args=[sar.pk])).status_code == 404
    response = client.post(
        reverse("sar:review", args=[sar.pk]), {"action": "accept", "revision": waiting.pk}
    )
    assert response.status_code == 404
    sar.refresh_from_db()
    assert sar.status == SarStatus.SUBMITTED


def test_the_services_refuse_it_a_review_and_the_synthesis(world, year, waiting, account):
    with pytest.raises(sar_drafts.NotAllowed):
        sar_revisions.accept(revision=waiting, actor=account)
    with pytest.raises(sar_drafts.NotAllowed):
        synthesis_services.open_synthesis(lao=world.cm_city, year=year, actor=account)
    # The LAO's own officer still does both.
    sar_revisions.accept(revision=waiting, actor=world.cm_city_officer)


def test_the_api_refuses_it_everything_but_deliveries(client, world, year, waiting, account):
    headers = {"Authorization": f"Bearer {issue_token(user=account).token}"}
    sar = waiting.sar
    assert client.get("/api/v1/review-queue", headers=headers).json()["count"] == 0
    accept = client.post(
        f"/api/v1/sars/{sar.pk}/revisions/{waiting.number}/accept",
        json.dumps({"note": ""}),
        content_type="application/json",
        headers=headers,
    )
    assert accept.status_code in (403, 404)
    assert client.get(f"/api/v1/sars/{sar.pk}", headers=headers).status_code == 404
    assert client.get("/api/v1/laos", headers=headers).json()["count"] == 0
    put = client.put(
        f"/api/v1/syntheses/{world.cm_city.code}/{year.year}",
        json.dumps({"version": 1, "summary": "x", "issues": []}),
        content_type="application/json",
        headers=headers,
    )
    assert put.status_code in (403, 404), put.json()
    assert client.get("/api/v1/deliveries", headers=headers).status_code == 200
    sar.refresh_from_db()
    assert sar.status == SarStatus.SUBMITTED


def test_its_menu_has_delivery_and_the_helpdesk_only(client, account):
    client.force_login(account)
    page = client.get(reverse("front:home")).content.decode()
    assert reverse("delivery:index") in page
    assert reverse("helpdesk:list") in page
    for other in ("sar:queue", "synthesis:index", "accounts:account_list", "supervision:list"):
        assert f'href="{reverse(other)}"' not in page, other
    assert client.get(reverse("supervision:list")).status_code == 404


def test_it_sees_no_dashboard_nor_reference_pages(client, world, year, completed, account):
    lao_dashboard = reverse("monitoring:lao", args=[world.cm_city.code])
    client.force_login(world.cm_city_officer)
    assert client.get(lao_dashboard).status_code == 200
    client.force_login(account)
    for url in (lao_dashboard, reverse("standards:list"), reverse("cycles:list")):
        assert client.get(url).status_code == 404, url
    headers = {"Authorization": f"Bearer {issue_token(user=account).token}"}
    officer = {"Authorization": f"Bearer {issue_token(user=world.cm_city_officer).token}"}
    for path in ("/api/v1/progress/institutions", "/api/v1/progress/laos"):
        assert client.get(path, headers=officer).json()["count"] > 0, path
        assert client.get(path, headers=headers).json()["count"] == 0, path
    assert client.get("/api/v1/years", headers=headers).status_code == 404


def test_its_home_page_leads_only_to_its_own_work(client, world, year, completed, account):
    client.force_login(account)
    page = client.get(reverse("front:home")).content.decode()
    main = page[page.index("<main") :]
    assert f'href="{reverse("delivery:index")}"' in main
    for other in ("sar:queue", "organizations:institution_list", "synthesis:index"):
        assert f'href="{reverse(other)}"' not in main, other
    assert "You review your institutions" not in main


def test_notices_about_reviews_and_visits_go_to_the_officers_not_to_it(world, year, account):
    import datetime as dt

    from esar.core.models import Notice
    from esar.supervision import services as visit_services

    sar = sar_drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    sar_revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=sar.version)
    visit_services.record_visit(
        actor=world.cm_supervisor,
        follow_ups=[],
        lao=world.cm_city,
        visit_date=timezone.localdate() - dt.timedelta(days=10),
        visitors="นางสมศรี ใจดี ศึกษานิเทศก์",
        findings="การประกันคุณภาพภายในดำเนินการครบทุกขั้นตอน",
        recommendations="ควรจัดทำแผนพัฒนาการอ่าน",
    )
    assert Notice.objects.filter(recipient=world.cm_city_officer).count() == 2
    assert not Notice.objects.filter(recipient=account).exists()
