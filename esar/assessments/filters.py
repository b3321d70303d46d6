"""The institution filter with the target group of a year, for the pages, the SAR lists and the API.

It lives here, not beside the registry's filters it extends (`esar.organizations.filters`),
because the target group needs the academic years and ONESQA's history, both above the registry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from esar.assessments.selectors import in_target_group
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear
from esar.organizations import filters as registry
from esar.organizations.models import Institution


def filter_institutions(
    qs: QuerySet[Institution],
    *,
    target_group: bool | None = None,
    year: AcademicYear | None = None,
    **registry_filters: Any,
) -> QuerySet[Institution]:
    """The registry's filters (`q`, `province`, `lao`, `kind`, `level`, `active`) and the target
    group: `target_group` True/False keeps the institutions in/out of the target group of `year`
    (resolved by `target_group_year`); without a year there is no target group to filter by."""
    if target_group is not None:
        qs = in_target_group(qs, year, flag=target_group) if year is not None else qs.none()
    return registry.filter_institutions(qs, **registry_filters)


class UnknownYear(LookupError):
    """The academic year asked for is not set up (or, when none was named, none has begun)."""


def target_group_year(
    year: int | None, years: Iterable[AcademicYear] | None = None
) -> AcademicYear | None:
    """The academic year a target-group filter means: the one named, else the current one.

    `years`, when a page has loaded them already, saves the query. Raises `UnknownYear` for a year
    that is not set up; returns None when none was named and no year has begun.
    """
    if years is not None:
        years = list(years)
        if year is None:
            return cycles.current_of(years)
        found = next((y for y in years if y.year == year), None)
    else:
        if year is None:
            return cycles.current_year()
        found = AcademicYear.objects.filter(pk=year).first()
    if found is None:
        raise UnknownYear(year)
    return found
