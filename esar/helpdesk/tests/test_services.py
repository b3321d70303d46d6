"""The helpdesk services: who may report and handle, what is recorded, who is told, and that a
stale page never overwrites a newer change."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from esar.core.models import AuditEvent, Notice
from esar.core.thaidate import be_year
from esar.helpdesk import services
from esar.helpdesk.demo import DEMO_CONTACT, seed_demo_contact
from esar.helpdesk.models import HelpdeskContact, Report, ReportStatus, ReportUpdate


def set_contact(world, **values) -> HelpdeskContact:
    fields = {"name": "ทีมช่วยเหลือทดสอบ", "phone": "02-000-0001", "email": "hd@example.org"}
    fields.update(values)
    contact, _ = services.save_contact(
        actor=world.dla_admin,
        expected_version=getattr(services.current_contact(), "version", None),
        **fields,
    )
    return contact


def submit(world, user=None, **values) -> Report:
    fields = {
        "category": "delivery",
        "description": "กดส่งเข้า e-SAR แล้วขึ้นข้อผิดพลาด",
        "page_url": "/delivery/",
    }
    fields.update(values)
    return services.submit_report(actor=user or world.cm_city_officer, **fields)


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/",
        "//evil",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil",
        "javascript:alert(1)",
        "http:/evil",
        "sar/12/",
        "/sar/\n12/",
        "/sar/ 12/",
        "/" + "a" * 600,
        "",
        None,
    ],
)
def test_local_path_refuses_anything_but_a_path_of_this_site(value):
    assert services.local_path(value) is None


@pytest.mark.parametrize(
    "value", ["/", "/sar/12/", "/sar/12/files/?tab=evidence&x=1", "/%E0%B8%81/"]
)
def test_local_path_keeps_paths_of_this_site(value):
    assert services.local_path(value) == value


def test_a_report_records_its_page_reference_and_history_and_tells_the_helpdesk(
    world, django_capture_on_commit_callbacks
):
    set_contact(world, email="hd-team@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(world, page_url="/sar/12/files/", page_title="ไฟล์ของรายงาน")
    report.refresh_from_db()
    assert report.lao == world.cm_city
    assert report.reporter == world.cm_city_officer
    assert report.page_url == "/sar/12/files/"
    assert report.page_title == "ไฟล์ของรายงาน"
    assert report.status == ReportStatus.OPEN
    year = be_year(report.created_at.date())
    assert report.reference == f"HD-{year}-00001"
    assert submit(world).reference == f"HD-{year}-00002"
    assert [(u.from_status, u.to_status) for u in report.updates.all()] == [("", "open")]
    # The helpdesk role is told in the app; nobody else is.
    assert {n.recipient for n in Notice.objects.filter(url=f"/helpdesk/{report.pk}/")} == {
        world.helpdesk
    }
    # The contact's address gets the report once, with where it happened.
    to_contact = [m for m in mail.outbox if m.to == ["hd-team@example.org"]]
    assert len(to_contact) == 1
    assert report.reference in to_contact[0].subject
    assert "/sar/12/files/" in to_contact[0].body
    assert world.cm_city.code in to_contact[0].body
    assert report.contact_email == "hd-team@example.org"
    assert Report.objects.get(pk=report.pk).contact_emailed_at is not None
    assert services.send_report_to_contact(report.pk) is False  # a redelivered task sends nothing
    event = AuditEvent.objects.get(action="helpdesk.report_submitted", object_id=str(report.pk))
    assert event.actor == world.cm_city_officer
    assert event.data["page"] == "/sar/12/files/"


def test_without_a_contact_a_report_is_still_accepted_and_no_one_is_e_mailed_outside(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(world)
    assert report.contact_email == ""
    # Only the helpdesk users' own notice e-mails go out.
    assert {tuple(m.to) for m in mail.outbox} == {(world.helpdesk.email,)}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"category": "meltdown"}, "category"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"page_url": "https://evil.example/"}, "page_url"),
        ({"page_url": "//evil"}, "page_url"),
    ],
)
def test_bad_input_saves_nothing_and_names_the_field(world, values, field):
    with pytest.raises(services.Invalid) as caught:
        submit(world, **values)
    assert field in caught.value.errors
    assert not Report.objects.exists()
    assert not Notice.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="helpdesk.").exists()


@pytest.mark.parametrize(
    "who",
    ["cm_school_officer", "cm_supervisor", "onesqa_reviewer", "dla_admin", "helpdesk", "nobody"],
)
def test_only_lao_officers_report(world, who):
    with pytest.raises(services.NotAllowed):
        submit(world, user=getattr(world, who))


def test_status_changes_follow_the_rules_and_tell_the_reporter(world):
    report = submit(world)
    services.update_status(
        report=report,
        actor=world.helpdesk,
        status="in_progress",
        message="กำลังตรวจสอบ",
        expected_version=1,
    )
    report.refresh_from_db()
    assert (report.status, report.version) == ("in_progress", 2)
    notice = Notice.objects.get(recipient=world.cm_city_officer)
    assert report.reference in notice.title
    assert notice.body == "กำลังตรวจสอบ"
    with pytest.raises(services.Invalid):  # back to "open" is not a step
        services.update_status(
            report=report, actor=world.helpdesk, status="open", expected_version=2
        )
    with pytest.raises(services.Invalid):  # the same status without a message changes nothing
        services.update_status(
            report=report, actor=world.helpdesk, status="in_progress", expected_version=2
        )
    services.update_status(
        report=report,
        actor=world.helpdesk,
        status="in_progress",
        message="ขอเลข SAR",
        expected_version=2,
    )
    services.update_status(
        report=report, actor=world.helpdesk, status="resolved", expected_version=3
    )
    assert [(u.from_status, u.to_status, u.message) for u in report.updates.all()] == [
        ("", "open", ""),
        ("open", "in_progress", "กำลังตรวจสอบ"),
        ("in_progress", "in_progress", "ขอเลข SAR"),
        ("in_progress", "resolved", ""),
    ]
    assert AuditEvent.objects.filter(action="helpdesk.report_updated").count() == 3


def test_a_stale_status_update_is_refused_and_changes_nothing(world):
    report = submit(world)
    stale = Report.objects.get(pk=report.pk)
    services.update_status(
        report=report, actor=world.helpdesk, status="in_progress", expected_version=1, message="a"
    )
    with pytest.raises(services.Conflict):
        services.update_status(
            report=stale, actor=world.helpdesk, status="closed", expected_version=1, message="b"
        )
    # Also when the report, as it is now, would not even allow the choice.
    fresh = Report.objects.get(pk=report.pk)
    with pytest.raises(services.Conflict):
        services.update_status(
            report=fresh, actor=world.helpdesk, status="open", expected_version=1, message="c"
        )
    # And when two pages race past the first check, the conditional UPDATE refuses the second.
    stale.version = 2
    with pytest.raises(services.Conflict):
        services.update_status(
            report=stale, actor=world.helpdesk, status="closed", expected_version=2, message="d"
        )
    report.refresh_from_db()
    assert report.status == "in_progress"
    assert report.updates.count() == 2
    assert not ReportUpdate.objects.filter(message="b").exists()


@pytest.mark.parametrize("who", ["cm_city_officer", "dla_admin", "onesqa_reviewer"])
def test_only_the_helpdesk_changes_a_status(world, who):
    report = submit(world)
    with pytest.raises(services.NotAllowed):
        services.update_status(
            report=report, actor=getattr(world, who), status="closed", expected_version=1
        )


def test_dla_sets_the_contact_with_history_in_the_audit_and_stale_edits_are_refused(world):
    first = set_contact(world, name="ทีม ก", phone="02-000-0001", email="a@example.org")
    assert first.version == 1
    second, changes = services.save_contact(
        actor=world.dla_admin,
        name="ทีม ข",
        phone="02-000-0001",
        email="b@example.org",
        expected_version=1,
    )
    assert changes == {"name": ["ทีม ก", "ทีม ข"], "email": ["a@example.org", "b@example.org"]}
    assert second.version == 2
    with pytest.raises(services.Conflict):
        services.save_contact(
            actor=world.dla_admin, name="ทีม ค", email="c@example.org", expected_version=1
        )
    with pytest.raises(services.Conflict):  # "create" when one exists is stale too
        services.save_contact(
            actor=world.dla_admin, name="ทีม ค", email="c@example.org", expected_version=None
        )
    assert services.current_contact().name == "ทีม ข"
    events = AuditEvent.objects.filter(action="helpdesk.contact_saved").order_by("at", "id")
    assert [e.data["changes"].get("name") for e in events] == [["", "ทีม ก"], ["ทีม ก", "ทีม ข"]]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": " "}, "name"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_a_bad_contact_is_refused_with_the_field_named(world, values, field):
    fields = {"name": "ทีม", "phone": "02-000-0001", "email": "hd@example.org"}
    fields.update(values)
    with pytest.raises(services.Invalid) as caught:
        services.save_contact(actor=world.dla_admin, expected_version=None, **fields)
    assert field in caught.value.errors
    assert not HelpdeskContact.objects.exists()


@pytest.mark.parametrize("who", ["helpdesk", "dla_analyst", "cm_city_officer"])
def test_only_dla_administrators_set_the_contact(world, who):
    with pytest.raises(services.NotAllowed):
        services.save_contact(
            actor=getattr(world, who), name="ทีม", email="hd@example.org", expected_version=None
        )


def test_there_is_only_ever_one_contact(world):
    set_contact(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpdeskContact.objects.create(pk=2, name="อีกคน", email="x@example.org")


def test_the_database_refuses_an_unknown_status_and_a_page_elsewhere(world):
    report = submit(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(status="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(page_url="//evil.example/")


def test_the_demo_contact_is_fictional_and_seeded_once(world):
    contact = seed_demo_contact()
    assert contact is not None
    assert contact.email.endswith("@example.org")
    assert contact.phone.startswith("02-000-0000")
    assert seed_demo_contact() is None
    # DLA's own edit survives a re-run.
    services.save_contact(
        actor=world.dla_admin,
        name="ทีมจริงของ สถ.",
        email="real@example.org",
        expected_version=contact.version,
    )
    seed_demo_contact()
    assert services.current_contact().name == "ทีมจริงของ สถ."
    assert DEMO_CONTACT["name"] != services.current_contact().name
