"""Where a hop stands today: done on time, done late, overdue, or still to do.

Stored rows say when a hop was done and whether that was late; whether a hop not done yet is
overdue depends on today, so it is decided here, when read, by one rule for every page, export,
reminder and API answer: overdue from the day after the due day, Thai time.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear, Hop


class HopState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"  # not done, not due yet

    @property
    def label(self) -> str:
        return str(HOP_STATE_LABELS[self])


HOP_STATE_LABELS = {
    HopState.ON_TIME: _("On time"),
    HopState.LATE: _("Late"),
    HopState.OVERDUE: _("Overdue"),
    HopState.PENDING: _("Not yet due"),
}


def today() -> dt.date:
    return timezone.localdate()


def is_overdue(due: dt.date, on: dt.date | None = None) -> bool:
    return (on or today()) > due


def hop_state(
    done_at: dt.datetime | None, late: bool, due: dt.date, on: dt.date | None = None
) -> HopState:
    if done_at is not None:
        return HopState.LATE if late else HopState.ON_TIME
    return HopState.OVERDUE if is_overdue(due, on) else HopState.PENDING


# Which deadline each progress hop is measured against.
INSTITUTION_HOPS = {
    "submitted": Hop.SAR_SUBMISSION,
    "accepted": Hop.LAO_REVIEW,
    "delivered": Hop.ESAR_DELIVERY,
}
LAO_HOPS = {
    "synthesis": Hop.LAO_SYNTHESIS,
    "delivered": Hop.ESAR_DELIVERY,
}


def overdue_count(year: AcademicYear, hop: Hop, total: int, done: int, on=None) -> int:
    """Of `total`, how many have not done `hop` although it is past due."""
    return max(total - done, 0) if is_overdue(year.due(hop), on) else 0
