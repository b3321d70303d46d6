"""The delivery pages for each persona: who delivers, who reads, who gets 404."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from esar.delivery import services
from esar.delivery.models import Delivery, EsarAccount

EN = {"Accept-Language": "en"}


@pytest.fixture
def delivered(world, year, accepted, completed, esar) -> Delivery:
    return services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)


def urls_of(delivery: Delivery) -> list[str]:
    revision = delivery.revisions.get().revision
    document = next(e for e in delivery.manifest["files"] if e["kind"] == "document")
    return [
        f"/esar/{delivery.pk}/",
        f"/esar/{delivery.pk}/manifest.json",
        f"/esar/{delivery.pk}/synthesis/",
        f"/esar/{delivery.pk}/sar/{revision.pk}/",
        f"/esar/{delivery.pk}/file/{document['attachment_id']}/",
        "/esar/lao/2500101/",
    ]


@pytest.mark.parametrize(
    "persona",
    ["kk_town_officer", "kk_supervisor", "cm_sao_officer", "cm_school_officer", "helpdesk"],
)
def test_people_outside_doi_kham_get_404_on_its_deliveries(world, delivered, client, persona):
    """Every delivery page's status for them is in the access matrix (esar/core/tests/
    access_matrix.py); here, a delivery they try with a valid year, and the lists."""
    client.force_login(getattr(world, persona))
    assert client.post("/esar/lao/2500101/deliver/", {"year": "2569"}).status_code == 404
    if persona in ("kk_town_officer", "kk_supervisor"):
        listing = client.get("/esar/").content.decode()
        assert delivered.receipt_number not in listing


@pytest.mark.parametrize(
    "persona", ["cm_city_officer", "cm_supervisor", "dla_analyst", "dla_admin"]
)
def test_the_lao_its_province_and_dla_read_the_delivery(world, delivered, client, persona):
    client.force_login(getattr(world, persona))
    for url in urls_of(delivered):
        assert client.get(url).status_code == 200, url
    detail = client.get(f"/esar/{delivered.pk}/").content.decode()
    assert delivered.receipt_number in detail
    assert 'data-testid="acknowledge"' not in detail
    lao_page = client.get("/esar/lao/2500101/?year=2569").content.decode()
    assert 'data-testid="deliver"' not in lao_page
    manifest = client.get(f"/esar/{delivered.pk}/manifest.json")
    assert manifest["X-Manifest-SHA256"] == delivered.manifest_sha256
    assert hashlib.sha256(manifest.content).hexdigest() == delivered.manifest_sha256
    assert manifest.json() == delivered.manifest


def test_province_and_dla_list_the_deliveries_of_their_part(world, year, delivered, client):
    client.force_login(world.cm_supervisor)
    assert delivered.receipt_number in client.get("/esar/").content.decode()
    client.force_login(world.dla_analyst)
    assert delivered.receipt_number in client.get("/esar/", {"province": "50"}).content.decode()
    assert delivered.receipt_number not in client.get("/esar/", {"province": "40"}).content.decode()


def test_the_esar_account_delivers_from_the_page_and_sees_the_receipt(
    world, year, accepted, completed, esar, client
):
    client.force_login(esar.account.user)
    page = client.get("/esar/", headers=EN)
    html = page.content.decode()
    assert 'data-testid="waiting"' in html
    assert "Waiting to be delivered: 1 accepted SAR" in html
    expected = page.context["form"]["expected"].value()

    response = client.post(
        "/esar/lao/2500101/deliver/", {"year": "2569", "expected": expected}, headers=EN
    )
    delivery = Delivery.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/esar/{delivery.pk}/"
    detail = client.get(response["Location"], headers=EN).content.decode()
    assert f"Receipt number {delivery.receipt_number}" in detail
    assert 'data-testid="manifest-file"' in detail

    # A second click (the same form again) delivers nothing more.
    again = client.post(
        "/esar/lao/2500101/deliver/", {"year": "2569", "expected": expected}, headers=EN
    )
    assert again.status_code == 302
    assert Delivery.objects.count() == 1
    lao_page = client.get(again["Location"], headers=EN).content.decode()
    assert "Nothing new to deliver" in lao_page
    row = lao_page.split('data-code="3050000001"')[1].split("</tr>")[0]
    assert delivery.receipt_number in row


def test_an_ordinary_officer_is_told_to_use_the_esar_account(
    world, year, accepted, completed, esar, client
):
    client.force_login(world.cm_city_officer)
    page = client.get("/esar/", headers=EN).content.decode()
    assert 'data-testid="deliver"' not in page
    assert 'data-testid="log-in-with-account"' in page
    expected = services.pending(world.cm_city, year).key
    refused = client.post(
        "/esar/lao/2500101/deliver/", {"year": "2569", "expected": expected}, headers=EN
    )
    assert refused.status_code == 403
    assert "e-SAR account DLA issued" in refused.content.decode()
    assert not Delivery.objects.exists()


def test_without_a_complete_synthesis_the_page_says_so(world, year, accepted, esar, client):
    client.force_login(esar.account.user)
    page = client.get("/esar/", headers=EN).content.decode()
    assert 'data-testid="synthesis-incomplete"' in page
    refused = client.post(
        "/esar/lao/2500101/deliver/",
        {"year": "2569", "expected": services.pending(world.cm_city, year).key},
        headers=EN,
    )
    assert refused.status_code == 422
    assert "Complete the synthesis" in refused.content.decode()
    assert not Delivery.objects.exists()


def test_dla_issues_the_account_from_the_laos_page_and_sees_the_password_once(world, client):
    client.force_login(world.dla_admin)
    lao_page = client.get("/registry/laos/2500101/", headers=EN).content.decode()
    assert f'href="/esar/accounts/{world.cm_city.pk}/"' in lao_page

    url = f"/esar/accounts/{world.cm_city.pk}/"
    response = client.post(url, {"action": "issue"}, headers=EN)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["issued"].password
    html = response.content.decode()
    assert "esar2500101" in html
    assert password in html
    # Shown once: not on the next visit, nor stored in clear anywhere.
    later = client.get(url).content.decode()
    assert password not in later
    account = EsarAccount.objects.get()
    assert password not in account.user.password

    revoked = client.post(url, {"action": "revoke"})
    assert revoked.status_code == 302
    account.refresh_from_db()
    assert account.revoked_at is not None
    assert not account.user.__class__.objects.get(pk=account.user_id).is_active


@pytest.mark.parametrize(
    "persona", ["dla_analyst", "cm_supervisor", "cm_city_officer", "onesqa_reviewer"]
)
def test_the_account_page_is_dlas_administrators_only(world, client, persona):
    client.force_login(getattr(world, persona))
    url = f"/esar/accounts/{world.cm_city.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "issue"}).status_code == 404
    assert not EsarAccount.objects.exists()


def test_an_lao_reports_an_esar_problem_from_the_delivery_page(client, world):
    client.force_login(world.cm_city_officer)
    page = client.get(reverse("delivery:index"), follow=True).content.decode()
    assert 'data-testid="helpdesk-report-link"' in page
    link = re.search(r'href="([^"]+)" data-testid="helpdesk-report-link"', page).group(1)
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert "/esar/" in form  # the page where it happened travels with the report
    # Supervisors have no such link (they do not deliver).
    client.force_login(world.cm_supervisor)
    page = client.get(reverse("delivery:index"), follow=True).content.decode()
    assert 'data-testid="helpdesk-report-link"' not in page
