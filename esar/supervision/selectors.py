"""Reads of supervision visits, scoped by who asks.

DLA (administrators and analysts) read every visit; a province supervisor the visits of their
province; an LAO officer the visits to their LAO and its institutions; a school officer the visits
to their institution. ONESQA and the helpdesk have no part in supervision and see none (404).
The same filters serve the pages, the Excel export and the API.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from esar.accounts.models import User
from esar.accounts.permissions import is_delivery_account, role_of
from esar.accounts.roles import Role
from esar.accounts.scoping import get_visible_or_404, visible
from esar.accounts.types import RequestUser
from esar.core.thaidate import ce_year
from esar.organizations.models import Institution, LocalAuthority
from esar.supervision.models import FollowUp, FollowUpStatus, Visit
from esar.supervision.services import supervised_province


class VisitCountFields(TypedDict):
    """What `visits_for` annotates: the visit's follow-up actions, open ones, overdue ones."""

    follow_up_count: int
    open_count: int
    overdue_count: int


class OverdueFields(TypedDict):
    """What `_with_overdue` annotates: the action is open and past its due date."""

    overdue: bool


if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

    FollowUpWithOverdue: TypeAlias = WithAnnotations[FollowUp, OverdueFields]
    VisitWithCounts: TypeAlias = WithAnnotations[Visit, VisitCountFields]

READER_ROLES = frozenset(
    {
        Role.DLA_ADMIN,
        Role.DLA_ANALYST,
        Role.PROVINCE_SUPERVISOR,
        Role.LAO_OFFICER,
        Role.SCHOOL_OFFICER,
    }
)
NATIONAL_ROLES = frozenset({Role.DLA_ADMIN, Role.DLA_ANALYST})


def can_view(user: RequestUser) -> bool:
    # The LAO's e-SAR delivery account only delivers (accounts.permissions).
    return role_of(user) in READER_ROLES and not is_delivery_account(user)


def can_record(user: RequestUser) -> bool:
    return supervised_province(user) is not None


def sees_provinces(user: RequestUser) -> bool:
    """Whether the user reads more than one province (and so filters by province)."""
    return role_of(user) in NATIONAL_ROLES


def _today() -> dt.date:
    return timezone.localdate()


# --- Visits -----------------------------------------------------------------------------------


def visits_for(user: User, *, today: dt.date | None = None) -> QuerySet[VisitWithCounts]:
    """The visits `user` may see, with what a list row shows and its follow-up counts."""
    if not can_view(user):
        # Empty: no row to carry the annotations.
        return cast("QuerySet[VisitWithCounts]", Visit.objects.none())
    today = today or _today()
    open_ = Q(follow_ups__status=FollowUpStatus.OPEN)
    return visible(
        user,
        Visit.objects.select_related(
            "target_lao", "target_institution", "lao", "province", "recorded_by"
        ).annotate(
            follow_up_count=Count("follow_ups"),
            open_count=Count("follow_ups", filter=open_),
            overdue_count=Count("follow_ups", filter=open_ & Q(follow_ups__due_date__lt=today)),
        ),
    ).order_by("-visit_date", "-id")


def year_bounds(year_be: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a Buddhist-era calendar year."""
    year = ce_year(year_be)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def filter_visits(
    visits: QuerySet[VisitWithCounts],
    *,
    province: str | None = None,
    lao: str | None = None,
    q: str | None = None,
    year: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[VisitWithCounts]:
    """`lao` is an LAO code (its visits and those to its institutions); `q` a name or code of the
    LAO or institution; `year` a Buddhist-era calendar year of the visit date."""
    if province:
        visits = visits.filter(province_id=province)
    if lao:
        visits = visits.filter(lao__code=lao)
    if q:
        text = q.strip()
        visits = visits.filter(
            Q(lao__code=text)
            | Q(lao__name_th__icontains=text)
            | Q(lao__name_en__icontains=text)
            | Q(target_institution__code=text)
            | Q(target_institution__name_th__icontains=text)
            | Q(target_institution__name_en__icontains=text)
        )
    if year:
        first, last = year_bounds(year)
        visits = visits.filter(visit_date__gte=first, visit_date__lte=last)
    if date_from:
        visits = visits.filter(visit_date__gte=date_from)
    if date_to:
        visits = visits.filter(visit_date__lte=date_to)
    return visits


def visit_or_404(user: User, pk: int) -> Visit:
    return get_visible_or_404(user, visits_for(user), pk=pk)


# --- Follow-up actions ------------------------------------------------------------------------


def _with_overdue(follow_ups: QuerySet[FollowUp], today: dt.date) -> QuerySet[FollowUpWithOverdue]:
    return follow_ups.annotate(
        overdue=Case(
            When(status=FollowUpStatus.OPEN, due_date__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def follow_ups_of(visit: Visit, *, today: dt.date | None = None) -> QuerySet[FollowUp]:
    """A visit's actions: open ones first (overdue first among them), then closed ones."""
    return _with_overdue(
        visit.follow_ups.select_related("created_by", "closed_by"), today or _today()
    ).order_by("-status", "due_date", "id")


def follow_ups_for(user: User, *, today: dt.date | None = None) -> QuerySet[FollowUpWithOverdue]:
    """The follow-up actions `user` may see, each with its visit's place, overdue ones first."""
    if not can_view(user):
        # Empty: no row to carry the annotation.
        return cast("QuerySet[FollowUpWithOverdue]", FollowUp.objects.none())
    follow_ups = FollowUp.objects.select_related(
        "visit__target_lao",
        "visit__target_institution",
        "visit__lao",
        "visit__province",
        "closed_by",
    )
    return _with_overdue(visible(user, follow_ups), today or _today()).order_by(
        "-overdue", "due_date", "id"
    )


def filter_follow_ups(
    follow_ups: QuerySet[FollowUpWithOverdue],
    *,
    status: str | None = FollowUpStatus.OPEN,
    province: str | None = None,
    lao: str | None = None,
    q: str | None = None,
    overdue: bool | None = None,
) -> QuerySet[FollowUpWithOverdue]:
    """`status` "open", "closed", or None/"all" for both; `overdue` True for overdue only."""
    if status in FollowUpStatus.values:
        follow_ups = follow_ups.filter(status=status)
    if province:
        follow_ups = follow_ups.filter(visit__province_id=province)
    if lao:
        follow_ups = follow_ups.filter(visit__lao__code=lao)
    if q:
        text = q.strip()
        follow_ups = follow_ups.filter(
            Q(visit__lao__code=text)
            | Q(visit__lao__name_th__icontains=text)
            | Q(visit__lao__name_en__icontains=text)
            | Q(visit__target_institution__code=text)
            | Q(visit__target_institution__name_th__icontains=text)
            | Q(responsible__icontains=text)
        )
    if overdue is True:
        follow_ups = follow_ups.filter(overdue=True)
    elif overdue is False:
        follow_ups = follow_ups.filter(overdue=False)
    return follow_ups


def follow_up_counts(
    follow_ups: QuerySet[FollowUp], *, today: dt.date | None = None
) -> dict[str, int]:
    """How many of `follow_ups` there are, are open, and are overdue, in one query."""
    open_ = Q(status=FollowUpStatus.OPEN)
    return follow_ups.order_by().aggregate(
        total=Count("id"),
        open=Count("id", filter=open_),
        overdue=Count("id", filter=open_ & Q(due_date__lt=today or _today())),
    )


def follow_up_or_404(user: User, pk: int) -> FollowUp:
    return get_visible_or_404(user, follow_ups_for(user), pk=pk)


# --- Targets a supervisor may choose ----------------------------------------------------------


def laos_to_visit(user: User) -> QuerySet[LocalAuthority]:
    """The active LAOs of the supervisor's province, by name (none for anyone else)."""
    province = supervised_province(user)
    if province is None:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.filter(province_id=province, is_active=True).order_by(
        "name_th", "code"
    )


def lao_to_visit(user: User, code: str) -> LocalAuthority | None:
    return laos_to_visit(user).filter(code=code).first()


def institution_to_visit(user: User, code: str) -> Institution | None:
    province = supervised_province(user)
    if province is None:
        return None
    return (
        Institution.objects.select_related("lao")
        .filter(code=code, lao__province_id=province, is_active=True)
        .first()
    )
