"""The demo's supervision visits: a believable mix of open, overdue and closed actions, once."""

from __future__ import annotations

from esar.organizations.demo import seed_small_world
from esar.supervision.demo import DEMO_VISITS, seed_demo_visits
from esar.supervision.models import FollowUp, FollowUpStatus, Visit
from esar.supervision.selectors import follow_up_counts, follow_ups_for


def test_the_demo_visits_are_recorded_once_by_each_province_supervisor(db):
    seed_small_world()
    assert seed_demo_visits() == len(DEMO_VISITS)
    assert seed_demo_visits() == 0
    assert Visit.objects.count() == len(DEMO_VISITS)
    assert set(Visit.objects.values_list("province_id", flat=True)) == {"50", "40", "90"}
    assert Visit.objects.filter(target_institution__isnull=False).count() == 1
    statuses = set(FollowUp.objects.values_list("status", flat=True))
    assert statuses == {FollowUpStatus.OPEN, FollowUpStatus.CLOSED}
    supervisor = Visit.objects.filter(province_id="50").first().recorded_by
    counts = follow_up_counts(follow_ups_for(supervisor))
    assert counts["overdue"] >= 2
    assert counts["open"] > counts["overdue"]
