"""Filters of the registry lists, shared by the pages, the exports and the API.

The target-group filter of the institutions needs the years and ONESQA's history, which sit
above the registry: it is `esar.assessments.filters.filter_institutions`, built on these.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from esar.core.text import normalize_code, normalize_text
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
) -> QuerySet[Institution]:
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
