"""The services of supervision visits: who may record and change them, what is refused, and the
audit trail each change leaves."""

from __future__ import annotations

import datetime as dt

import pytest

from esar.core.models import AuditEvent, Notice
from esar.supervision import services
from esar.supervision.models import FollowUp, FollowUpStatus, Visit
from esar.supervision.tests.conftest import days_ago, record


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_supervisor_records_a_visit_to_an_lao_with_follow_ups_audited_and_the_lao_told(world):
    visit = record(
        world,
        follow_ups=[
            ("จัดทำแผนพัฒนาการอ่าน", "กองการศึกษา", days_ago(-20)),
            ("รายงานผลการนิเทศภายใน", "ผู้อำนวยการสถานศึกษา", days_ago(-40)),
        ],
    )
    visit.refresh_from_db()
    assert visit.target_lao == world.cm_city
    assert visit.target_institution is None
    assert visit.lao == world.cm_city
    assert visit.province_id == "50"
    assert visit.recorded_by == world.cm_supervisor
    assert visit.visitors.splitlines() == [
        "นางสมศรี ใจดี ศึกษานิเทศก์",
        "นายสมชาย รักงาน นักวิชาการศึกษา",
    ]
    assert [f.status for f in visit.follow_ups.all()] == [FollowUpStatus.OPEN] * 2
    [event] = events("supervision.visit_recorded")
    assert event.actor == world.cm_supervisor
    assert event.object_id == str(visit.pk)
    assert event.data["lao"] == "2500101"
    assert len(event.data["follow_ups"]) == 2
    # The LAO's officer hears of it; the other LAO's does not.
    assert Notice.objects.filter(recipient=world.cm_city_officer).count() == 1
    assert not Notice.objects.filter(recipient=world.cm_sao_officer).exists()


def test_a_visit_to_an_institution_belongs_to_its_lao_and_province(world):
    visit = record(world, lao=None, institution=world.cm_centre)
    assert visit.target_institution == world.cm_centre
    assert visit.target_lao is None
    assert visit.lao == world.cm_sao
    assert visit.province_id == "50"
    assert visit.target_name == world.cm_centre.name_th
    # The centre has no officer of its own in the world; its LAO's officer is told.
    assert Notice.objects.filter(recipient=world.cm_sao_officer).exists()


@pytest.mark.parametrize(
    "persona",
    [
        "kk_supervisor",
        "dla_admin",
        "dla_analyst",
        "cm_city_officer",
        "cm_school_officer",
        "onesqa_reviewer",
        "helpdesk",
        "nobody",
    ],
)
def test_only_the_supervisor_of_the_province_records_a_visit(world, persona):
    with pytest.raises(services.NotAllowed):
        record(world, actor=getattr(world, persona))
    with pytest.raises(services.NotAllowed):
        record(world, actor=getattr(world, persona), lao=None, institution=world.cm_school)
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="supervision.").exists()


def test_a_supervisor_cannot_record_a_visit_in_another_province(world):
    with pytest.raises(services.NotAllowed):
        record(world, lao=world.kk_town)
    with pytest.raises(services.NotAllowed):
        record(world, lao=None, institution=world.kk_school)
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"visit_date": days_ago(-1)}, "visit_date"),
        ({"visit_date": dt.date(1483, 5, 16)}, "visit_date"),
        ({"findings": "   "}, "findings"),
        ({"visitors": "\n \n"}, "visitors"),
        ({"findings": "x" * (services.TEXT_MAX + 1)}, "findings"),
        ({"lao": None}, "target"),
        ({"institution": "both"}, "target"),
    ],
)
def test_bad_visits_are_refused_with_a_message_and_change_nothing(world, values, field):
    if values.get("institution") == "both":
        values = {"institution": world.cm_school}
    with pytest.raises(services.FieldsInvalid) as refused:
        record(world, follow_ups=[("ติดตาม", "กองการศึกษา", days_ago(-5))], **values)
    assert field in refused.value.errors
    assert refused.value.message
    assert not Visit.objects.exists()
    assert not FollowUp.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="supervision.").exists()
    assert not Notice.objects.exists()


def test_a_follow_up_due_before_the_visit_refuses_the_whole_visit(world):
    with pytest.raises(services.FieldsInvalid) as refused:
        record(
            world,
            follow_ups=[
                ("ติดตามผล", "กองการศึกษา", days_ago(-5)),
                ("ย้อนหลัง", "กองการศึกษา", days_ago(11)),
                ("", "", days_ago(-5)),
            ],
        )
    errors = refused.value.errors
    assert "before the visit" in errors["follow_ups.2.due_date"]
    assert "follow_ups.3.action" in errors
    assert "follow_ups.3.responsible" in errors
    assert "follow_ups.1.due_date" not in errors
    assert not Visit.objects.exists()


def test_a_follow_up_may_be_due_on_the_day_of_the_visit(world):
    visit = record(world, follow_ups=[("แก้ไขทันที", "โรงเรียน", days_ago(10))])
    assert visit.follow_ups.get().due_date == days_ago(10)


def test_a_visit_on_today_is_accepted_and_tomorrow_is_not(world):
    assert record(world, visit_date=days_ago(0)).pk
    with pytest.raises(services.FieldsInvalid):
        record(world, visit_date=days_ago(-1))


def test_the_supervisor_edits_a_visit_once_a_stale_edit_is_refused(world):
    visit = record(world)
    changes = services.update_visit(
        visit=visit,
        actor=world.cm_supervisor,
        visit_date=days_ago(9),
        visitors=visit.visitors,
        findings="ข้อค้นพบที่แก้ไขแล้ว",
        recommendations=visit.recommendations,
        expected_version=1,
    )
    assert set(changes) == {"visit_date", "findings"}
    visit.refresh_from_db()
    assert (visit.version, visit.findings, visit.updated_by) == (
        2,
        "ข้อค้นพบที่แก้ไขแล้ว",
        world.cm_supervisor,
    )
    [event] = events("supervision.visit_updated")
    assert event.data["changes"]["findings"][1] == "ข้อค้นพบที่แก้ไขแล้ว"
    stale = Visit.objects.get(pk=visit.pk)
    stale.version = 1
    with pytest.raises(services.Conflict):
        services.update_visit(
            visit=stale,
            actor=world.cm_supervisor,
            visit_date=days_ago(9),
            visitors="ใครบางคน",
            findings="ทับของคนอื่น",
            expected_version=1,
        )
    visit.refresh_from_db()
    assert visit.findings == "ข้อค้นพบที่แก้ไขแล้ว"


def test_an_edit_cannot_move_the_visit_after_one_of_its_due_dates(world):
    visit = record(world, follow_ups=[("ติดตาม", "กองการศึกษา", days_ago(5))])
    with pytest.raises(services.FieldsInvalid) as refused:
        services.update_visit(
            visit=visit,
            actor=world.cm_supervisor,
            visit_date=days_ago(2),
            visitors=visit.visitors,
            findings=visit.findings,
            expected_version=visit.version,
        )
    assert "visit_date" in refused.value.errors
    visit.refresh_from_db()
    assert visit.visit_date == days_ago(10)


@pytest.mark.parametrize("persona", ["kk_supervisor", "dla_admin", "cm_city_officer"])
def test_others_cannot_edit_or_follow_up_a_visit(world, persona):
    visit = record(world, follow_ups=[("ติดตาม", "กองการศึกษา", days_ago(-5))])
    actor = getattr(world, persona)
    with pytest.raises(services.NotAllowed):
        services.update_visit(
            visit=visit,
            actor=actor,
            visit_date=visit.visit_date,
            visitors="x",
            findings="y",
            expected_version=1,
        )
    with pytest.raises(services.NotAllowed):
        services.add_follow_up(
            visit=visit, actor=actor, action="a", responsible="b", due_date=days_ago(-1)
        )
    with pytest.raises(services.NotAllowed):
        services.close_follow_up(follow_up=visit.follow_ups.get(), actor=actor, note="done")
    assert visit.follow_ups.get().status == FollowUpStatus.OPEN
    assert visit.follow_ups.count() == 1


def test_follow_ups_are_added_closed_once_and_reopened_each_step_audited(world):
    visit = record(world)
    follow_up = services.add_follow_up(
        visit=visit,
        actor=world.cm_supervisor,
        action="ส่งรายงานผลการพัฒนา",
        responsible="กองการศึกษา เทศบาลนครดอยคำ",
        due_date=days_ago(-30),
    )
    assert events("supervision.follow_up_added")[0].data["due_date"] == days_ago(-30).isoformat()
    with pytest.raises(services.FieldsInvalid):
        services.close_follow_up(follow_up=follow_up, actor=world.cm_supervisor, note="  ")
    services.close_follow_up(follow_up=follow_up, actor=world.cm_supervisor, note="ได้รับรายงานแล้ว")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED
    assert follow_up.closed_by == world.cm_supervisor
    assert follow_up.closing_note == "ได้รับรายงานแล้ว"
    assert follow_up.closed_at is not None
    # A second click on a stale page does not close it again.
    with pytest.raises(services.Conflict):
        services.close_follow_up(follow_up=follow_up, actor=world.cm_supervisor, note="อีกครั้ง")
    services.reopen_follow_up(
        follow_up=follow_up, actor=world.cm_supervisor, reason="รายงานไม่ครบถ้วน"
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.closed_at is None and follow_up.closing_note == ""
    assert [e.data["note"] for e in events("supervision.follow_up_closed")] == ["ได้รับรายงานแล้ว"]
    assert [e.data["note"] for e in events("supervision.follow_up_reopened")] == ["รายงานไม่ครบถ้วน"]


def test_a_follow_up_due_before_its_visit_is_refused(world):
    visit = record(world)
    with pytest.raises(services.FieldsInvalid) as refused:
        services.add_follow_up(
            visit=visit,
            actor=world.cm_supervisor,
            action="ติดตาม",
            responsible="กอง",
            due_date=days_ago(11),
        )
    assert "due_date" in refused.value.errors
    assert not FollowUp.objects.exists()


def test_the_database_refuses_a_visit_with_two_targets_or_none(world):
    from django.db import IntegrityError, transaction

    base = {
        "lao": world.cm_city,
        "province_id": "50",
        "visit_date": days_ago(1),
        "visitors": "x",
        "findings": "y",
        "recorded_by": world.cm_supervisor,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(target_lao=world.cm_city, target_institution=world.cm_school, **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(**base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(target_lao=world.cm_sao, **base)
