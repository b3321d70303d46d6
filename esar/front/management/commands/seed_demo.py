"""Build the demo world (idempotent): `manage.py seed_demo [--scale national]`."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from esar.assessments.demo import seed_demo_assessments
from esar.circulars.demo import seed_demo_circulars
from esar.core import planner
from esar.cycles.demo import ensure_demo_years
from esar.cycles.models import AcademicYear
from esar.delivery.demo import seed_demo_deliveries
from esar.helpdesk.demo import seed_demo_contact
from esar.monitoring import progress
from esar.organizations import demo
from esar.sar.demo import seed_demo_sars
from esar.sar.scale import seed_submitted_sars
from esar.supervision.demo import seed_demo_visits
from esar.synthesis.demo import seed_demo_syntheses


class Command(BaseCommand):
    help = (
        "Create the demo world: 3 provinces with about 12 LAOs, 40 institutions and one account "
        "per role (small, the default), or a national-scale registry without accounts "
        "(--scale national). Running it again creates only what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "national"], default="small")
        parser.add_argument(
            "--laos",
            type=int,
            default=demo.NATIONAL_LAOS,
            help=f"national scale: number of LAOs (default {demo.NATIONAL_LAOS:,})",
        )
        parser.add_argument(
            "--institutions",
            type=int,
            default=demo.NATIONAL_INSTITUTIONS,
            help=f"national scale: number of institutions (default {demo.NATIONAL_INSTITUTIONS:,})",
        )
        parser.add_argument("--batch-size", type=int, default=demo.BATCH_SIZE)
        parser.add_argument(
            "--sars",
            type=int,
            metavar="YEAR",
            help="national scale: also one submitted SAR per institution for this academic year",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even when ESAR_ENV=production (demo accounts share a published password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "Refusing to seed demo data in production (ESAR_ENV=production): every demo "
                "account shares a published password. Pass --force if you really mean it."
            )
        started = time.perf_counter()
        years = ensure_demo_years()
        if years:
            self.stdout.write(
                "Academic years created: " + ", ".join(str(year) for year in years) + "."
            )
        if options["scale"] == "national":
            try:
                result = demo.seed_national(
                    laos=options["laos"],
                    institutions=options["institutions"],
                    batch_size=options["batch_size"],
                    progress=self.stdout.write,
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            created = result.created
            self.stdout.write(
                self.style.SUCCESS(
                    f"National demo registry ready in {time.perf_counter() - started:.1f} s: "
                    f"{result.totals['laos']:,} LAOs and {result.totals['institutions']:,} "
                    f"institutions in {result.totals['provinces']} provinces (created now: "
                    f"{created['laos']:,} LAOs, {created['type_changes']:,} type-history rows, "
                    f"{created['institutions']:,} institutions)."
                )
            )
            if options["sars"]:
                self._seed_sars(options["sars"])
            self._refresh_progress()
            return
        result = demo.seed_small_world()
        assessments = seed_demo_assessments()
        if assessments:
            self.stdout.write(f"External assessments created: {assessments}.")
        sars = seed_demo_sars()
        if sars:
            self.stdout.write(f"Demo SARs created: {sars}.")
        syntheses = seed_demo_syntheses()
        if syntheses:
            self.stdout.write(f"Demo syntheses created: {syntheses}.")
        deliveries = seed_demo_deliveries()
        if deliveries:
            self.stdout.write(f"Demo deliveries into e-SAR created: {deliveries}.")
        if seed_demo_contact():
            self.stdout.write("Demo helpdesk contact set (DLA edits it at /helpdesk/contact/).")
        if circulars := seed_demo_circulars():
            self.stdout.write(f"Demo circulars of DLA created: {circulars}.")
        if visits := seed_demo_visits():
            self.stdout.write(f"Demo supervision visits created: {visits}.")
        self._refresh_progress()
        created, totals = result.created, result.totals
        summary = (
            f"Demo world ready: {totals['laos']} LAOs, {totals['institutions']} institutions and "
            f"{totals['accounts']} accounts in {totals['provinces']} provinces"
        )
        if result.changed:
            summary += (
                f" (created now: {created['laos']} LAOs, {created['institutions']} institutions, "
                f"{created['accounts']} accounts)"
            )
        self.stdout.write(self.style.SUCCESS(summary + ". Logins: manage.py demo_accounts"))

    def _refresh_progress(self) -> None:
        """The demo data is written directly: recount every year's progress rows from it, then
        give PostgreSQL's planner the statistics of what was loaded."""
        started = time.perf_counter()
        for year in AcademicYear.objects.order_by("year"):
            progress.refresh_year(year)
        self.stdout.write(f"Progress rows recounted in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        if planner.analyze():
            self.stdout.write(
                f"Planner statistics (ANALYZE) in {time.perf_counter() - started:.1f} s."
            )

    def _seed_sars(self, year_number: int) -> None:
        year = AcademicYear.objects.filter(pk=year_number).first()
        if year is None:
            raise CommandError(f"There is no academic year {year_number}: create it first.")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done == total or done % 5000 == 0:
                self.stdout.write(f"  SARs {done:,}/{total:,}")

        created = seed_submitted_sars(year, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Submitted SARs for {year_number}: {created:,} created in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )
