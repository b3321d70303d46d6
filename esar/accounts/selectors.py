"""Which accounts a user looks after: whose password they may reset, whose authenticator remove.

One table, `CREDENTIAL_RESETS`, says it for every role; the hierarchy then narrows it: a province
supervisor reaches the accounts of its province's LAOs, an LAO officer those of its LAO's
institutions, DLA and the helpdesk the whole country. Nobody resets their own credentials here
(they change them), disabled accounts are not listed, and the LAO's e-SAR delivery account resets
nobody whatever its role allows. Nobody below a DLA administrator touches an administrator's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts.models import User
from esar.accounts.permissions import is_delivery_account, role_of
from esar.accounts.roles import Role
from esar.accounts.types import RequestUser

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations


class DeviceFields(TypedDict):
    """What `managed_accounts` annotates: the account has an authenticator set up."""

    has_device: bool


PASSWORD = "password"  # noqa: S105 (the name of a credential, not a secret)
SECOND_FACTOR = "second_factor"
_EVERYONE = frozenset(Role)

# actor's role -> {credential: the roles whose credential it may reset}. The table
# "Who may reset whom" in docs/guides/dla.md is this one.
CREDENTIAL_RESETS: dict[Role, dict[str, frozenset[Role]]] = {
    Role.DLA_ADMIN: {PASSWORD: _EVERYONE, SECOND_FACTOR: _EVERYONE},
    Role.DLA_ANALYST: {PASSWORD: frozenset(), SECOND_FACTOR: frozenset()},
    Role.PROVINCE_SUPERVISOR: {PASSWORD: frozenset({Role.LAO_OFFICER}), SECOND_FACTOR: frozenset()},
    Role.LAO_OFFICER: {PASSWORD: frozenset({Role.SCHOOL_OFFICER}), SECOND_FACTOR: frozenset()},
    Role.SCHOOL_OFFICER: {PASSWORD: frozenset(), SECOND_FACTOR: frozenset()},
    Role.ONESQA_REVIEWER: {PASSWORD: frozenset(), SECOND_FACTOR: frozenset()},
    # A lost phone: the helpdesk removes the authenticator of analysts and province supervisors,
    # never of a DLA administrator (another administrator does).
    Role.HELPDESK: {
        PASSWORD: frozenset(),
        SECOND_FACTOR: frozenset({Role.DLA_ANALYST, Role.PROVINCE_SUPERVISOR}),
    },
}


def _reach(user: User, role: Role) -> Q:
    """The part of the country whose accounts `user` looks after."""
    membership = user.membership
    if role is Role.PROVINCE_SUPERVISOR:
        return Q(membership__lao__province_id=membership.province_office_id)
    if role is Role.LAO_OFFICER:
        return Q(membership__institution__lao_id=membership.lao_id)
    return Q()


def _accounts(user: User, credential: str) -> QuerySet[User]:
    role = role_of(user)
    if role is None or is_delivery_account(user):
        return User.objects.none()
    targets = CREDENTIAL_RESETS[role][credential]
    if not targets:
        return User.objects.none()
    accounts = User.objects.filter(is_active=True).exclude(pk=user.pk)
    if targets != _EVERYONE:
        accounts = accounts.filter(membership__role__in=sorted(targets))
    return accounts.filter(_reach(user, role))


def lao_officers(lao_id: int) -> QuerySet[User]:
    """The active officers of an LAO who do its work (reviews, synthesis, visits): not its e-SAR
    delivery account, which only delivers. Notices about that work go to these."""
    return User.objects.filter(
        is_active=True,
        membership__role=Role.LAO_OFFICER,
        membership__lao_id=lao_id,
        membership__delivery_account=False,
    )


def _has_device() -> Exists:
    return Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk")))


def resettable_accounts(user: User) -> QuerySet[User]:
    """The accounts whose password `user` may reset."""
    return _accounts(user, PASSWORD)


def device_accounts(user: User) -> QuerySet[User]:
    """The accounts whose authenticator `user` may remove."""
    return _accounts(user, SECOND_FACTOR).filter(_has_device())


def can_reset(user: User, account: User) -> bool:
    return resettable_accounts(user).filter(pk=account.pk).exists()


def can_remove_device(user: User, account: User) -> bool:
    return device_accounts(user).filter(pk=account.pk).exists()


def looks_after_accounts(user: RequestUser) -> bool:
    """The accounts page is for this user (its link shows in the menu)."""
    role = role_of(user)
    if role is None or is_delivery_account(user):
        return False
    return any(CREDENTIAL_RESETS[role].values())


def managed_accounts(user: User, *, q: str = "") -> QuerySet[WithAnnotations[User, DeviceFields]]:
    """The accounts page: everyone `user` may reset or whose authenticator they may remove,
    with their organisation, one-time password and authenticator state, by username."""
    accounts = resettable_accounts(user) | device_accounts(user)
    q = q.strip()
    if q:
        accounts = accounts.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(membership__lao__code=q)
            | Q(membership__institution__code=q)
            | Q(membership__province_office_id=q)
        )
    return (
        accounts.select_related(
            "membership",
            "membership__agency",
            "membership__province_office",
            "membership__lao",
            "membership__institution",
            "one_time_password",
        )
        .annotate(has_device=_has_device())
        .order_by("username")
    )
