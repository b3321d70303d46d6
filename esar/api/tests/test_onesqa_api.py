"""ONESQA through /api/v1/: it reads exactly what was delivered to it, verifies every file of the
manifest by fetching it, writes its notes and acknowledges receipt."""

from __future__ import annotations

import hashlib
import json

import pytest

from esar.api.tests.test_delivery_api import Caller
from esar.core.models import AuditEvent
from esar.delivery import accounts as esar_accounts
from esar.delivery import services
from esar.delivery.models import AssessmentNote, Delivery, DeliveryStatus
from esar.delivery.package import canonical_json
from esar.delivery.tests.conftest import complete_synthesis, resend_and_accept, send_and_accept
from esar.sar.services import drafts as sar_drafts
from esar.sar.services import revisions as sar_revisions
from esar.testing.sar import pdf_bytes, upload
from esar.testing.years import make_year


@pytest.fixture
def year(db):
    return make_year(2569)


@pytest.fixture
def as_user(client, token_for):
    def make(user) -> Caller:
        return Caller(client, token_for(user))

    return make


@pytest.fixture
def delivered(world, year) -> Delivery:
    """Doi Kham's school SAR accepted, its synthesis complete, delivered by its e-SAR account."""
    send_and_accept(world, year)
    complete_synthesis(world, year)
    account = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin).account
    return services.deliver(lao=world.cm_city, year=year, actor=account.user)


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_onesqa_fetches_and_verifies_every_file_the_manifest_lists(world, delivered, as_user):
    onesqa = as_user(world.onesqa_reviewer)
    answer = onesqa.get(f"/deliveries/{delivered.pk}/manifest")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    # The manifest verifies against its published hash, recomputed by the caller.
    recomputed = json.dumps(
        body["manifest"], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()
    assert hashlib.sha256(recomputed).hexdigest() == body["manifest_sha256"]

    kinds = set()
    listed = body["manifest"]["files"]
    assert [entry["path"] for entry in body["files"]] == [entry["path"] for entry in listed]
    for entry in body["files"]:
        fetched = onesqa.get(entry["url"].removeprefix("/api/v1"))
        assert fetched.status_code == 200, (entry["path"], fetched.content)
        data = body_of(fetched)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
        assert len(data) == entry["size"]
        assert fetched["X-Checksum-SHA256"] == entry["sha256"]
        kinds.add(entry["kind"])
        if entry["kind"] == "revision":
            document = json.loads(data)
            assert document["institution"] == world.cm_school.code
            assert document["revision"] == 1
        if entry["kind"] == "synthesis":
            assert json.loads(data)["summary"] == "สถานศึกษาส่วนใหญ่อยู่ในระดับดี"
    assert kinds == {"revision", "document", "synthesis"} | (
        {"evidence"} if any(e["kind"] == "evidence" for e in listed) else set()
    )

    # A stored PDF is also fetched by the file id its entry carries.
    document = next(entry for entry in body["files"] if entry["kind"] == "document")
    by_id = onesqa.get(f"/files/{document['attachment_id']}")
    assert by_id.status_code == 200
    assert hashlib.sha256(body_of(by_id)).hexdigest() == document["sha256"]


def test_onesqa_reads_the_delivered_revision_and_the_synthesis(world, delivered, as_user):
    onesqa = as_user(world.onesqa_reviewer)
    detail = onesqa.get(f"/deliveries/{delivered.pk}").json()
    sar = detail["sars"][0]
    assert sar["institution_code"] == world.cm_school.code
    revision = onesqa.get(sar["url"].removeprefix("/api/v1"))
    assert revision.status_code == 200, revision.content
    read = revision.json()
    assert read["revision"] == 1
    assert read["receipt_number"] == delivered.receipt_number
    assert read["content_sha256"] == sar["content_sha256"]
    assert read["content"]["summary"]["strengths"]
    assert {f["kind"] for f in read["files"]} >= {"revision", "document"}
    assert read["notes"] == []

    synthesis = onesqa.get(detail["synthesis_url"].removeprefix("/api/v1"))
    assert synthesis.status_code == 200, synthesis.content
    assert synthesis.json()["version"] == 1
    assert synthesis.json()["summary"] == "สถานศึกษาส่วนใหญ่อยู่ในระดับดี"
    assert synthesis.json()["file"]["kind"] == "synthesis"


def test_onesqa_writes_notes_that_only_onesqa_reads(world, delivered, as_user):
    url = f"/deliveries/{delivered.pk}/sars/{world.cm_school.code}"
    onesqa = as_user(world.onesqa_reviewer)
    written = onesqa.post(f"{url}/notes", {"text": "ตรวจเยี่ยมด้านการอ่านเขียน"})
    assert written.status_code == 201, written.content
    assert written.json()["text"] == "ตรวจเยี่ยมด้านการอ่านเขียน"
    assert [n["text"] for n in onesqa.get(url).json()["notes"]] == ["ตรวจเยี่ยมด้านการอ่านเขียน"]
    assert AuditEvent.objects.filter(action="delivery.note_added").count() == 1

    # The LAO, its province and DLA read the delivered SAR, never the notes, and write none.
    for persona in ("cm_city_officer", "cm_supervisor", "dla_analyst"):
        caller = as_user(getattr(world, persona))
        assert caller.get(url).json()["notes"] is None
        refused = caller.post(f"{url}/notes", {"text": "ลองเขียน"})
        assert refused.status_code == 403, (persona, refused.content)
    # Another province's people do not even see it.
    for persona in ("kk_town_officer", "kk_supervisor", "cm_school_officer", "helpdesk"):
        caller = as_user(getattr(world, persona))
        assert caller.get(url).status_code == 404
        assert caller.post(f"{url}/notes", {"text": "ลองเขียน"}).status_code == 404
    blank = onesqa.post(f"{url}/notes", {"text": "   "})
    assert blank.status_code == 422
    assert AssessmentNote.objects.count() == 1


def test_onesqa_reads_nothing_that_was_not_delivered(world, year, delivered, as_user):
    onesqa = as_user(world.onesqa_reviewer)
    sar = delivered.revisions.get().revision.sar
    # The draft and the SAR's revisions as the school and the LAO read them: not ONESQA's.
    assert onesqa.get(f"/sars/{sar.pk}").status_code == 404
    assert onesqa.get(f"/sars/{sar.pk}/revisions/1").status_code == 404
    assert onesqa.get("/sars").json()["items"] == []

    # A newer accepted revision, with a new document, not delivered yet: not ONESQA's.
    newer = resend_and_accept(world, sar)
    sar_revisions.return_for_revision(
        revision=newer,
        actor=world.cm_city_officer,
        reasons=[sar_revisions.ReasonInput("document", "แนบฉบับลงนาม")],
        after_acceptance=True,
    )
    sar.refresh_from_db()
    sar_drafts.attach_file(
        sar=sar, actor=world.cm_school_officer, upload=upload(pdf_bytes(3)), kind="document"
    )
    sar.refresh_from_db()
    newer = sar_revisions.accept(
        revision=sar_revisions.submit(
            sar=sar, actor=world.cm_school_officer, expected_version=sar.version
        ),
        actor=world.cm_city_officer,
    )
    assert newer.document_id != delivered.revisions.get().revision.document_id
    assert onesqa.get(f"/files/{newer.document_id}").status_code == 404
    assert (
        onesqa.get(f"/deliveries/{delivered.pk}/files/sars/{world.cm_school.code}/r2/revision.json")
    ).status_code == 404
    assert (
        onesqa.get(f"/deliveries/{delivered.pk}/files/sars/{world.cm_school.code}/r3/document.pdf")
    ).status_code == 404

    # A delivery that has not reached e-SAR is not in ONESQA's inbox at all.
    Delivery.objects.filter(pk=delivered.pk).update(status=DeliveryStatus.FAILED)
    for path in ("", "/manifest", "/synthesis", f"/sars/{world.cm_school.code}"):
        assert onesqa.get(f"/deliveries/{delivered.pk}{path}").status_code == 404, path
    document = next(e for e in delivered.manifest["files"] if e["kind"] == "document")
    assert onesqa.get(f"/files/{document['attachment_id']}").status_code == 404


def test_a_file_that_no_longer_matches_is_refused_and_recorded(world, delivered, as_user):
    onesqa = as_user(world.onesqa_reviewer)
    entry = next(e for e in delivered.manifest["files"] if e["kind"] == "document")
    revision = delivered.revisions.get().revision
    with open(revision.document.file.path, "r+b") as stored:
        stored.seek(10)
        stored.write(b"X")
    refused = onesqa.get(f"/deliveries/{delivered.pk}/files/{entry['path']}")
    assert refused.status_code == 409
    assert "no longer matches what was delivered" in refused.json()["detail"]
    assert onesqa.get(f"/files/{entry['attachment_id']}").status_code == 409
    assert AuditEvent.objects.filter(action="delivery.file_mismatch").count() == 2


def test_the_revision_json_is_the_frozen_revision_the_manifest_hashed(world, delivered, as_user):
    entry = next(e for e in delivered.manifest["files"] if e["kind"] == "revision")
    revision = delivered.revisions.get().revision
    fetched = as_user(world.cm_supervisor).get(f"/deliveries/{delivered.pk}/files/{entry['path']}")
    assert fetched.status_code == 200
    data = body_of(fetched)
    assert json.loads(data)["content"] == revision.content
    assert data == canonical_json(json.loads(data))
    assert (
        as_user(world.kk_supervisor)
        .get(f"/deliveries/{delivered.pk}/files/{entry['path']}")
        .status_code
        == 404
    )
    assert (
        as_user(world.cm_supervisor)
        .get(f"/deliveries/{delivered.pk}/files/sars/none/revision.json")
        .status_code
        == 404
    )


def test_a_later_delivery_without_a_synthesis_says_so(world, year, delivered, as_user):
    """The synthesis went with the first delivery; a corrected SAR goes alone."""
    sar = delivered.revisions.get().revision.sar
    resend_and_accept(world, sar)
    later = services.deliver(lao=world.cm_city, year=year, actor=delivered.account.user)
    onesqa = as_user(world.onesqa_reviewer)
    detail = onesqa.get(f"/deliveries/{later.pk}").json()
    assert detail["synthesis_url"] is None
    assert [s["revision"] for s in detail["sars"]] == [2]
    assert onesqa.get(f"/deliveries/{later.pk}/synthesis").status_code == 404
    # Each delivered revision points to the other one.
    read = onesqa.get(detail["sars"][0]["url"].removeprefix("/api/v1")).json()
    assert [(o["receipt_number"], o["revision"]) for o in read["other_deliveries"]] == [
        (delivered.receipt_number, 1)
    ]
