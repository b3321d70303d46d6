"""Send the day's reminder digests now (what the daily Celery beat job runs)."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from esar.monitoring.models import ReminderSettings
from esar.monitoring.reminders import digests


class Command(BaseCommand):
    help = "Send each person their digest of what they still owe (once per person and day)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", help="the day, YYYY-MM-DD (default: today, Thai time)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count who would be reminded; send and record nothing but the run",
        )

    def handle(self, *args, day: str | None = None, dry_run: bool = False, **options) -> None:
        try:
            on = dt.date.fromisoformat(day) if day else None
        except ValueError as exc:
            raise CommandError(f"Not a date (YYYY-MM-DD): {day}") from exc
        if not ReminderSettings.current().enabled:
            self.stdout.write("Reminders are turned off (DLA's reminder settings); nothing sent.")
        started = time.perf_counter()
        outcome = digests.send_reminders(day=on, dry_run=dry_run)
        run = outcome.run
        verb = "would be reminded" if dry_run else "reminded"
        self.stdout.write(
            f"{run.day}: {outcome.reminded} people {verb}, "
            f"{outcome.supervisors_reminded} supervisors told of overdue LAOs, "
            f"{outcome.already_reminded} already reminded that day "
            f"({time.perf_counter() - started:.1f} s)"
        )
        for key, value in sorted(outcome.counts.items()):
            self.stdout.write(f"  {key}: {value}")
