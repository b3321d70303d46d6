"""Background recomputation of a whole year's progress rows (after rule or registry changes)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from esar.core import background, events
from esar.cycles.models import AcademicYear
from esar.monitoring import progress


@shared_task(name="monitoring.refresh_year")
def refresh_year(year: int) -> None:
    academic_year = AcademicYear.objects.filter(pk=year).first()
    if academic_year is not None:
        progress.refresh_year(academic_year)


def schedule_refresh(years: list[int] | None = None) -> None:
    """Recompute these years (all open years when None) once the caller's transaction commits.

    With a broker a worker does it; in the embedded default the background runner thread does.
    """

    def enqueue() -> None:
        targets = years
        if targets is None:
            targets = list(AcademicYear.objects.filter(is_open=True).values_list("pk", flat=True))
        for year in targets:
            if background.enabled():
                background.submit(refresh_year, year)
            else:
                refresh_year.delay(year)

    transaction.on_commit(enqueue)


@shared_task(name="monitoring.send_reminders")
def send_reminders(day: str | None = None) -> dict[str, int]:
    """The daily digests (Celery beat, every morning); `day` is ISO, today (Thai time) if None."""
    import datetime as dt

    from esar.monitoring.reminders import digests

    outcome = digests.send_reminders(day=dt.date.fromisoformat(day) if day else None)
    return {
        "reminded": outcome.reminded,
        "supervisors_reminded": outcome.supervisors_reminded,
        "already_reminded": outcome.already_reminded,
    }


def follow_counting(event: events.CountingChanged) -> None:
    """Whole years recounted once the announcer's transaction commits."""
    schedule_refresh(list(event.years) if event.years is not None else None)
