"""The reminder settings through the API: DLA's administrators read and change them as on the
settings page; every other role is refused and nothing changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from esar.api.tests.conftest import API
from esar.core.models import AuditEvent
from esar.monitoring.models import ReminderSettings
from esar.monitoring.reminders import digests, planner
from esar.testing.sar import make_year

BANGKOK = ZoneInfo("Asia/Bangkok")
SETTINGS = {"enabled": True, "days_before": 3, "overdue_every_days": 2, "escalate": False}


def call(method: str, token: str, body=None, language: str = "en"):
    kwargs = {"content_type": "application/json"} if body is not None else {}
    return getattr(Client(), method)(
        f"{API}/reminders/settings",
        *([body] if body is not None else []),
        headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
        **kwargs,
    )


def stored() -> dict:
    return (
        ReminderSettings.objects.filter(pk=1)
        .values("enabled", "days_before", "overdue_every_days", "escalate")
        .first()
        or {}
    )


@pytest.fixture
def year(db):
    return make_year(2569)


def test_dla_admin_reads_the_settings_the_schedule_and_the_runs(world, token_for, year):
    digests.send_reminders(day=dt.date(2027, 3, 31), dry_run=True)

    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=BANGKOK)):
        response = call("get", token_for(world.dla_admin))

    assert response.status_code == 200, response.content
    body = response.json()
    config = ReminderSettings.current()
    assert (body["enabled"], body["days_before"], body["overdue_every_days"]) == (
        config.enabled,
        config.days_before,
        config.overdue_every_days,
    )
    [row] = body["schedule"]
    assert row["year"] == 2569
    sar_hop = next(hop for hop in row["hops"] if hop["hop"] == "sar_submission")
    assert sar_hop["due"] == year.sar_due.isoformat()
    # The page's own computation, the same day.
    expected = planner.next_reminder_days(year.sar_due, config, after=dt.date(2027, 3, 1))
    assert sar_hop["days"] == [day.isoformat() for day in expected]
    [run] = body["runs"]
    assert run["day"] == "2027-03-31"
    assert run["dry_run"] is True


def test_dla_admin_changes_the_settings_and_it_is_audited(world, token_for, year):
    response = call("put", token_for(world.dla_admin), SETTINGS)

    assert response.status_code == 200, response.content
    body = response.json()
    assert {key: body[key] for key in SETTINGS} == SETTINGS
    assert body["updated_by"] == "dla.admin"
    assert stored() == SETTINGS
    event = AuditEvent.objects.get(action="monitoring.reminder_settings_changed")
    assert event.actor == world.dla_admin
    assert event.data["after"] == SETTINGS


def test_a_value_out_of_range_is_422_and_nothing_changes(world, token_for, year):
    before = stored() or {key: getattr(ReminderSettings.current(), key) for key in SETTINGS}

    response = call("put", token_for(world.dla_admin), {**SETTINGS, "days_before": 61}, "th")

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "days_before"
    assert error["message"] == "ต้องไม่เกิน 60"
    assert stored() == before
    assert not AuditEvent.objects.filter(action="monitoring.reminder_settings_changed").exists()


@pytest.mark.parametrize(
    "persona",
    [
        "dla_analyst",
        "cm_supervisor",
        "kk_supervisor",
        "cm_city_officer",
        "cm_school_officer",
        "onesqa_reviewer",
        "helpdesk",
        "nobody",
    ],
)
def test_other_roles_are_refused_and_nothing_changes(world, token_for, year, persona):
    token = token_for(getattr(world, persona))
    before = {key: getattr(ReminderSettings.current(), key) for key in SETTINGS}

    read = call("get", token)
    change = call("put", token, SETTINGS)

    assert read.status_code == change.status_code == 403
    assert "DLA administrators" in change.json()["detail"]
    assert stored() == before
    assert not AuditEvent.objects.filter(action="monitoring.reminder_settings_changed").exists()


def test_it_needs_a_token(world):
    assert Client().get(f"{API}/reminders/settings").status_code == 401
