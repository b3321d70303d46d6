"""Each hop's time and timeliness, through the real services, at the deadlines' edges."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from esar.delivery import accounts as esar_accounts
from esar.delivery import services as delivery
from esar.monitoring import progress
from esar.monitoring.models import InstitutionProgress, LaoProgress, ProvinceProgress, SarState
from esar.sar.services import drafts as sar_drafts
from esar.sar.services import revisions as sar_revisions
from esar.synthesis import services as synthesis_services
from esar.testing.sar import accepted_revision, fill_complete, make_year

BANGKOK = ZoneInfo("Asia/Bangkok")


def _at(day: dt.date, hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BANGKOK)


def _submit(world, year):
    sar = sar_drafts.open_sar(institution=world.kk_school, year=year, actor=world.kk_school_officer)
    sar = fill_complete(sar, world.kk_school_officer)
    return sar_revisions.submit(
        sar=sar, actor=world.kk_school_officer, expected_version=sar.version
    )


@pytest.mark.parametrize(
    ("hour", "minute", "day_after", "late"),
    [(23, 59, 0, False), (0, 0, 0, False), (0, 0, 1, True)],
    ids=["23:59 on the due day", "00:00 on the due day", "00:00 the day after"],
)
def test_a_sar_sent_on_the_due_day_thai_time_is_on_time_and_the_next_minute_is_late(
    world, hour, minute, day_after, late
):
    year = make_year(2569)
    when = _at(year.sar_due + dt.timedelta(days=day_after), hour, minute, 59 if minute else 0)
    with time_machine.travel(when, tick=False):
        _submit(world, year)
    row = InstitutionProgress.objects.get(year=year, institution=world.kk_school)
    assert row.sar_state == SarState.SUBMITTED
    assert row.submitted_at == when
    assert row.submitted_late is late
    lao = LaoProgress.objects.get(year=year, lao=world.kk_town)
    assert (lao.submitted, lao.submitted_late, lao.awaiting_review) == (1, int(late), 1)


@pytest.mark.parametrize(("day_after", "late"), [(0, False), (1, True)])
def test_a_synthesis_completed_at_the_edge_of_its_due_day(world, day_after, late):
    year = make_year(2569)
    accepted_revision(world.kk_school, year, world.kk_school_officer, world.kk_town_officer)
    synthesis = synthesis_services.open_synthesis(
        lao=world.kk_town, year=year, actor=world.kk_town_officer
    )
    when = _at(year.synthesis_due + dt.timedelta(days=day_after), 0 if day_after else 23, 0)
    with time_machine.travel(when, tick=False):
        synthesis_services.complete(
            synthesis=synthesis, actor=world.kk_town_officer, expected_version=synthesis.version
        )
    row = LaoProgress.objects.get(year=year, lao=world.kk_town)
    assert row.synthesis_completed_at == when
    assert row.synthesis_late is late


def test_every_hop_of_an_institution_and_its_lao_is_timed(world):
    year = make_year(2569)
    revision = accepted_revision(
        world.kk_school, year, world.kk_school_officer, world.kk_town_officer
    )
    row = InstitutionProgress.objects.get(year=year, institution=world.kk_school)
    assert row.sar_state == SarState.ACCEPTED
    assert row.accepted_at == revision.reviewed_at
    assert row.delivered_at is None

    synthesis = synthesis_services.open_synthesis(
        lao=world.kk_town, year=year, actor=world.kk_town_officer
    )
    synthesis_services.complete(
        synthesis=synthesis, actor=world.kk_town_officer, expected_version=synthesis.version
    )
    account = esar_accounts.issue_account(lao=world.kk_town, actor=world.dla_admin).account
    sent = delivery.deliver(lao=world.kk_town, year=year, actor=account.user)
    received = delivery.acknowledge(delivery=sent, actor=world.onesqa_reviewer)

    row.refresh_from_db()
    assert row.delivered_at == sent.delivered_at
    assert row.received_at == received.acknowledged_at
    lao = LaoProgress.objects.get(year=year, lao=world.kk_town)
    assert lao.delivered_at == sent.delivered_at
    assert lao.received_at == received.acknowledged_at
    assert (lao.institutions, lao.accepted, lao.delivered, lao.received) == (1, 1, 1, 1)
    # The province's tally of quality levels holds the accepted report's standards.
    tally = ProvinceProgress.objects.get(year=year, province=world.khon_kaen).levels
    assert sum(sum(ranks.values()) for ranks in tally["standards"].values()) == 3

    # Returned after acceptance: no longer accepted nor delivered; its first sending stays.
    sar_revisions.return_for_revision(
        revision=revision,
        actor=world.kk_town_officer,
        reasons=[sar_revisions.ReasonInput("general", "ข้อมูลพื้นฐานไม่ครบ")],
        after_acceptance=True,
    )
    row.refresh_from_db()
    assert (row.sar_state, row.accepted_at, row.delivered_at) == (SarState.RETURNED, None, None)
    assert row.submitted_at == revision.submitted_at
    lao.refresh_from_db()
    assert (lao.accepted, lao.returned, lao.delivered) == (0, 1, 0)
    assert ProvinceProgress.objects.get(year=year, province=world.khon_kaen).levels == {
        "items": {},
        "standards": {},
    }


def test_a_year_refresh_follows_the_registry_and_the_deadlines(world):
    year = make_year(2569)
    with time_machine.travel(_at(year.sar_due + dt.timedelta(days=3), 10, 0), tick=False):
        _submit(world, year)
    assert InstitutionProgress.objects.get(institution=world.kk_school).submitted_late
    # DLA extends the deadline: the same sending is now on time.
    year.sar_due += dt.timedelta(days=7)
    year.save()
    progress.refresh_year(year)
    assert not InstitutionProgress.objects.get(institution=world.kk_school).submitted_late
    # An institution closed in the registry leaves the counts.
    world.kk_school.is_active = False
    world.kk_school.save()
    progress.refresh_year(year)
    assert not InstitutionProgress.objects.filter(institution=world.kk_school).exists()
    assert LaoProgress.objects.get(year=year, lao=world.kk_town).institutions == 0
