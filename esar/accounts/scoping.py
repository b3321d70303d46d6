"""The one mechanism that decides which rows of the hierarchy an account may see.

A DLA or ONESQA account sees the whole country; a province supervisor the LAOs and institutions of
their province; an LAO officer their own LAO and its institutions; a school officer their
institution. Everything else is invisible, and views turn invisible into 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from esar.accounts.roles import AGENCY_ROLES, Role

if TYPE_CHECKING:
    from esar.accounts.types import RequestUser

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
_SCOPE_ATTR = "_esar_scope"


def scope_for(user: RequestUser) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    # Cached on the user object for the request (a private attribute the model does not declare).
    cached: Scope | None = getattr(user, _SCOPE_ATTR, None)
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
    setattr(user, _SCOPE_ATTR, scope)
    return scope


def visible(user: RequestUser, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of `queryset` that `user` may see."""
    return scope_for(user).filter(queryset)


def get_visible_or_404(user: RequestUser, queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One row the user may see, or 404 alike for 'missing' and 'not yours'."""
    try:
        return visible(user, queryset).get(**lookup)
    # The base of every model's DoesNotExist (the stubs add DoesNotExist per concrete model only).
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
