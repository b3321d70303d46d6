"""Reads of the registry, always scoped to the user asking."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from esar.accounts.models import User
from esar.accounts.scoping import get_visible_or_404, visible
from esar.organizations.models import Institution, LocalAuthority, Province


def provinces_for(user: User) -> QuerySet[Province]:
    return visible(user, Province.objects.all())


def laos_for(user: User) -> QuerySet[LocalAuthority]:
    return visible(user, LocalAuthority.objects.select_related("province"))


def institutions_for(user: User) -> QuerySet[Institution]:
    return visible(user, Institution.objects.select_related("lao", "lao__province"))


def province_for(user: User, code: str) -> Province:
    return get_visible_or_404(user, Province.objects.all(), pk=code)


def lao_for(user: User, code: str) -> LocalAuthority:
    return get_visible_or_404(user, LocalAuthority.objects.select_related("province"), code=code)


def institution_for(user: User, code: str) -> Institution:
    return get_visible_or_404(
        user, Institution.objects.select_related("lao", "lao__province"), code=code
    )


def province_counts(user: User, provinces: QuerySet[Province]) -> QuerySet[Province]:
    """Provinces annotated with the number of LAOs and institutions the user may see."""
    return provinces.annotate(
        lao_count=Count("laos", distinct=True),
        institution_count=Count("laos__institutions", distinct=True),
    )
