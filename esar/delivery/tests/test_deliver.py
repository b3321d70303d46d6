"""Delivering into e-SAR: one package per click, each revision once, the LAO's e-SAR account only."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from esar.accounts.models import OneTimePassword
from esar.core.models import AuditEvent
from esar.delivery import accounts as esar_accounts
from esar.delivery import services
from esar.delivery.models import (
    DeliveredRevision,
    DeliveredSynthesis,
    Delivery,
    DeliveryStatus,
    EsarAccount,
)
from esar.delivery.package import manifest_bytes, sha256_hex
from esar.delivery.services import Conflict, Invalid, NotAllowed
from esar.delivery.tests.conftest import (
    complete_synthesis,
    resend_and_accept,
    send_and_accept,
    synthesis_of,
)
from esar.sar.models import RevisionEvidence
from esar.synthesis import services as synthesis_services
from esar.testing.sar import pdf_bytes, upload


def test_a_delivery_holds_the_accepted_sar_and_the_synthesis_with_a_receipt_and_manifest(
    world, year, accepted, completed, esar
):
    delivery = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)

    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.receipt_number == f"ESAR-2569-{delivery.pk:06d}"
    assert delivery.account == esar.account
    assert delivery.delivered_at is not None
    assert [row.revision for row in delivery.revisions.all()] == [accepted]
    assert [row.synthesis_version for row in delivery.syntheses.all()] == [completed]
    manifest = delivery.manifest
    assert manifest["receipt_number"] == delivery.receipt_number
    assert manifest["idempotency_key"] == str(delivery.idempotency_key)
    assert manifest["sars"][0]["institution_code"] == world.cm_school.code
    assert manifest["synthesis"]["version"] == 1
    # Every file, the SAR document among them, with its SHA-256.
    document = next(f for f in manifest["files"] if f["kind"] == "document")
    assert document["sha256"] == accepted.document.sha256
    assert document["size"] == accepted.document.size
    assert {f["kind"] for f in manifest["files"]} == {"revision", "document", "synthesis"}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert delivery.manifest_sha256 == sha256_hex(manifest_bytes(manifest))
    event = AuditEvent.objects.get(action="delivery.created")
    assert event.actor == esar.account.user
    assert event.data["account"] == esar.account.pk


def test_evidence_files_are_listed_in_the_manifest(world, year, esar):
    from esar.sar.services import drafts as sar_drafts
    from esar.sar.services import revisions as sar_revisions
    from esar.testing.sar import fill_complete

    sar = sar_drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    sar_drafts.attach_file(
        sar=sar,
        actor=world.cm_school_officer,
        upload=upload(pdf_bytes(3), "evidence.pdf"),
        kind="evidence",
    )
    sar.refresh_from_db()
    revision = sar_revisions.submit(
        sar=sar, actor=world.cm_school_officer, expected_version=sar.version
    )
    sar_revisions.accept(revision=revision, actor=world.cm_city_officer)
    complete_synthesis(world, year)

    delivery = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)

    evidence = RevisionEvidence.objects.get(revision=revision).attachment
    entries = [f for f in delivery.manifest["files"] if f["kind"] == "evidence"]
    assert [(e["name"], e["sha256"]) for e in entries] == [("evidence.pdf", evidence.sha256)]


def test_delivering_twice_says_nothing_new_and_makes_no_empty_delivery(
    world, year, accepted, completed, esar
):
    first = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
    again = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)

    assert again is None
    assert list(Delivery.objects.all()) == [first]
    assert DeliveredRevision.objects.filter(revision=accepted).count() == 1


def test_a_later_acceptance_goes_in_a_new_delivery_without_repeating_the_first(
    world, year, accepted, completed, esar
):
    first = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
    # The SAO's centre is another LAO's; Doi Kham gets a second school's SAR later.
    from esar.organizations.models import Institution, InstitutionKind

    second_school = Institution.objects.create(
        code="3050000009",
        name_th="โรงเรียนเทศบาลดอยคำสอง",
        kind=InstitutionKind.SCHOOL,
        lao=world.cm_city,
        teaches_basic=True,
    )
    from esar.accounts.roles import Role
    from esar.accounts.services import create_account

    teacher = create_account(
        username="cm.school2", password=None, role=Role.SCHOOL_OFFICER, organization=second_school
    )
    late = send_and_accept(world, year, institution=second_school, school=teacher)

    second = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)

    assert [row.revision for row in second.revisions.all()] == [late]
    # The synthesis version 1 is already delivered: not again.
    assert not second.syntheses.exists()
    assert [row.revision for row in first.revisions.all()] == [accepted]


def test_a_superseded_revision_and_its_replacement_are_both_shown_delivered(
    world, year, accepted, completed, esar, client
):
    first = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
    newer = resend_and_accept(world, accepted.sar)
    synthesis = synthesis_of(world, year)
    complete_synthesis(world, year)  # reopened with a reason and completed again: version 2
    second = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)

    assert [row.revision for row in second.revisions.all()] == [newer]
    assert [row.synthesis_version.number for row in second.syntheses.all()] == [2]
    assert DeliveredRevision.objects.filter(revision__sar=accepted.sar).count() == 2
    assert DeliveredSynthesis.objects.filter(synthesis_version__synthesis=synthesis).count() == 2

    client.force_login(world.cm_city_officer)
    page = client.get("/esar/?year=2569").content.decode()
    assert second.receipt_number in page
    assert first.receipt_number in page
    assert page.count('data-testid="synthesis-superseded"') == 1
    row = page.split('data-code="3050000001"')[1].split("</tr>")[0]
    assert second.receipt_number in row.split('data-testid="superseded"')[0]
    assert first.receipt_number in row.split('data-testid="superseded"')[1]


def test_the_synthesis_must_be_complete(world, year, accepted, esar):
    synthesis_services.open_synthesis(lao=world.cm_city, year=year, actor=world.cm_city_officer)
    with pytest.raises(Invalid, match="Complete the synthesis"):
        services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
    assert not Delivery.objects.exists()


def test_a_reopened_synthesis_stops_deliveries_until_completed_again(
    world, year, accepted, completed, esar
):
    synthesis = synthesis_of(world, year)
    synthesis_services.reopen(
        synthesis=synthesis,
        actor=world.cm_city_officer,
        expected_version=synthesis.version,
        reason="แก้ไข",
    )
    with pytest.raises(Invalid):
        services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
    assert not Delivery.objects.exists()


def test_a_page_that_showed_less_than_is_waiting_now_delivers_nothing(
    world, year, accepted, completed, esar
):
    shown = services.Pending(revisions=[], synthesis_version=completed).key
    with pytest.raises(Conflict):
        services.deliver(lao=world.cm_city, year=year, actor=esar.account.user, expected=shown)
    assert not Delivery.objects.exists()
    waiting = services.pending(world.cm_city, year)
    assert services.deliver(
        lao=world.cm_city, year=year, actor=esar.account.user, expected=waiting.key
    )


@pytest.mark.parametrize(
    "who",
    [
        "ordinary officer",
        "other LAO's e-SAR account",
        "revoked account",
        "re-issued: the revoked issuance",
        "dla_admin",
        "cm_supervisor",
        "onesqa_reviewer",
        "cm_school_officer",
    ],
)
def test_only_the_laos_own_active_esar_account_delivers(world, year, accepted, completed, who):
    issued = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    if who == "ordinary officer":
        actor = world.cm_city_officer
    elif who == "other LAO's e-SAR account":
        actor = esar_accounts.issue_account(lao=world.kk_town, actor=world.dla_admin).account.user
    elif who == "revoked account":
        esar_accounts.revoke_account(lao=world.cm_city, actor=world.dla_admin)
        actor = issued.account.user
    elif who == "re-issued: the revoked issuance":
        # The same user, but only the latest issuance delivers; a stale session of the revoked
        # one holds a user object whose account row is revoked.
        esar_accounts.revoke_account(lao=world.cm_city, actor=world.dla_admin)
        actor = issued.account.user
        actor.is_active = True  # as loaded before the revocation
    else:
        actor = getattr(world, who)

    with pytest.raises(NotAllowed):
        services.deliver(lao=world.cm_city, year=year, actor=actor)

    assert not Delivery.objects.exists()
    assert not DeliveredRevision.objects.exists()
    assert not AuditEvent.objects.filter(action="delivery.created").exists()
    assert services.pending(world.cm_city, year).revisions == [accepted]


def _log_in(client, username: str, password: str) -> bool:
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_dla_issues_an_account_whose_password_is_stored_hashed_and_reissue_ends_the_old_one(
    world, client
):
    first = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    user = first.account.user
    assert user.username == "esar2500101"
    assert user.membership.role == "lao_officer"
    assert user.membership.lao == world.cm_city
    # A one-time password (about 114 bits, typed from a letter), stored only hashed.
    assert re.fullmatch(r"[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}", first.password)
    assert first.password not in user.password
    assert check_password(first.password, user.password)
    otp = OneTimePassword.objects.get(user=user)
    assert otp.reason == OneTimePassword.Reason.ISSUED
    assert otp.issued_by == world.dla_admin
    assert otp.expires_at == first.expires_at > first.account.issued_at
    assert otp.used_at is None and otp.replaced_at is None
    assert _log_in(client, "esar2500101", first.password)

    second = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)

    assert second.account.user == user
    assert second.account.replaces == first.account
    assert second.password != first.password
    # The session opened with the old password ends, and the old password no longer logs in.
    assert reverse("accounts:login") in client.get("/esar/")["Location"]
    fresh = Client()
    assert not _log_in(fresh, "esar2500101", first.password)
    assert _log_in(fresh, "esar2500101", second.password)
    first.account.refresh_from_db()
    assert first.account.revoked_at is not None
    assert first.account.revoked_by == world.dla_admin
    assert list(EsarAccount.objects.filter(revoked_at__isnull=True)) == [second.account]
    actions = list(
        AuditEvent.objects.filter(action__startswith="esar_account.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("esar_account.issued") == 2
    assert AuditEvent.objects.filter(action="account.created", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    "persona", ["dla_analyst", "cm_supervisor", "cm_city_officer", "onesqa_reviewer"]
)
def test_only_dla_administrators_issue_accounts(world, persona):
    with pytest.raises(NotAllowed):
        esar_accounts.issue_account(lao=world.cm_city, actor=getattr(world, persona))
    assert not EsarAccount.objects.exists()
