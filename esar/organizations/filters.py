"""Filters of the registry lists, shared by the pages, the exports and the API."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from esar.assessments.selectors import in_target_group
from esar.core.text import normalize_code, normalize_text
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear
from esar.organizations.models import (
    EducationLevel,
    Institution,
    InstitutionKind,
    LaoType,
    LocalAuthority,
    Province,
)

LEVEL_FIELDS = {
    EducationLevel.EARLY_CHILDHOOD.value: "teaches_early_childhood",
    EducationLevel.BASIC.value: "teaches_basic",
    EducationLevel.VOCATIONAL.value: "teaches_vocational",
}


def _search(q: str | None, *fields: str) -> Q | None:
    text = normalize_text(q)
    if not text:
        return None
    code = normalize_code(text)
    condition = Q()
    if code.isdigit():
        condition |= Q(code__startswith=code)
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return condition


def filter_provinces(
    qs: QuerySet[Province], *, q: str | None = None, region: str | None = None
) -> QuerySet[Province]:
    if region:
        qs = qs.filter(region=region)
    condition = _search(q, "name_th", "name_en")
    return qs.filter(condition) if condition is not None else qs


def filter_laos(
    qs: QuerySet[LocalAuthority],
    *,
    q: str | None = None,
    province: str | None = None,
    lao_type: str | None = None,
    active: bool | None = None,
) -> QuerySet[LocalAuthority]:
    if province:
        qs = qs.filter(province_id=province)
    if lao_type:
        qs = qs.filter(lao_type=lao_type) if lao_type in LaoType.values else qs.none()
    if active is not None:
        qs = qs.filter(is_active=active)
    condition = _search(q, "name_th", "name_en")
    return qs.filter(condition) if condition is not None else qs


def filter_institutions(
    qs: QuerySet[Institution],
    *,
    q: str | None = None,
    province: str | None = None,
    lao: str | None = None,
    kind: str | None = None,
    level: str | None = None,
    active: bool | None = None,
    target_group: bool | None = None,
    year: AcademicYear | None = None,
) -> QuerySet[Institution]:
    """`target_group` True/False keeps the institutions in/out of the target group of `year`
    (resolved by `target_group_year`); without a year there is no target group to filter by."""
    if target_group is not None:
        qs = in_target_group(qs, year, flag=target_group) if year is not None else qs.none()
    if province:
        qs = qs.filter(lao__province_id=province)
    if lao:
        qs = qs.filter(lao__code=lao)
    if kind:
        qs = qs.filter(kind=kind) if kind in InstitutionKind.values else qs.none()
    if level:
        field = LEVEL_FIELDS.get(level)
        qs = qs.filter(**{field: True}) if field else qs.none()
    if active is not None:
        qs = qs.filter(is_active=active)
    condition = _search(q, "name_th", "name_en", "onesqa_code")
    return qs.filter(condition) if condition is not None else qs


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
