"""Recompute the progress rows of one year or of every year, from the reports themselves."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from esar.cycles.models import AcademicYear
from esar.monitoring import progress


class Command(BaseCommand):
    help = "Recompute progress rows (institutions, LAOs, provinces) from the reports."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help="academic year (B.E.); all years if omitted")
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the stored rows with a recount and report differences; change nothing",
        )

    def handle(self, *args, year: int | None = None, check: bool = False, **options) -> None:
        years = AcademicYear.objects.order_by("year")
        if year is not None:
            years = years.filter(pk=year)
            if not years.exists():
                raise CommandError(f"Academic year {year} is not set up.")
        for academic_year in years:
            started = time.perf_counter()
            if check:
                differences = progress.differences(academic_year)
                self.stdout.write(
                    f"{academic_year.year}: {len(differences)} difference(s)"
                    + "".join(f"\n  {line}" for line in differences[:50])
                )
                if differences:
                    raise CommandError("Progress rows differ from a recount; run without --check.")
                continue
            progress.refresh_year(academic_year)
            self.stdout.write(
                f"{academic_year.year}: refreshed in {time.perf_counter() - started:.1f} s"
            )
