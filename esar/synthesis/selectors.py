"""Reads for the synthesis pages, scoped by the user's place in the hierarchy."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import get_visible_or_404
from esar.accounts.types import RequestUser
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution, LocalAuthority
from esar.organizations.selectors import laos_for
from esar.sar.models import Sar, SarStatus
from esar.standards.models import Standard, StandardSet
from esar.synthesis.models import Synthesis, SynthesisVersion

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations


class SynthesisRowFields(TypedDict):
    """What `synthesis_rows` annotates on each LAO (None where the LAO has no synthesis yet)."""

    synthesis_status: str | None
    synthesis_pk: int | None
    version_number: int | None
    completed_at: dt.datetime | None
    completed_late: bool | None
    institution_count: int
    accepted_count: int


def can_view(user: RequestUser) -> bool:
    return has_perm(user, Perm.SYNTHESIS_VIEW)


def lao_for(user: User, lao_pk: int) -> LocalAuthority:
    """An LAO whose synthesis the user may read (404 alike for missing and not in scope)."""
    if not can_view(user):
        raise Http404
    return get_visible_or_404(user, LocalAuthority.objects.select_related("province"), pk=lao_pk)


def synthesis_of(lao: LocalAuthority, year: AcademicYear) -> Synthesis:
    """The LAO's synthesis of the year, or an unsaved one (nothing written yet)."""
    found = Synthesis.objects.filter(lao=lao, year=year).first()
    if found is None:
        return Synthesis(lao=lao, year=year)
    found.lao, found.year = lao, year
    return found


def version_of(synthesis: Synthesis, number: int) -> SynthesisVersion:
    if synthesis.pk is None:
        raise Http404
    try:
        return synthesis.versions.select_related("completed_by", "reopened_by").get(number=number)
    except SynthesisVersion.DoesNotExist as exc:
        raise Http404 from exc


def versions_of(synthesis: Synthesis) -> list[SynthesisVersion]:
    if synthesis.pk is None:
        return []
    return list(
        synthesis.versions.select_related("completed_by", "reopened_by").order_by("-number")
    )


def standard_choices(lao: LocalAuthority, year: AcademicYear) -> list[tuple[int, str]]:
    """The standards of the sets in force this year for the levels the LAO's institutions teach."""
    levels = set()
    for early, basic, vocational in Institution.objects.filter(lao=lao, is_active=True).values_list(
        "teaches_early_childhood", "teaches_basic", "teaches_vocational"
    ):
        levels |= {
            level
            for level, flag in (
                ("early_childhood", early),
                ("basic", basic),
                ("vocational", vocational),
            )
            if flag
        }
    sets = [s for level in sorted(levels) if (s := StandardSet.objects.in_force(level, year.year))]
    standards = Standard.objects.filter(standard_set__in=sets).select_related("standard_set")
    return [
        (s.pk, f"{s.standard_set.get_education_level_display()} · {s.number} {s.name}")
        for s in standards.order_by("standard_set__education_level", "order")
    ]


def institution_choices(lao: LocalAuthority) -> list[tuple[int, str]]:
    return [
        (pk, f"{name} ({code})")
        for pk, name, code in Institution.objects.filter(lao=lao, is_active=True)
        .order_by("name_th")
        .values_list("pk", "name_th", "code")
    ]


def synthesis_rows(
    user: User,
    year: AcademicYear,
    *,
    q: str = "",
    province: str = "",
    status: str = "",
) -> QuerySet[WithAnnotations[LocalAuthority, SynthesisRowFields]]:
    """The LAOs in the user's scope with their synthesis of `year` and its latest version."""
    syntheses = Synthesis.objects.filter(lao=OuterRef("pk"), year=year)
    latest = SynthesisVersion.objects.filter(
        synthesis__lao=OuterRef("pk"), synthesis__year=year
    ).order_by("-number")
    accepted = (
        Sar.objects.filter(institution__lao=OuterRef("pk"), year=year, status=SarStatus.ACCEPTED)
        .values("institution__lao")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = laos_for(user).annotate(
        synthesis_status=Subquery(syntheses.values("status")[:1]),
        synthesis_pk=Subquery(syntheses.values("pk")[:1]),
        version_number=Subquery(latest.values("number")[:1]),
        completed_at=Subquery(latest.values("completed_at")[:1]),
        completed_late=Subquery(latest.values("is_late")[:1]),
        institution_count=Count("institutions", filter=Q(institutions__is_active=True)),
        accepted_count=Coalesce(Subquery(accepted, output_field=IntegerField()), Value(0)),
    )
    if q:
        rows = rows.filter(Q(name_th__icontains=q) | Q(code__startswith=q))
    if province:
        rows = rows.filter(province_id=province)
    if status == "none":
        rows = rows.filter(synthesis_status__isnull=True)
    elif status in ("draft", "complete"):
        rows = rows.filter(synthesis_status=status)
    return rows.order_by("province__name_th", "name_th", "code")
