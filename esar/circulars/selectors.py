"""Who sees which circular, and whether they have read it.

A published circular is meant for a person when its provinces are empty or include the person's
province, and its roles are empty or include the person's role. The province comes from the
organisation: a province office's own, an LAO's, an institution's LAO's. DLA, ONESQA and the
helpdesk work nationally, so the province list never hides a circular from them (the role list
still does for ONESQA and the helpdesk). DLA sees every circular, drafts and withdrawn ones
included. Anything else is a 404 on pages and in the API, as everywhere in e-SAR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from esar.accounts.models import User
from esar.accounts.permissions import role_of
from esar.accounts.roles import Role
from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import RequestUser
from esar.circulars.models import (
    Circular,
    CircularAttachment,
    CircularRead,
    CircularRole,
    CircularStatus,
)


class ReadFields(TypedDict):
    """What `_with_read` annotates: whether, and when, this user read the circular."""

    is_read: bool
    read_at: dt.datetime | None


if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

    CircularWithRead: TypeAlias = WithAnnotations[Circular, ReadFields]

DLA_ROLES = frozenset({Role.DLA_ADMIN, Role.DLA_ANALYST})
HOME_LIMIT = 5

# From a row of the provinces table of a circular to the organisation a scope key names.
_PROVINCE_LOOKUP = {
    Level.PROVINCE: "province_id",
    Level.LAO: "province__laos",
    Level.INSTITUTION: "province__laos__institutions",
}


def sees_all(user: RequestUser) -> bool:
    """DLA staff see every circular, drafts included."""
    return role_of(user) in DLA_ROLES


def _with_read(qs: QuerySet[Circular], user: User) -> QuerySet[CircularWithRead]:
    reads = CircularRead.objects.filter(circular=OuterRef("pk"), user=user)
    return qs.annotate(
        is_read=Exists(reads), read_at=Subquery(reads.values("read_at")[:1])
    ).order_by("is_read", "-issued_on", "-published_at", "-pk")


def _meant_for(user: RequestUser) -> Q | None:
    """The condition on Circular for `user`'s audience, or None when nothing is meant for them."""
    role = role_of(user)
    if role is None:
        return None
    if role in DLA_ROLES:
        return Q()
    condition = ~Exists(CircularRole.objects.filter(circular=OuterRef("pk"))) | Exists(
        CircularRole.objects.filter(circular=OuterRef("pk"), role=role)
    )
    scope = scope_for(user)
    if scope.level is Level.NATIONAL:
        return Q(condition)
    lookup = _PROVINCE_LOOKUP.get(scope.level)
    if lookup is None:
        return None
    targets = Circular.provinces.through.objects.filter(circular=OuterRef("pk"))
    return Q(condition) & (~Exists(targets) | Exists(targets.filter(**{lookup: scope.key})))


def reads_circulars(user: RequestUser) -> bool:
    """Whether `user` has a role that circulars can be meant for (every role can)."""
    return _meant_for(user) is not None


def circulars_for(user: User) -> QuerySet[CircularWithRead]:
    """The published circulars meant for `user`, unread first, then newest; one query.

    Each row carries `is_read` and `read_at` for this user.
    """
    condition = _meant_for(user)
    qs = Circular.objects.filter(status=CircularStatus.PUBLISHED)
    if condition is None:
        # Empty: no row to carry the annotations.
        return cast("QuerySet[CircularWithRead]", qs.none())
    return _with_read(qs.filter(condition), user)


def visible_to(user: User) -> QuerySet[CircularWithRead]:
    """Every circular `user` may open: all of them for DLA, otherwise `circulars_for`."""
    if sees_all(user):
        return _with_read(Circular.objects.all(), user)
    return circulars_for(user)


def filter_circulars(
    qs: QuerySet[CircularWithRead],
    *,
    year: int | None = None,
    unread: bool | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[CircularWithRead]:
    """The filters the list page and the API share."""
    if year is not None:
        qs = qs.filter(year=year)
    if unread is not None:
        qs = qs.filter(is_read=not unread)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return qs


def circular_or_404(user: User, pk: int) -> Circular:
    circular = visible_to(user).filter(pk=pk).first()
    if circular is None:
        raise Http404
    return circular


def attachment_or_404(user: User, circular_pk: int, attachment_pk: int) -> CircularAttachment:
    """A file of a circular the user may open, in one query."""
    visible = visible_to(user).filter(pk=circular_pk).values("pk")
    attachment = CircularAttachment.objects.filter(
        pk=attachment_pk, circular_id=circular_pk, circular__in=visible
    ).first()
    if attachment is None:
        raise Http404
    return attachment


@dataclass
class HomeCirculars:
    latest: list[CircularWithRead] = field(default_factory=list)
    unread: int = 0


def for_home(user: User, limit: int = HOME_LIMIT) -> HomeCirculars:
    """The latest circulars meant for `user`, unread first, and how many are unread: 2 queries."""
    if not reads_circulars(user):
        return HomeCirculars()
    qs = circulars_for(user)
    latest = list(qs[:limit])
    unread = sum(1 for circular in latest if not circular.is_read)
    if unread == limit:
        # All shown are unread, so there may be more: count them.
        unread = qs.filter(is_read=False).count()
    return HomeCirculars(latest=latest, unread=unread)
