"""Reads of external assessments and the target group of a year, by the same rule everywhere.

The rule (data of each year, edited by DLA): an active institution is in the target group of a
year when ONESQA never assessed it, or last assessed it on or before `year.target_group_cutoff()`
(semester 1 opening minus the year's number of years: exactly 5 years before is in the group).
Lists filter and annotate with one NOT EXISTS per query, never a query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from esar.accounts.models import User
from esar.accounts.scoping import visible
from esar.assessments.models import ExternalAssessment, recent_assessment_exists
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution

M = TypeVar("M", bound=models.Model)


class TargetGroupFields(TypedDict):
    """What `with_target_group` annotates: whether the institution is in the year's group."""

    in_target_group: bool


if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations


def target_group_filter(year: AcademicYear, institution_ref: str = "pk") -> Q:
    """The condition "in the target group of `year`" for a query over institutions.

    `institution_ref` is the path from the queried model to the institution ("pk" for
    institutions themselves, "institution" for rows that point at one).
    """
    active = "is_active" if institution_ref == "pk" else f"{institution_ref}__is_active"
    return Q(**{active: True}) & ~Q(
        recent_assessment_exists(year.target_group_cutoff(), institution_ref)
    )


def in_target_group(queryset: QuerySet[M], year: AcademicYear, flag: bool = True) -> QuerySet[M]:
    """Institutions in (flag=True) or out of (flag=False) the target group of `year`."""
    condition = target_group_filter(year)
    return queryset.filter(condition if flag else ~condition)


def with_target_group(
    queryset: QuerySet[Institution], year: AcademicYear
) -> QuerySet[WithAnnotations[Institution, TargetGroupFields]]:
    """Institutions annotated with `in_target_group` (bool), computed inside the same query."""
    return queryset.annotate(
        in_target_group=ExpressionWrapper(target_group_filter(year), output_field=BooleanField())
    )


def assessments_of(user: User, institution: Institution) -> QuerySet[ExternalAssessment]:
    """The institution's external assessments that `user` may see, newest first."""
    return visible(user, ExternalAssessment.objects.filter(institution=institution)).order_by(
        "-assessed_on", "-id"
    )


@dataclass(frozen=True)
class TargetGroupStatus:
    """Whether one institution is in a year's target group, and why, for its page."""

    year: AcademicYear
    in_group: bool
    last_assessed_on: dt.date | None
    # Whole years between the last assessment and the opening of semester 1.
    years_before: int | None
    is_active: bool

    @property
    def never_assessed(self) -> bool:
        return self.last_assessed_on is None

    @property
    def assessed_this_year(self) -> bool:
        """Assessed on or after semester 1 opened: "N years before" would make no sense."""
        return self.last_assessed_on is not None and (
            self.last_assessed_on >= self.year.semester1_start
        )


def _whole_years(earlier: dt.date, later: dt.date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def target_group_status(
    institution: Institution, year: AcademicYear, last_assessed_on: dt.date | None
) -> TargetGroupStatus:
    """The same rule as `target_group_filter`, for one institution whose history is at hand."""
    old_enough = last_assessed_on is None or last_assessed_on <= year.target_group_cutoff()
    return TargetGroupStatus(
        year=year,
        in_group=institution.is_active and old_enough,
        last_assessed_on=last_assessed_on,
        years_before=(
            None
            if last_assessed_on is None
            else _whole_years(last_assessed_on, year.semester1_start)
        ),
        is_active=institution.is_active,
    )
