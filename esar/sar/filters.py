"""Filters of the SAR lists: one row per institution and academic year, with or without a SAR.

An institution that has not started its report is a row too (status "none"), so that a
supervisor sees who is missing, not only who has sent. The same functions can serve pages,
exports and the API.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from esar.assessments.filters import filter_institutions
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.sar.models import SarStatus


class SarOfYearFields(TypedDict):
    """What `with_sar_of_year` annotates: the institution's SAR of the year, None if not started."""

    sar_pk: int | None
    sar_status: str | None
    sar_late: bool | None
    sar_submitted_at: dt.datetime | None
    sar_updated_at: dt.datetime | None


if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

    InstitutionWithSar: TypeAlias = WithAnnotations[Institution, SarOfYearFields]

NOT_STARTED = "none"
NOT_SENT = "not_sent"
STATUS_CHOICES = [
    (NOT_SENT, _("Not sent yet (not started or draft)")),
    (NOT_STARTED, _("Not started")),
    *SarStatus.choices,
]
LATE = "late"
ON_TIME = "on_time"
LATE_CHOICES = [(LATE, _("Sent late")), (ON_TIME, _("Sent on time"))]


def with_sar_of_year(qs: QuerySet[Institution], year: AcademicYear) -> QuerySet[InstitutionWithSar]:
    """Institutions (active, or with a report that year) annotated with their SAR of `year`.

    One joined query: `sar_pk`, `sar_status`, `sar_late`, `sar_submitted_at` and
    `sar_updated_at` are None for an institution that has not started.
    """
    return (
        qs.annotate(year_sar=FilteredRelation("sars", condition=Q(sars__year=year)))
        .filter(Q(is_active=True) | Q(year_sar__isnull=False))
        .annotate(
            sar_pk=F("year_sar__id"),
            sar_status=F("year_sar__status"),
            sar_late=F("year_sar__current_revision__is_late"),
            sar_submitted_at=F("year_sar__current_revision__submitted_at"),
            sar_updated_at=F("year_sar__updated_at"),
        )
    )


def filter_sar_rows(
    qs: QuerySet[InstitutionWithSar],
    *,
    q: str | None = None,
    province: str | None = None,
    lao: str | None = None,
    status: str | None = None,
    late: str | None = None,
    target_group: bool | None = None,
    year: AcademicYear | None = None,
) -> QuerySet[InstitutionWithSar]:
    """Filter rows made by `with_sar_of_year`; an unknown status or late value matches nothing.

    `target_group` keeps the institutions in (True) or out of (False) the target group of `year`.
    """
    # filter_institutions only filters: the rows keep their annotations.
    qs = cast(
        "QuerySet[InstitutionWithSar]",
        filter_institutions(
            qs, q=q, province=province, lao=lao, target_group=target_group, year=year
        ),
    )
    if status == NOT_STARTED:
        qs = qs.filter(sar_pk__isnull=True)
    elif status == NOT_SENT:
        qs = qs.filter(Q(sar_pk__isnull=True) | Q(sar_status=SarStatus.DRAFT))
    elif status:
        qs = qs.filter(sar_status=status) if status in SarStatus.values else qs.none()
    if late == LATE:
        qs = qs.filter(sar_late=True)
    elif late == ON_TIME:
        qs = qs.filter(sar_late=False)
    elif late:
        qs = qs.none()
    return qs
