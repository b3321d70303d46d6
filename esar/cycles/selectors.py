"""Reads of academic years. Deadlines and rules are public to every role, so nothing is scoped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from esar.cycles.models import AcademicYear


def all_years() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.order_by("-year")


def open_years() -> QuerySet[AcademicYear]:
    """The years schools may still write and send reports for, newest first."""
    return AcademicYear.objects.filter(is_open=True).order_by("-year")


def current_year(today: dt.date | None = None) -> AcademicYear | None:
    """The year whose semester 1 opened most recently: the one being reported on."""
    return AcademicYear.objects.current(today)


def current_of(years: Iterable[AcademicYear], today: dt.date | None = None) -> AcademicYear | None:
    """`current_year` picked from years already loaded, for pages that list them anyway."""
    today = today or timezone.localdate()
    started = [year for year in years if year.semester1_start <= today]
    return max(started, key=lambda year: year.semester1_start, default=None)


def year_or_404(year: int) -> AcademicYear:
    try:
        return AcademicYear.objects.get(pk=year)
    except (AcademicYear.DoesNotExist, OverflowError) as exc:
        raise Http404 from exc
