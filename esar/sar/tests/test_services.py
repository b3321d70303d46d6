"""The SAR cycle through its services: who may do what, what is frozen, what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.models import AuditEvent, Notice
from esar.sar.files import UploadRefused
from esar.sar.models import Attachment, Revision, RevisionStatus, Sar, SarStatus
from esar.sar.services import drafts, revisions
from esar.sar.services.drafts import Incomplete
from esar.sar.services.revisions import ReasonInput
from esar.standards.models import StandardItem
from esar.testing.sar import complete_content, fill_complete, make_year, pdf_bytes, upload


@pytest.fixture
def year(db):
    return make_year(2569)


@pytest.fixture
def sar(world, year):
    return drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)


@pytest.fixture
def submitted(world, sar, django_capture_on_commit_callbacks):
    sar = fill_complete(sar, world.cm_school_officer)
    # The e-mails are sent when the transaction commits; run those callbacks here.
    with django_capture_on_commit_callbacks(execute=True):
        revision = revisions.submit(
            sar=sar, actor=world.cm_school_officer, expected_version=sar.version
        )
    return revision


def first_item(sar: Sar) -> StandardItem:
    return StandardItem.objects.filter(standard__standard_set__in=sar.standard_sets.all()).order_by(
        "standard__standard_set__education_level", "standard__order", "order"
    )[0]


# --- Opening ---------------------------------------------------------------------------------


def test_a_school_opens_one_sar_per_year_with_the_standards_of_each_level_it_teaches(
    world, year, sar
):
    assert sar.status == SarStatus.DRAFT
    levels = sorted(sar.standard_sets.values_list("education_level", flat=True))
    assert levels == ["basic", "early_childhood"]
    again = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    assert again.pk == sar.pk
    assert Sar.objects.count() == 1
    assert AuditEvent.objects.filter(action="sar.created", object_id=str(sar.pk)).count() == 1


@pytest.mark.parametrize(
    "persona", ["kk_school_officer", "cm_city_officer", "cm_supervisor", "dla_admin"]
)
def test_only_the_schools_own_officer_opens_its_sar(world, year, persona):
    with pytest.raises(NotAllowed):
        drafts.open_sar(institution=world.cm_school, year=year, actor=getattr(world, persona))
    assert not Sar.objects.exists()


def test_a_closed_year_takes_no_new_reports(world, db):
    closed = make_year(2567, is_open=False)
    with pytest.raises(drafts.SarError, match="2567"):
        drafts.open_sar(institution=world.cm_school, year=closed, actor=world.cm_school_officer)


# --- Drafts ----------------------------------------------------------------------------------


def test_draft_saves_part_by_part_and_counts_versions(world, sar):
    item = first_item(sar)
    sar = drafts.save_draft(
        sar=sar,
        actor=world.cm_school_officer,
        expected_version=1,
        items={str(item.pk): {"level": 4, "target": 3, "how": "  โครงการ  ", "results": ""}},
    )
    assert sar.version == 2
    assert sar.content["items"][str(item.pk)]["how"] == "โครงการ"
    sar = drafts.save_draft(
        sar=sar,
        actor=world.cm_school_officer,
        expected_version=2,
        summary={"strengths": "ครูเข้มแข็ง"},
    )
    # Saving the summary kept the item.
    assert sar.content["items"][str(item.pk)]["level"] == 4
    assert sar.content["summary"]["strengths"] == "ครูเข้มแข็ง"
    assert AuditEvent.objects.filter(action="sar.draft_saved").count() == 2


def test_two_people_saving_from_the_same_version_one_is_told_and_nothing_is_overwritten(world, sar):
    item = first_item(sar)
    drafts.save_draft(
        sar=sar,
        actor=world.cm_school_officer,
        expected_version=1,
        items={str(item.pk): {"how": "ฉบับของคนแรก"}},
    )
    stale = Sar.objects.get(pk=sar.pk)
    stale.version = 1  # what the second person's page still holds
    with pytest.raises(Conflict):
        drafts.save_draft(
            sar=stale,
            actor=world.cm_school_officer,
            expected_version=1,
            items={str(item.pk): {"how": "ฉบับของคนที่สอง"}},
        )
    sar.refresh_from_db()
    assert sar.content["items"][str(item.pk)]["how"] == "ฉบับของคนแรก"
    assert sar.version == 2


@pytest.mark.parametrize(
    ("items", "summary"),
    [
        ({"999999": {"level": 3}}, None),  # an item of no standard of this SAR
        ({"ITEM": {"level": 9}}, None),  # a rank the set does not have
        ({"ITEM": {"level": "good"}}, None),
        ({"ITEM": {"colour": "red"}}, None),
        (None, {"strengths": "x" * 20_001}),
    ],
)
def test_invalid_draft_values_are_refused_and_change_nothing(world, sar, items, summary):
    item = first_item(sar)
    if items:
        items = {str(item.pk) if k == "ITEM" else k: v for k, v in items.items()}
    with pytest.raises(Invalid) as refused:
        drafts.save_draft(
            sar=sar,
            actor=world.cm_school_officer,
            expected_version=1,
            items=items,
            summary=summary,
        )
    assert refused.value.details
    sar.refresh_from_db()
    assert sar.version == 1
    assert sar.content == {}


def test_others_cannot_write_the_draft(world, sar):
    for persona in ("kk_school_officer", "cm_city_officer", "cm_supervisor"):
        with pytest.raises(NotAllowed):
            drafts.save_draft(
                sar=sar,
                actor=getattr(world, persona),
                expected_version=1,
                summary={"strengths": "แก้โดยคนอื่น"},
            )
    sar.refresh_from_db()
    assert sar.content == {}


def test_the_checklist_names_what_is_missing(world, sar):
    missing = drafts.missing_before_submission(sar)
    sections = {entry.section for entry in missing}
    assert sections == {"basic_data", "item", "standard", "summary", "document"}
    # 21 basic items + 14 early-childhood items, none filled in; 3 + 3 standards as a whole.
    assert sum(1 for entry in missing if entry.section == "item") == 35
    assert sum(1 for entry in missing if entry.section == "standard") == 6
    sar = fill_complete(sar, world.cm_school_officer)
    assert drafts.missing_before_submission(sar) == []


def test_an_incomplete_draft_is_not_submitted(world, sar):
    with pytest.raises(Incomplete) as refused:
        revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=1)
    assert len(refused.value.details) > 35
    assert not Revision.objects.exists()
    sar.refresh_from_db()
    assert sar.status == SarStatus.DRAFT


# --- Files -----------------------------------------------------------------------------------


def test_a_real_pdf_is_stored_with_its_hash_and_pages(world, sar):
    data = pdf_bytes(pages=3)
    attachment = drafts.attach_file(
        sar=sar,
        actor=world.cm_school_officer,
        upload=upload(data, "รายงาน SAR.pdf"),
        kind="document",
    )
    import hashlib

    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.page_count == 3
    assert attachment.size == len(data)
    assert attachment.original_name == "รายงาน SAR.pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == data
    sar.refresh_from_db()
    assert sar.document == attachment
    # The same file again is not stored twice.
    again = drafts.attach_file(
        sar=sar, actor=world.cm_school_officer, upload=upload(data), kind="document"
    )
    assert again.pk == attachment.pk


BAD_FILES = {
    "renamed text file": (b"This is a Word document saved as text\n" * 50, "not a PDF"),
    "truncated PDF": (pdf_bytes(pages=3)[:-200], "incomplete"),
    "encrypted PDF": (pdf_bytes(password="secret"), "password"),
    "empty file": (b"", "empty"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_uploads_are_refused_with_the_reason_and_change_nothing(world, sar, case, settings):
    data, reason = BAD_FILES[case]
    from django.utils import translation

    with translation.override("en"), pytest.raises(UploadRefused, match=reason):
        drafts.attach_file(
            sar=sar, actor=world.cm_school_officer, upload=upload(data), kind="document"
        )
    assert not Attachment.objects.exists()
    sar.refresh_from_db()
    assert sar.document is None
    assert sar.version == 1


def test_a_file_over_the_years_limit_is_refused(world, sar):
    sar.year.upload_limit_mb = 1
    sar.year.save()
    data = pdf_bytes(filler=1_200_000)
    with pytest.raises(UploadRefused) as refused:
        drafts.attach_file(
            sar=sar, actor=world.cm_school_officer, upload=upload(data), kind="document"
        )
    assert "1 MB" in refused.value.message
    assert not Attachment.objects.exists()


def test_thai_reason_for_a_refused_file(world, sar):
    with pytest.raises(UploadRefused) as refused:
        drafts.attach_file(
            sar=sar, actor=world.cm_school_officer, upload=upload(b"hello"), kind="evidence"
        )
    assert "PDF" in refused.value.message
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in refused.value.message)


def test_evidence_files_are_added_and_removed_from_the_draft(world, sar):
    one = drafts.attach_file(
        sar=sar, actor=world.cm_school_officer, upload=upload(pdf_bytes(1)), kind="evidence"
    )
    drafts.attach_file(
        sar=sar, actor=world.cm_school_officer, upload=upload(pdf_bytes(2)), kind="evidence"
    )
    assert sar.evidence.count() == 2
    drafts.remove_evidence(sar=sar, actor=world.cm_school_officer, attachment_id=one.pk)
    assert list(sar.evidence.all().values_list("page_count", flat=True)) == [2]
    # The stored file stays: a revision may hold it.
    assert Attachment.objects.filter(pk=one.pk).exists()


# --- Submitting and reviewing ----------------------------------------------------------------


def test_submitting_freezes_an_immutable_revision_and_tells_the_lao(world, sar, submitted):
    revision = submitted
    sar.refresh_from_db()
    assert sar.status == SarStatus.SUBMITTED
    assert sar.current_revision == revision
    assert revision.number == 1
    assert revision.status == RevisionStatus.PENDING
    assert revision.is_late is False
    assert len(revision.content_sha256) == 64
    assert revision.document == sar.document
    assert revision.ratings.count() == 35
    assert set(revision.ratings.values_list("level__rank", flat=True)) == {4}
    # Each standard as a whole is a rating row too (3 basic + 3 early childhood).
    assert revision.standard_ratings.count() == 6
    assert set(revision.standard_ratings.values_list("level__rank", flat=True)) == {4}
    # The draft can no longer be changed.
    with pytest.raises(Conflict):
        drafts.save_draft(
            sar=sar, actor=world.cm_school_officer, expected_version=sar.version, summary={}
        )
    # The LAO's officer is told, in the app and by e-mail; nobody else is.
    notices = Notice.objects.filter(title__contains="2569")
    assert [n.recipient for n in notices] == [world.cm_city_officer]
    assert [m.to for m in mail.outbox] == [[world.cm_city_officer.email]]
    assert AuditEvent.objects.filter(action="sar.submitted", object_id=str(sar.pk)).exists()


def test_a_submission_after_the_deadline_is_flagged_late(world, db):
    year = make_year(
        2568,
        semester1_start=dt.date(2025, 5, 16),
        sar_due=timezone.localdate() - dt.timedelta(days=1),
        review_due=timezone.localdate() + dt.timedelta(days=30),
        synthesis_due=timezone.localdate() + dt.timedelta(days=40),
        delivery_due=timezone.localdate() + dt.timedelta(days=50),
    )
    sar = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    revision = revisions.submit(
        sar=sar, actor=world.cm_school_officer, expected_version=sar.version
    )
    assert revision.is_late is True


def test_on_the_due_day_is_not_late(world, db):
    today = timezone.localdate()
    year = make_year(
        2568,
        semester1_start=dt.date(2025, 5, 16),
        sar_due=today,
        review_due=today,
        synthesis_due=today,
        delivery_due=today,
    )
    sar = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    revision = revisions.submit(
        sar=sar, actor=world.cm_school_officer, expected_version=sar.version
    )
    assert revision.is_late is False


@pytest.mark.parametrize(
    "persona", ["cm_school_officer", "cm_sao_officer", "kk_town_officer", "cm_supervisor"]
)
def test_only_the_schools_lao_reviews(world, submitted, persona):
    actor = getattr(world, persona)
    with pytest.raises(NotAllowed):
        revisions.accept(revision=submitted, actor=actor)
    with pytest.raises(NotAllowed):
        revisions.return_for_revision(
            revision=submitted, actor=actor, reasons=[ReasonInput("general", "แก้")]
        )
    submitted.refresh_from_db()
    assert submitted.status == RevisionStatus.PENDING


def test_returned_then_resubmitted_keeps_both_revisions_and_the_reasons(world, sar, submitted):
    item = first_item(sar)
    revisions.return_for_revision(
        revision=submitted,
        actor=world.cm_city_officer,
        reasons=[
            ReasonInput("item", "ระบุหลักฐานให้ชัดเจน", item_id=item.pk),
            ReasonInput("summary", "แผนพัฒนายังไม่มีตัวชี้วัด"),
            ReasonInput("general", "   "),  # blank: ignored
        ],
    )
    sar.refresh_from_db()
    assert sar.status == SarStatus.RETURNED
    assert [r.text for r in submitted.reasons.all()] == [
        "ระบุหลักฐานให้ชัดเจน",
        "แผนพัฒนายังไม่มีตัวชี้วัด",
    ]
    # The school is told.
    assert Notice.objects.filter(recipient=world.cm_school_officer).exists()
    # It edits the item and sends again.
    sar = drafts.save_draft(
        sar=sar,
        actor=world.cm_school_officer,
        expected_version=sar.version,
        items={str(item.pk): {**sar.content["items"][str(item.pk)], "evidence": "ภาพถ่ายกิจกรรม"}},
    )
    second = revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=sar.version)
    assert second.number == 2
    assert second.content_sha256 != submitted.content_sha256
    submitted.refresh_from_db()
    # The first revision is as it was, reasons and all.
    assert submitted.status == RevisionStatus.RETURNED
    assert submitted.content["items"][str(item.pk)]["evidence"] == ""
    assert submitted.reasons.count() == 2
    revisions.accept(revision=second, actor=world.cm_city_officer, note="เรียบร้อย")
    sar.refresh_from_db()
    assert sar.status == SarStatus.ACCEPTED
    assert list(sar.revisions.values_list("number", "status")) == [
        (1, RevisionStatus.RETURNED),
        (2, RevisionStatus.ACCEPTED),
    ]


def test_a_return_needs_a_reason_and_valid_parts(world, sar, submitted):
    with pytest.raises(Invalid):
        revisions.return_for_revision(
            revision=submitted, actor=world.cm_city_officer, reasons=[ReasonInput("general", " ")]
        )
    with pytest.raises(Invalid):
        revisions.return_for_revision(
            revision=submitted, actor=world.cm_city_officer, reasons=[ReasonInput("item", "x")]
        )
    other_set_item = StandardItem.objects.filter(
        standard__standard_set__education_level="vocational"
    ).first()
    with pytest.raises(Invalid):
        revisions.return_for_revision(
            revision=submitted,
            actor=world.cm_city_officer,
            reasons=[ReasonInput("item", "x", item_id=other_set_item.pk)],
        )
    submitted.refresh_from_db()
    assert submitted.status == RevisionStatus.PENDING


def test_two_officers_reviewing_at_once_one_wins_the_other_is_told(world, sar, submitted):
    # Both loaded the same pending revision; the first accepts.
    second_officer_copy = Revision.objects.get(pk=submitted.pk)
    revisions.accept(revision=submitted, actor=world.cm_city_officer)
    with pytest.raises(Conflict) as lost:
        revisions.return_for_revision(
            revision=second_officer_copy,
            actor=world.cm_city_officer,
            reasons=[ReasonInput("general", "ควรแก้")],
        )
    assert world.cm_city_officer.display_name in lost.value.message
    second_officer_copy.refresh_from_db()
    assert second_officer_copy.status == RevisionStatus.ACCEPTED
    assert not second_officer_copy.reasons.exists()


def test_submitting_twice_from_the_same_page_makes_one_revision(world, sar):
    sar = fill_complete(sar, world.cm_school_officer)
    version = sar.version
    revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=version)
    stale = Sar.objects.get(pk=sar.pk)
    with pytest.raises(Conflict):
        revisions.submit(sar=stale, actor=world.cm_school_officer, expected_version=version)
    assert Revision.objects.count() == 1


# --- Starting from last year -----------------------------------------------------------------


def test_start_from_last_years_sar_copies_its_latest_revision(world, sar, db):
    last_year = make_year(2568, semester1_start=dt.date(2025, 5, 16))
    old = drafts.open_sar(
        institution=world.cm_school, year=last_year, actor=world.cm_school_officer
    )
    old = fill_complete(old, world.cm_school_officer, level=5, text="ปีที่แล้ว")
    revisions.submit(sar=old, actor=world.cm_school_officer, expected_version=old.version)
    sar = drafts.start_from_previous(sar=sar, actor=world.cm_school_officer, expected_version=1)
    expected = complete_content(sar, level=5, text="ปีที่แล้ว")
    assert sar.content["items"] == {
        key: {**entry, "evidence": ""} for key, entry in expected["items"].items()
    }
    assert sar.content["basic_data"]["as_of"] is None
    assert sar.content["summary"]["plan"] == "โครงการรักการอ่าน"
    assert sar.document is None  # this year's PDF must be this year's


def test_start_from_last_year_without_a_previous_report(world, sar):
    with pytest.raises(drafts.SarError):
        drafts.start_from_previous(sar=sar, actor=world.cm_school_officer, expected_version=1)


def test_dla_finds_every_step_of_a_report_in_the_audit_log_by_school_code(world, sar, submitted):
    from esar.core.audit import filter_events

    revisions.accept(revision=submitted, actor=world.cm_city_officer)
    events = filter_events(AuditEvent.objects.all(), q=world.cm_school.code, action="sar.")
    actions = list(events.order_by("at", "pk").values_list("action", "actor_username"))
    assert actions[0] == ("sar.created", world.cm_school_officer.username)
    assert ("sar.submitted", world.cm_school_officer.username) in actions
    assert actions[-1] == ("sar.accepted", world.cm_city_officer.username)
    assert not filter_events(AuditEvent.objects.all(), q=world.kk_school.code, action="sar.")
