"""Read endpoints of the registry, scoped exactly like the pages.

Every query starts from `esar.organizations.selectors` (which applies the caller's scope) and is
narrowed by `esar.organizations.filters` (the definitions the pages use; the institutions' target
group by `esar.assessments.filters`). Out of scope is a 404, the same as missing.
"""

from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest, User
from esar.api.pagination import Pagination
from esar.api.schemas import (
    ErrorOut,
    InstitutionFilters,
    InstitutionOut,
    LaoDetailOut,
    LaoFilters,
    LaoOut,
    ProvinceDetailOut,
    ProvinceFilters,
    ProvinceOut,
    ValidationErrorOut,
)
from esar.assessments import filters as institution_filters
from esar.cycles.models import AcademicYear
from esar.organizations import filters, selectors
from esar.organizations.models import Institution, LocalAuthority, Province

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

router = Router(tags=["registry"])


class _ProvinceCounts(TypedDict):
    lao_count: int
    institution_count: int


class _LaoCounts(TypedDict):
    institution_count: int


# Lists take query parameters, so they can also answer 422.
UNAUTHORIZED = {401: ErrorOut, 422: ValidationErrorOut}
NOT_FOUND = {401: ErrorOut, 404: ErrorOut}


def _allowed(request: AuthenticatedRequest, queryset: QuerySet) -> QuerySet:
    # The pages answer 404 without registry.view; a list answers empty.
    return queryset if has_perm(request.user, Perm.REGISTRY_VIEW) else queryset.none()


def _viewer(request: AuthenticatedRequest) -> User:
    """The caller, or 404 when their role may not read the registry."""
    if not has_perm(request.user, Perm.REGISTRY_VIEW):
        raise Http404
    return request.user


@router.get(
    "/provinces",
    response={200: list[ProvinceOut], **UNAUTHORIZED},
    summary="Provinces the caller may see",
)
@paginate(Pagination)
def province_list(
    request: AuthenticatedRequest, params: Query[ProvinceFilters]
) -> QuerySet[Province]:
    provinces = selectors.provinces_for(request.user)
    return _allowed(request, filters.filter_provinces(provinces, **params.model_dump()))


@router.get(
    "/provinces/{code}",
    response={200: ProvinceDetailOut, **NOT_FOUND},
    summary="One province, with the number of its LAOs and institutions the caller may see",
)
def province_detail(request: AuthenticatedRequest, code: str) -> Province:
    user = _viewer(request)
    # The counts ride on the instance for ProvinceDetailOut, as annotations would.
    province = cast(
        "WithAnnotations[Province, _ProvinceCounts]", selectors.province_for(user, code)
    )
    province.lao_count = selectors.laos_for(user).filter(province=province).count()
    province.institution_count = (
        selectors.institutions_for(user).filter(lao__province=province).count()
    )
    return province


@router.get(
    "/laos",
    response={200: list[LaoOut], **UNAUTHORIZED},
    summary="Local authorities the caller may see",
)
@paginate(Pagination)
def lao_list(request: AuthenticatedRequest, params: Query[LaoFilters]) -> QuerySet[LocalAuthority]:
    laos = filters.filter_laos(selectors.laos_for(request.user), **params.model_dump())
    return _allowed(request, laos.order_by("name_th", "code"))


@router.get(
    "/laos/{code}",
    response={200: LaoDetailOut, **NOT_FOUND},
    summary="One local authority, with its history of type changes",
)
def lao_detail(request: AuthenticatedRequest, code: str) -> LocalAuthority:
    user = _viewer(request)
    # The count rides on the instance for LaoDetailOut, as an annotation would.
    lao = cast("WithAnnotations[LocalAuthority, _LaoCounts]", selectors.lao_for(user, code))
    lao.institution_count = selectors.institutions_for(user).filter(lao=lao).count()
    return lao


@router.get(
    "/institutions",
    response={200: list[InstitutionOut], **UNAUTHORIZED, 404: ErrorOut},
    summary="Institutions the caller may see",
)
@paginate(Pagination)
def institution_list(
    request: AuthenticatedRequest, params: Query[InstitutionFilters]
) -> QuerySet[Institution]:
    values = params.model_dump()
    year = values.pop("year")
    if values["target_group"] is not None:
        values["year"] = _target_group_year(year)
    institutions = institution_filters.filter_institutions(
        selectors.institutions_for(request.user), **values
    )
    return _allowed(request, institutions.order_by("name_th", "code"))


def _target_group_year(year: int | None) -> AcademicYear:
    """The year of a target-group filter, or 404 saying which year cannot be served."""
    try:
        found = institution_filters.target_group_year(year)
    except institution_filters.UnknownYear:
        raise HttpError(
            404, _("The academic year %(year)s is not set up.") % {"year": year}
        ) from None
    if found is None:
        raise HttpError(404, _("No academic year has begun yet: name one with the parameter year."))
    return found


@router.get(
    "/institutions/{code}",
    response={200: InstitutionOut, **NOT_FOUND},
    summary="One institution, by its 10-digit MOE code",
)
def institution_detail(request: AuthenticatedRequest, code: str) -> Institution:
    return selectors.institution_for(_viewer(request), code)
