"""Who reads which dashboard, and which year a page shows.

Who reads what (anything else is a 404):
- the national dashboard: DLA's administrators and analysts;
- a province's dashboard: DLA, and the supervisor of that province;
- an LAO's page: DLA, the supervisor of its province, and the LAO's own officers;
- the rows of institutions: those readers within their part of the hierarchy, and a school's
  officer for their own institution only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm, role_of
from esar.accounts.roles import Role
from esar.accounts.scoping import Level, get_visible_or_404, scope_for, visible
from esar.accounts.types import RequestUser
from esar.cycles.models import AcademicYear
from esar.monitoring import status
from esar.monitoring.models import InstitutionProgress, LaoProgress
from esar.organizations.models import LocalAuthority, Province

NATIONAL_ROLES = frozenset({Role.DLA_ADMIN, Role.DLA_ANALYST})
PROVINCE_ROLES = NATIONAL_ROLES | {Role.PROVINCE_SUPERVISOR}
LAO_ROLES = PROVINCE_ROLES | {Role.LAO_OFFICER}


def can_view_national(user: RequestUser) -> bool:
    return role_of(user) in NATIONAL_ROLES


def can_view_provinces(user: RequestUser) -> bool:
    return role_of(user) in PROVINCE_ROLES


def can_view_laos(user: RequestUser) -> bool:
    # Not the LAO's e-SAR delivery account: an LAO officer role without the right to read SARs.
    return role_of(user) in LAO_ROLES and has_perm(user, Perm.SAR_VIEW)


def supervised_province(user: RequestUser) -> str | None:
    """The province code of a province supervisor (None for everyone else)."""
    scope = scope_for(user)
    if role_of(user) is Role.PROVINCE_SUPERVISOR and scope.level is Level.PROVINCE:
        return str(scope.key)
    return None


def province_or_404(user: RequestUser, code: str) -> Province:
    if not can_view_provinces(user):
        raise Http404
    return get_visible_or_404(user, Province.objects.all(), pk=code)


def lao_or_404(user: RequestUser, code: str) -> LocalAuthority:
    if not can_view_laos(user):
        raise Http404
    return get_visible_or_404(user, LocalAuthority.objects.select_related("province"), code=code)


def years() -> list[AcademicYear]:
    return list(AcademicYear.objects.order_by("-year"))


def pick_year(choices: list[AcademicYear], wanted: Any = None) -> AcademicYear:
    """The asked year (404 if there is no such year), else the current one, else the latest."""
    if wanted not in (None, ""):
        try:
            number = int(wanted)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        for year in choices:
            if year.year == number:
                return year
        raise Http404
    today = status.today()
    started = [year for year in choices if year.semester1_start <= today]
    chosen = max(started, key=lambda year: year.semester1_start, default=None)
    if chosen is None and choices:
        chosen = choices[0]
    if chosen is None:
        raise Http404
    return chosen


def can_view_own_institution(user: RequestUser) -> bool:
    """A school's officer follows its own institution's hops (its row, nobody else's)."""
    return role_of(user) is Role.SCHOOL_OFFICER and scope_for(user).level is Level.INSTITUTION


def institution_progress(user: User, year: AcademicYear) -> QuerySet[InstitutionProgress]:
    """The institution rows of the year the user may read: those of their part of the hierarchy,
    the school officer's own row, none for other roles."""
    rows = InstitutionProgress.objects.filter(year=year).select_related(
        "institution", "lao", "province"
    )
    if not (can_view_laos(user) or can_view_own_institution(user)):
        return rows.none()
    return visible(user, rows).order_by("lao__code", "institution__name_th", "institution__code")


def lao_progress(user: User, year: AcademicYear) -> QuerySet[LaoProgress]:
    rows = LaoProgress.objects.filter(year=year).select_related("lao", "province")
    if not can_view_laos(user):
        return rows.none()
    return visible(user, rows).order_by("province_id", "lao__code")
