"""The audit log reads as Thai: what happened in words, details as label: value, B.E. dates."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from esar.core import audit
from esar.core.models import AuditEvent
from esar.testing.sar import accepted_revision
from esar.testing.years import make_year

BANGKOK = ZoneInfo("Asia/Bangkok")


def _cells(body: str, testid: str) -> list[str]:
    found = re.findall(rf'data-testid="{testid}">(.*?)</td>', body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


@pytest.fixture
def year(world):
    return make_year(2569, actor=world.dla_admin)


def test_each_event_is_named_in_thai_words_with_its_details_as_lines(client, world, year):
    accepted_revision(world.cm_school, year, world.cm_school_officer, world.cm_city_officer)
    client.force_login(world.dla_admin)
    body = client.get("/audit/").content.decode()

    actions = _cells(body, "audit-action")
    assert "ส่ง SAR ให้ อปท." in actions
    assert "อปท. รับ SAR" in actions
    assert "สร้างปีการศึกษา" in actions
    assert not any(re.search(r"\b[a-z_]+\.[a-z_]+\b", action) for action in actions)

    details = " ".join(_cells(body, "audit-details"))
    # The year's dates in the Buddhist era, its flags in words, its fields by their names.
    assert "กำหนดส่ง SAR: 31 มี.ค. 2570" in details
    assert "วันเปิดภาคเรียนที่ 1: 16 พ.ค. 2569" in details  # the year's own field
    assert "2027-03-31" not in details
    assert "เปิดอยู่: ใช่" in details  # the new year is open
    for raw in ("True", "False", "None", "{", "'", "sar_due", "semester1"):
        assert raw not in details


def test_a_late_submission_reads_as_a_flag_in_words(client, world, year):
    client.force_login(world.dla_analyst)
    audit.record(
        action="sar.submitted",
        actor=world.cm_school_officer,
        obj=world.cm_school,
        data={"revision": 3, "late": False, "replaces": None, "due_date": "2027-03-31"},
    )
    body = client.get("/audit/").content.decode()
    assert _cells(body, "audit-action")[0] == "ส่ง SAR ให้ อปท."
    cell = body.split('data-testid="audit-details">')[1].split("</td>")[0]
    lines = re.findall(r"<div>(.*?)</div>", cell)
    assert sorted(lines) == sorted(
        ["ฉบับที่ส่ง: 3", "ส่งช้า: ไม่ใช่", "แทนฉบับ: —", "กำหนดเสร็จ: 31 มี.ค. 2570"]
    )


def test_the_entry_itself_reads_in_the_buddhist_era(world):
    event = audit.record(action="sar.submitted", actor=world.cm_school_officer, obj=world.cm_school)
    event.at = dt.datetime(2026, 11, 13, 9, 30, tzinfo=BANGKOK)
    # In the site's language, whatever an earlier test's English page left active in this thread.
    with translation.override("th"):
        text = str(event)
    assert text == "13 พ.ย. 2569 09:30 น. cm.school ส่ง SAR ให้ อปท. โรงเรียนเทศบาลดอยคำวิทยา"


def test_the_period_is_typed_as_a_buddhist_era_date(client, world):
    old = audit.record(action="years.created", actor=world.dla_admin, obj=world.cm_school)
    AuditEvent.objects.filter(pk=old.pk).update(at=dt.datetime(2026, 5, 1, 10, 0, tzinfo=BANGKOK))
    new = audit.record(action="years.updated", actor=world.dla_admin, obj=world.cm_school)
    AuditEvent.objects.filter(pk=new.pk).update(at=dt.datetime(2026, 5, 3, 10, 0, tzinfo=BANGKOK))
    client.force_login(world.dla_admin)

    body = client.get("/audit/").content.decode()
    # A text box for d/m/yyyy in the B.E., not the browser's Common-era date picker.
    assert 'type="date"' not in body
    assert 'name="date_from"' in body
    assert "ตั้งแต่ (ว/ด/ปปปป)" in body

    body = client.get("/audit/", {"date_from": "1/5/2569", "date_to": "1/5/2569"}).content
    actions = _cells(body.decode(), "audit-action")
    assert actions == ["สร้างปีการศึกษา"]
    # What was typed is shown back as typed.
    assert 'value="1/5/2569"' in body.decode()

    body = client.get("/audit/", {"date_from": "2/5/2569", "date_to": "๓/๕/๒๕๖๙"}).content.decode()
    assert _cells(body, "audit-action") == ["แก้ไขปีการศึกษา"]


def test_a_wrong_date_says_how_to_write_it(client, world):
    client.force_login(world.dla_admin)
    body = client.get("/audit/", {"date_from": "31/2/2569"}).content.decode()
    assert "16/5/2569" in body
    assert "is-invalid" in body


@pytest.mark.parametrize("persona", ["cm_supervisor", "onesqa_reviewer", "cm_city_officer"])
def test_other_roles_still_do_not_see_the_log(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get("/audit/").status_code == 404


def test_the_kind_of_event_is_chosen_by_its_name_in_words(client, world):
    client.force_login(world.dla_admin)
    audit.record(action="sar.submitted", actor=world.cm_school_officer, obj=world.cm_school)
    audit.record(action="sar.accepted", actor=world.cm_city_officer, obj=world.cm_school)
    body = client.get("/audit/").content.decode()
    assert '<option value="sar.submitted">ส่ง SAR ให้ อปท.</option>' in body

    body = client.get("/audit/", {"action": "sar.submitted"}).content.decode()
    assert _cells(body, "audit-action") == ["ส่ง SAR ให้ อปท."]
    assert '<option value="sar.submitted" selected>' in body


def test_the_admin_lists_events_by_b_e_time_and_name(client, world):
    event = audit.record(action="sar.submitted", actor=world.cm_school_officer, obj=world.cm_school)
    AuditEvent.objects.filter(pk=event.pk).update(
        at=dt.datetime(2026, 11, 13, 9, 30, tzinfo=BANGKOK)
    )
    client.force_login(world.dla_admin)
    body = client.get("/admin/core/auditevent/", {"action": "sar.submitted"}).content.decode()
    assert "13 พ.ย. 2569 09:30 น." in body
    assert "ส่ง SAR ให้ อปท." in body
    assert "2026-11-13" not in body
