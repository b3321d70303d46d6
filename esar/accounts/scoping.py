"""The one mechanism that decides which rows of the hierarchy an account may see.

A DLA or ONESQA account sees the whole country; a province supervisor the LAOs and institutions of
their province; an LAO officer their own LAO and its institutions; a school officer their
institution. Everything else is invisible, and views turn invisible into 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from django.db import models
from django.http import Http404

from esar.accounts.roles import AGENCY_ROLES, Role

M = TypeVar("M", bound=models.Model)


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    LAO = "lao"
    INSTITUTION = "institution"
    NONE = "none"


@dataclass(frozen=True)
class Scope:
    level: Level
    key: str | int | None = None

    def filter(self, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        if self.level is Level.NATIONAL:
            return queryset
        if self.level is Level.NONE:
            return queryset.none()
        paths: dict[str, str] = getattr(queryset.model, "scope_paths", {})
        path = paths.get(self.level.value)
        if path is None:
            return queryset.none()
        # Every path ends at one row of its level, so a reverse relation never repeats rows.
        return queryset.filter(**{path: self.key})


NO_SCOPE = Scope(Level.NONE)


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_esar_scope", None)
    if cached is not None:
        return cached
    membership = getattr(user, "membership", None)
    if membership is None:
        scope = NO_SCOPE
    else:
        role = Role(membership.role)
        if role in AGENCY_ROLES:
            scope = Scope(Level.NATIONAL)
        elif role is Role.PROVINCE_SUPERVISOR:
            scope = Scope(Level.PROVINCE, membership.province_office_id)
        elif role is Role.LAO_OFFICER:
            scope = Scope(Level.LAO, membership.lao_id)
        elif role is Role.SCHOOL_OFFICER:
            scope = Scope(Level.INSTITUTION, membership.institution_id)
        else:
            scope = NO_SCOPE
    user._esar_scope = scope
    return scope


def visible(user, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of `queryset` that `user` may see."""
    return scope_for(user).filter(queryset)


def get_visible_or_404(user, queryset: models.QuerySet[M], **lookup) -> M:
    """One row the user may see, or 404 alike for 'missing' and 'not yours'."""
    try:
        return visible(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
