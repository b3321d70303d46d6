"""ONESQA's side: the inbox, delivered SARs only, verified downloads, receipt, notes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.core.models import AuditEvent, Notice
from esar.delivery import accounts as esar_accounts
from esar.delivery import services
from esar.delivery.models import AssessmentNote, Delivery, DeliveryStatus
from esar.delivery.tests.conftest import complete_synthesis, send_and_accept
from esar.sar.services import drafts as sar_drafts
from esar.testing.years import assess

EN = {"Accept-Language": "en"}


@pytest.fixture
def delivered(world, year, accepted, completed, esar) -> Delivery:
    return services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)


def deliver_kk_town(world, year) -> Delivery:
    send_and_accept(
        world,
        year,
        institution=world.kk_school,
        school=world.kk_school_officer,
        lao=world.kk_town_officer,
    )
    complete_synthesis(world, year, lao=world.kk_town, officer=world.kk_town_officer)
    account = esar_accounts.issue_account(lao=world.kk_town, actor=world.dla_admin).account
    return services.deliver(lao=world.kk_town, year=year, actor=account.user)


def deliver_cm_sao(world, year) -> Delivery:
    teacher = create_account(
        username="cm.centre", password=None, role=Role.SCHOOL_OFFICER, organization=world.cm_centre
    )
    send_and_accept(
        world, year, institution=world.cm_centre, school=teacher, lao=world.cm_sao_officer
    )
    complete_synthesis(world, year, lao=world.cm_sao, officer=world.cm_sao_officer)
    account = esar_accounts.issue_account(lao=world.cm_sao, actor=world.dla_admin).account
    return services.deliver(lao=world.cm_sao, year=year, actor=account.user)


def receipts(page) -> list[str]:
    assert page.status_code == 200
    html = page.content.decode()
    return sorted(
        part.split(">", 1)[1].split("<", 1)[0]
        for part in html.split('href="/esar/')[1:]
        if part.split("/", 1)[0].isdigit() and ">ESAR-" in part[:40]
    )


def test_the_inbox_filters_by_province_lao_year_and_target_group(world, year, delivered, client):
    kk = deliver_kk_town(world, year)
    # The Khon Kaen school was assessed by ONESQA last year: not in the 2569 target group.
    assess(world.kk_school, dt.date(2025, 8, 1))
    client.force_login(world.onesqa_reviewer)
    both = sorted([delivered.receipt_number, kk.receipt_number])

    assert receipts(client.get("/esar/inbox/")) == both
    assert receipts(client.get("/esar/inbox/", {"province": "50"})) == [delivered.receipt_number]
    assert receipts(client.get("/esar/inbox/", {"lao": "3400101"})) == [kk.receipt_number]
    assert receipts(client.get("/esar/inbox/", {"year": "2569"})) == both
    in_group = client.get("/esar/inbox/", {"year": "2569", "target_group": "yes"})
    assert receipts(in_group) == [delivered.receipt_number]
    out = client.get("/esar/inbox/", {"year": "2569", "target_group": "no"})
    assert receipts(out) == [kk.receipt_number]


def test_the_inbox_costs_the_same_queries_for_one_delivery_or_many(world, year, delivered, client):
    client.force_login(world.onesqa_reviewer)
    client.get("/esar/inbox/")  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        assert client.get("/esar/inbox/").status_code == 200
    deliver_kk_town(world, year)
    deliver_cm_sao(world, year)
    with CaptureQueriesContext(connection) as three:
        page = client.get("/esar/inbox/")
    assert len(receipts(page)) == 3
    assert len(three) == len(one)
    assert len(one) <= 12


def test_onesqa_sees_only_what_was_delivered(world, year, delivered, client):
    # A school of another LAO: accepted but never delivered.
    undelivered = send_and_accept(
        world,
        year,
        institution=world.kk_school,
        school=world.kk_school_officer,
        lao=world.kk_town_officer,
    )
    client.force_login(world.onesqa_reviewer)
    revision = delivered.revisions.get().revision

    assert client.get(f"/esar/{delivered.pk}/sar/{revision.pk}/").status_code == 200
    # Through the delivery: only its own revisions.
    assert client.get(f"/esar/{delivered.pk}/sar/{undelivered.pk}/").status_code == 404
    # The SAR pages themselves are not ONESQA's.
    assert client.get(f"/sar/{undelivered.sar_id}/").status_code == 404
    assert client.get(f"/sar/{undelivered.sar_id}/revision/1/").status_code == 404
    assert client.get(f"/sar/{revision.sar_id}/").status_code == 404
    assert client.get(f"/sar/file/{undelivered.document_id}/").status_code == 404


def test_a_draft_and_an_accepted_undelivered_sar_are_404_for_onesqa(world, year, client):
    draft = sar_drafts.open_sar(
        institution=world.kk_school, year=year, actor=world.kk_school_officer
    )
    accepted = send_and_accept(world, year)
    client.force_login(world.onesqa_reviewer)
    assert client.get(f"/sar/{draft.pk}/").status_code == 404
    assert client.get(f"/sar/{accepted.sar_id}/revision/{accepted.number}/").status_code == 404
    assert client.get(f"/sar/file/{accepted.document_id}/").status_code == 404
    # Nothing reached the inbox.
    assert receipts(client.get("/esar/inbox/")) == []


def test_a_delivery_still_being_sent_is_not_in_onesqas_inbox(world, year, delivered, client):
    Delivery.objects.filter(pk=delivered.pk).update(status=DeliveryStatus.QUEUED)
    client.force_login(world.onesqa_reviewer)
    assert receipts(client.get("/esar/inbox/")) == []
    assert client.get(f"/esar/{delivered.pk}/").status_code == 404


def test_onesqa_reads_the_delivered_sar_and_synthesis(world, year, delivered, client):
    client.force_login(world.onesqa_reviewer)
    revision = delivered.revisions.get().revision
    page = client.get(f"/esar/{delivered.pk}/sar/{revision.pk}/", headers=EN).content.decode()
    assert world.cm_school.name_th in page
    assert revision.content_sha256 in page
    assert 'data-testid="basic-data"' in page
    synthesis = client.get(f"/esar/{delivered.pk}/synthesis/", headers=EN).content.decode()
    assert "สถานศึกษาส่วนใหญ่อยู่ในระดับดี" in synthesis
    detail = client.get(f"/esar/{delivered.pk}/", headers=EN).content.decode()
    assert delivered.receipt_number in detail
    assert delivered.manifest_sha256 in detail


def test_a_delivered_file_is_served_only_when_it_still_matches_the_manifest(
    world, year, delivered, accepted, client
):
    client.force_login(world.onesqa_reviewer)
    entry = next(e for e in delivered.manifest["files"] if e["kind"] == "document")
    url = f"/esar/{delivered.pk}/file/{entry['attachment_id']}/"

    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Checksum-SHA256"] == entry["sha256"]
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == entry["sha256"]

    with open(accepted.document.file.path, "r+b") as stored:
        stored.seek(10)
        stored.write(b"X")
    refused = client.get(url, headers=EN)
    assert refused.status_code == 409
    assert "no longer matches what was delivered" in refused.content.decode()
    assert AuditEvent.objects.filter(action="delivery.file_mismatch").exists()


def test_a_file_not_in_the_manifest_is_not_served(world, year, delivered, client):
    other = send_and_accept(
        world,
        year,
        institution=world.kk_school,
        school=world.kk_school_officer,
        lao=world.kk_town_officer,
    )
    client.force_login(world.onesqa_reviewer)
    assert client.get(f"/esar/{delivered.pk}/file/{other.document_id}/").status_code == 404


def test_acknowledging_receipt_shows_received_by_onesqa_to_the_lao_its_province_and_dla(
    world, year, delivered, client
):
    client.force_login(world.onesqa_reviewer)
    response = client.post(f"/esar/{delivered.pk}/acknowledge/")
    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.acknowledged_by == world.onesqa_reviewer
    be_year = str(delivered.acknowledged_at.year + 543)

    for persona in ("cm_city_officer", "cm_supervisor", "dla_analyst"):
        client.force_login(getattr(world, persona))
        page = client.get(f"/esar/{delivered.pk}/", headers=EN).content.decode()
        received = page.split('data-testid="received">')[1].split("</span>")[0]
        assert "Received by ONESQA" in received
        assert be_year in received
    client.force_login(world.cm_city_officer)
    lao_page = client.get("/esar/?year=2569", headers=EN).content.decode()
    assert "Received by ONESQA" in lao_page
    assert Notice.objects.filter(
        recipient=world.cm_city_officer, title__contains=delivered.receipt_number
    ).exists()

    # Once only; and never by the LAO.
    client.force_login(world.onesqa_reviewer)
    again = client.post(f"/esar/{delivered.pk}/acknowledge/", headers=EN)
    assert again.status_code == 409
    assert "already acknowledged" in again.content.decode()
    client.force_login(world.cm_city_officer)
    assert client.post(f"/esar/{delivered.pk}/acknowledge/").status_code == 403


def test_notes_for_the_external_assessment_are_onesqas_only(world, year, delivered, client):
    revision = delivered.revisions.get().revision
    url = f"/esar/{delivered.pk}/sar/{revision.pk}/"
    client.force_login(world.onesqa_reviewer)
    response = client.post(f"{url}notes/", {"text": "ควรตรวจเยี่ยมเรื่องการอ่าน"})
    assert response.status_code == 302
    assert "ควรตรวจเยี่ยมเรื่องการอ่าน" in client.get(url).content.decode()
    assert AssessmentNote.objects.get().author == world.onesqa_reviewer

    for persona in ("cm_city_officer", "cm_supervisor", "dla_admin"):
        client.force_login(getattr(world, persona))
        page = client.get(url)
        assert page.status_code == 200
        assert "ควรตรวจเยี่ยมเรื่องการอ่าน" not in page.content.decode()
        # They read the delivered SAR but only ONESQA writes notes: 403.
        assert client.post(f"{url}notes/", {"text": "x"}).status_code == 403
    assert AssessmentNote.objects.count() == 1


def test_every_file_of_the_manifest_is_downloaded_from_the_delivery_page(
    world, year, delivered, client
):
    """revision.json and the synthesis JSON too: the page links each entry, checked on the way."""
    client.force_login(world.onesqa_reviewer)
    page = client.get(f"/esar/{delivered.pk}/", headers=EN).content.decode()
    for entry in delivered.manifest["files"]:
        url = f"/esar/{delivered.pk}/files/{entry['path']}"
        assert f'href="{url}"' in page, entry["path"]
        response = client.get(url)
        assert response.status_code == 200, entry["path"]
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == entry["sha256"] == response["X-Checksum-SHA256"]
    assert client.get(f"/esar/{delivered.pk}/files/sars/x/revision.json").status_code == 404
    client.force_login(world.kk_supervisor)
    assert client.get(f"/esar/{delivered.pk}/files/{entry['path']}").status_code == 404
