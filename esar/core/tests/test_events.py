"""The services announce, monitoring follows: in the announcer's transaction, in order, once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from esar.core import events
from esar.monitoring import progress, tasks
from esar.monitoring.models import InstitutionProgress
from esar.sar.services import drafts, revisions
from esar.testing.sar import fill_complete
from esar.testing.years import make_year


@dataclass(frozen=True)
class Rang:
    what: str


@dataclass(frozen=True)
class Knocked:
    what: str


def test_followers_hear_each_announcement_once_in_the_order_they_subscribed():
    heard: list[str] = []

    def first(event: Rang) -> None:
        heard.append(f"first {event.what}")

    def second(event: Rang) -> None:
        heard.append(f"second {event.what}")

    events.subscribe(Rang, first)
    events.subscribe(Rang, second)
    events.subscribe(Rang, first)  # twice: still heard once
    events.announce(Rang("bell"))
    events.announce(Knocked("door"))  # another kind: not theirs
    assert heard == ["first bell", "second bell"]


def test_monitoring_follows_the_cycle_from_its_app_config():
    assert progress.follow_hops in events.followers(events.HopsMoved)
    assert tasks.follow_counting in events.followers(events.CountingChanged)


@pytest.fixture
def draft(world):
    year = make_year(2569)
    sar = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    return fill_complete(sar, world.cm_school_officer)


def _sent_at(world):
    return InstitutionProgress.objects.get(institution=world.cm_school).submitted_at


def test_a_sending_moves_its_progress_row_and_a_rolled_back_one_does_not(world, draft):
    assert _sent_at(world) is None
    with pytest.raises(RuntimeError), transaction.atomic():
        revisions.submit(sar=draft, actor=world.cm_school_officer, expected_version=draft.version)
        assert _sent_at(world) is not None  # followed inside the sending's transaction
        raise RuntimeError("the sending fails after the announcement")
    assert _sent_at(world) is None
    draft.refresh_from_db()
    revision = revisions.submit(
        sar=draft, actor=world.cm_school_officer, expected_version=draft.version
    )
    assert _sent_at(world) == revision.submitted_at
