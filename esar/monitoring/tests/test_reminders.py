"""Daily reminders: only to those who owe a hop, on the right days, once a day, escalated to the
right province, set by DLA only. Through the real services, on the world's personas."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.core.models import AuditEvent, Notice
from esar.core.thaidate import format_date
from esar.delivery import accounts as esar_accounts
from esar.monitoring import progress
from esar.monitoring.models import ReminderDigest, ReminderRun, ReminderSettings
from esar.monitoring.reminders import configuration, digests, planner
from esar.sar.services import drafts as sar_drafts
from esar.sar.services import revisions as sar_revisions
from esar.testing.sar import accepted_revision, fill_complete, make_year

BANGKOK = ZoneInfo("Asia/Bangkok")
DAY = dt.timedelta(days=1)


@pytest.fixture
def season(world):
    """Year 2569: the Khon Kaen school has sent its SAR (awaiting review), the Chiang Mai school's
    SAR is accepted, the Ban Pa Sak centre (with its own officer) has done nothing."""
    year = make_year(2569)
    centre_officer = create_account(
        username="cm.centre",
        password=None,
        role=Role.SCHOOL_OFFICER,
        organization=world.cm_centre,
        first_name="Lamai",
        email="cm.centre@example.com",
    )
    sar = sar_drafts.open_sar(institution=world.kk_school, year=year, actor=world.kk_school_officer)
    sar = fill_complete(sar, world.kk_school_officer)
    sar_revisions.submit(sar=sar, actor=world.kk_school_officer, expected_version=sar.version)
    accepted_revision(world.cm_school, year, world.cm_school_officer, world.cm_city_officer)
    progress.refresh_year(year)
    world.centre_officer = centre_officer
    # The services' own notices (SAR sent, accepted...) are not reminders: start with none.
    Notice.objects.all().delete()
    return year


def _notices(user) -> list[Notice]:
    return list(Notice.objects.filter(recipient=user).order_by("pk"))


def _run(day: dt.date, **kwargs) -> digests.Outcome:
    return digests.send_reminders(day=day, **kwargs)


def test_on_the_sar_deadline_only_the_school_that_has_not_sent_is_reminded(world, season):
    with time_machine.travel(
        dt.datetime.combine(season.sar_due, dt.time(7, 0), tzinfo=BANGKOK), tick=False
    ):
        outcome = digests.send_reminders()

    assert outcome.run.day == season.sar_due
    (notice,) = _notices(world.centre_officer)
    assert world.cm_centre.name_th in notice.body
    assert "2570" in notice.body  # 31 March 2027, due today, in the Buddhist era
    assert notice.url == reverse("sar:index")  # no SAR opened yet: the page to open it
    # Sent (awaiting review) and accepted: nothing to do, nothing said.
    assert _notices(world.kk_school_officer) == []
    assert _notices(world.cm_school_officer) == []
    # LAO deadlines are a month away; nobody else owes anything today.
    for user in (world.cm_city_officer, world.kk_town_officer, world.cm_supervisor):
        assert _notices(user) == []
    assert outcome.reminded == 1


def test_a_returned_sar_must_be_sent_again(world, season):
    sar = sar_drafts.open_sar(institution=world.cm_centre, year=season, actor=world.centre_officer)
    sar = fill_complete(sar, world.centre_officer)
    revision = sar_revisions.submit(
        sar=sar, actor=world.centre_officer, expected_version=sar.version
    )
    sar_revisions.return_for_revision(
        revision=revision,
        actor=world.cm_sao_officer,
        reasons=[sar_revisions.ReasonInput("general", "โปรดเพิ่มแผนพัฒนา")],
    )
    Notice.objects.all().delete()

    _run(season.sar_due)

    (notice,) = _notices(world.centre_officer)
    assert notice.url == reverse("sar:detail", args=[sar.pk])
    with translation.override(settings.LANGUAGE_CODE):
        expected = _("Send the revised SAR %(year)d of %(institution)s again") % {
            "year": 2569,
            "institution": world.cm_centre.name_th,
        }
    assert expected in notice.body


def test_reminders_go_out_n_days_before_on_the_day_the_day_after_and_every_week_after(
    world, season
):
    days = [season.sar_due + dt.timedelta(days=offset) for offset in range(-10, 16)]
    for day in days:
        _run(day)
    reminded_on = sorted(
        ReminderDigest.objects.filter(user=world.centre_officer).values_list("day", flat=True)
    )
    due = season.sar_due
    assert reminded_on == [due - 7 * DAY, due, due + DAY, due + 8 * DAY, due + 15 * DAY]
    assert len(_notices(world.centre_officer)) == 5
    overdue = _notices(world.centre_officer)[2]
    with translation.override(settings.LANGUAGE_CODE):
        expected = _("overdue since %(date)s") % {"date": format_date(due + DAY)}
    assert expected in overdue.body


def test_dla_chooses_how_many_days_before_and_how_often_while_overdue(world, season):
    configuration.update_settings(
        actor=world.dla_admin, enabled=True, days_before=3, overdue_every_days=2, escalate=True
    )
    due = season.sar_due
    for offset in range(-8, 6):
        _run(due + dt.timedelta(days=offset))
    reminded_on = sorted(
        ReminderDigest.objects.filter(user=world.centre_officer).values_list("day", flat=True)
    )
    assert reminded_on == [due - 3 * DAY, due, due + DAY, due + 3 * DAY, due + 5 * DAY]


def test_running_twice_the_same_day_sends_each_digest_once(
    world, season, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _run(season.sar_due)
    with django_capture_on_commit_callbacks(execute=True):
        second = _run(season.sar_due)

    assert (first.reminded, second.reminded, second.already_reminded) == (1, 0, 1)
    assert len(_notices(world.centre_officer)) == 1
    assert [message.to for message in mail.outbox] == [["cm.centre@example.com"]]
    assert ReminderRun.objects.filter(day=season.sar_due, finished_at__isnull=False).count() == 2


def test_lao_officers_are_reminded_of_their_reviews_and_synthesis_not_of_others(world, season):
    _run(season.review_due)

    # Khon Kaen's SAR awaits review; Doi Kham has reviewed its only SAR; Ban Pa Sak has none.
    (notice,) = _notices(world.kk_town_officer)
    assert world.kk_town.name_th in notice.body
    assert notice.url == reverse("sar:queue")
    assert _notices(world.cm_city_officer) == []
    assert _notices(world.cm_sao_officer) == []

    _run(season.synthesis_due)
    (synthesis,) = _notices(world.cm_city_officer)
    assert synthesis.url == reverse("synthesis:detail", args=[world.cm_city.pk, season.year])
    # Khon Kaen owes its synthesis and its overdue review: one digest lists both, overdue first.
    kk = _notices(world.kk_town_officer)[-1]
    assert kk.url == reverse("sar:queue")
    assert reverse("synthesis:detail", args=[world.kk_town.pk, season.year]) in kk.body


def test_the_esar_account_is_reminded_of_the_delivery_only(world, season):
    issued = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    account = issued.account.user

    _run(season.synthesis_due)
    assert _notices(account) == []
    assert len(_notices(world.cm_city_officer)) == 1

    _run(season.delivery_due)
    (notice,) = _notices(account)
    assert notice.url == reverse("delivery:lao", args=[world.cm_city.code])


def test_overdue_laos_are_escalated_to_their_own_province_only(world, season):
    # The day after the SAR deadline: Ban Pa Sak's centre has not sent (Chiang Mai).
    _run(season.sar_due + DAY)
    (cm,) = _notices(world.cm_supervisor)
    assert world.cm_sao.name_th in cm.body
    assert world.kk_town.name_th not in cm.body
    assert _notices(world.kk_supervisor) == []

    # The day after the review deadline: Khon Kaen's SAR still awaits review.
    _run(season.review_due + DAY)
    (kk,) = _notices(world.kk_supervisor)
    assert world.kk_town.name_th in kk.body
    assert world.cm_sao.name_th not in kk.body and world.cm_city.name_th not in kk.body
    assert all(world.kk_town.name_th not in notice.body for notice in _notices(world.cm_supervisor))


def test_no_escalation_when_dla_turns_it_off(world, season):
    configuration.update_settings(
        actor=world.dla_admin, enabled=True, days_before=7, overdue_every_days=7, escalate=False
    )
    _run(season.sar_due + DAY)
    assert _notices(world.cm_supervisor) == []
    assert len(_notices(world.centre_officer)) == 1


def test_nothing_is_sent_when_reminders_are_off(world, season):
    configuration.update_settings(
        actor=world.dla_admin, enabled=False, days_before=7, overdue_every_days=7, escalate=True
    )
    outcome = _run(season.sar_due)
    assert outcome.reminded == 0
    assert not Notice.objects.exists()
    assert not ReminderDigest.objects.exists()
    assert ReminderRun.objects.get().finished_at is not None


def test_inactive_people_and_closed_years_get_nothing(world, season):
    world.centre_officer.is_active = False
    world.centre_officer.save()
    _run(season.sar_due)
    assert _notices(world.centre_officer) == []

    world.centre_officer.is_active = True
    world.centre_officer.save()
    season.is_open = False
    season.save()
    _run(season.sar_due + DAY)
    assert _notices(world.centre_officer) == []


def test_the_command_counts_and_a_dry_run_sends_nothing(world, season):
    out = StringIO()
    call_command("send_reminders", "--day", season.sar_due.isoformat(), "--dry-run", stdout=out)
    assert "1 people would be reminded" in out.getvalue()
    assert not Notice.objects.exists()

    out = StringIO()
    call_command("send_reminders", "--day", season.sar_due.isoformat(), stdout=out)
    assert "1 people reminded" in out.getvalue()
    assert len(_notices(world.centre_officer)) == 1


def test_the_celery_task_runs_the_job(world, season):
    from esar.monitoring.tasks import send_reminders

    result = send_reminders.delay(season.sar_due.isoformat())
    assert result.get()["reminded"] == 1


# --- The settings page -------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dla_administrator_changes_the_settings_and_it_is_audited(world, season):
    client = _client(world.dla_admin)
    url = reverse("monitoring:reminder_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="days_before"' in page.content.decode()

    response = client.post(
        url, {"enabled": "on", "days_before": "3", "overdue_every_days": "2", "escalate": ""}
    )
    assert response.status_code == 302
    current = ReminderSettings.current()
    assert (current.days_before, current.overdue_every_days, current.escalate) == (3, 2, False)
    event = AuditEvent.objects.get(action="monitoring.reminder_settings_changed")
    assert event.actor == world.dla_admin
    assert event.data["before"]["days_before"] == 7 and event.data["after"]["days_before"] == 3


def test_settings_outside_the_allowed_range_are_refused(world):
    client = _client(world.dla_admin)
    response = client.post(
        reverse("monitoring:reminder_settings"),
        {"enabled": "on", "days_before": "61", "overdue_every_days": "0"},
    )
    assert response.status_code == 422
    assert ReminderSettings.current().days_before == 7


@pytest.mark.parametrize(
    "persona",
    ["dla_analyst", "cm_supervisor", "kk_town_officer", "cm_school_officer", "helpdesk", "nobody"],
)
def test_only_dla_administrators_see_the_settings_page(world, persona):
    user = getattr(world, persona)
    client = Client()
    client.force_login(user)
    url = reverse("monitoring:reminder_settings")
    assert client.get(url).status_code == 404
    assert client.post(url, {"days_before": "1", "overdue_every_days": "1"}).status_code == 404
    assert ReminderSettings.current().days_before == 7


def test_the_settings_page_asks_anonymous_visitors_to_log_in(db):
    response = Client().get(reverse("monitoring:reminder_settings"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_working_out_who_owes_what_costs_the_same_queries_for_more_people(world, season):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    config = ReminderSettings.current()
    day = season.sar_due + DAY  # schools' overdue reminders and an escalation
    with CaptureQueriesContext(connection) as few:
        small = planner.plan(day, config)
    for index in range(5):
        centre = world.cm_sao.institutions.create(
            code=f"30509{index:05d}",
            name_th=f"ศูนย์พัฒนาเด็กเล็กเพิ่ม {index}",
            kind=world.cm_centre.kind,
            teaches_early_childhood=True,
        )
        create_account(
            username=f"extra{index}",
            password=None,
            role=Role.SCHOOL_OFFICER,
            organization=centre,
            email=f"extra{index}@example.com",
        )
    progress.refresh_year(season)
    with CaptureQueriesContext(connection) as more:
        large = planner.plan(day, config)
    assert len(large.due_users()) == len(small.due_users()) + 5
    assert len(more.captured_queries) == len(few.captured_queries)
