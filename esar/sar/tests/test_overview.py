"""The SAR's overview: the send button is only active when nothing is missing, and the basic data
row says what was filled in."""

from __future__ import annotations

from django.urls import reverse

from esar.sar.services import drafts


def _overview(client, world, sar) -> str:
    client.force_login(world.cm_school_officer)
    return client.get(reverse("sar:detail", args=[sar.pk])).content.decode()


def test_the_send_button_waits_for_the_checklist_with_its_reason(client, world, sar):
    html = _overview(client, world, sar)
    button = html.split('data-testid="submit"')[1].split(">")[0]
    assert "disabled" in button
    assert "ส่งรายงานได้เมื่อกรอกทุกรายการข้างต้นครบแล้ว" in html
    # The server still refuses a send that goes around the button.
    response = client.post(reverse("sar:submit", args=[sar.pk]), {"version": sar.version})
    assert response.status_code in (400, 422)
    sar.refresh_from_db()
    assert sar.status == "draft"


def test_a_complete_draft_can_be_sent(client, world, filled):
    html = _overview(client, world, filled)
    button = html.split('data-testid="submit"')[1].split(">")[0]
    assert "disabled" not in button
    assert 'data-testid="submit-blocked"' not in html


def test_the_basic_data_row_shows_the_counts_even_without_a_date(client, world, sar):
    drafts.save_draft(
        sar=sar,
        actor=world.cm_school_officer,
        expected_version=sar.version,
        basic_data={"students": {"basic": 120, "early_childhood": 30}, "staff": {"teachers": 9}},
    )
    html = _overview(client, world, sar)
    cell = html.split('data-testid="basic-filled">')[1].split("</td>")[0]
    assert "นักเรียน 150 คน บุคลากร 9 คน" in cell
    assert "—" not in cell
