"""Which accounts a user looks after: whose password they may reset, whose authenticator remove.

- a province supervisor: every LAO officer account of an LAO of their province (the LAO's e-SAR
  account is one of them);
- an LAO officer: the school officer accounts of their LAO's institutions;
- a DLA administrator: every account (province supervisors' above all);
- the helpdesk (and DLA administrators): the authenticator of any account that has one.
Nobody resets their own password here (they change it), and disabled accounts are not listed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm, role_of
from esar.accounts.roles import Role


def _active_others(user: Any) -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(pk=user.pk)


def _has_device() -> Exists:
    return Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk")))


def resettable_accounts(user: Any) -> QuerySet[User]:
    """The accounts whose password `user` may reset."""
    role = role_of(user)
    if role is Role.DLA_ADMIN:
        return _active_others(user)
    if role is Role.PROVINCE_SUPERVISOR:
        return _active_others(user).filter(
            membership__role=Role.LAO_OFFICER,
            membership__lao__province_id=user.membership.province_office_id,
        )
    if role is Role.LAO_OFFICER:
        return _active_others(user).filter(
            membership__role=Role.SCHOOL_OFFICER,
            membership__institution__lao_id=user.membership.lao_id,
        )
    return User.objects.none()


def device_accounts(user: Any) -> QuerySet[User]:
    """The accounts whose authenticator `user` may remove."""
    if not has_perm(user, Perm.SECOND_FACTOR_REMOVE):
        return User.objects.none()
    return _active_others(user).filter(_has_device())


def can_reset(user: Any, account: User) -> bool:
    return resettable_accounts(user).filter(pk=account.pk).exists()


def can_remove_device(user: Any, account: User) -> bool:
    return device_accounts(user).filter(pk=account.pk).exists()


def looks_after_accounts(user: Any) -> bool:
    """The accounts page is for this user (its link shows in the menu)."""
    return role_of(user) in {
        Role.DLA_ADMIN,
        Role.PROVINCE_SUPERVISOR,
        Role.LAO_OFFICER,
    } or has_perm(user, Perm.SECOND_FACTOR_REMOVE)


def managed_accounts(user: Any, *, q: str = "") -> QuerySet[User]:
    """The accounts page: everyone `user` may reset or whose authenticator they may remove,
    with their organisation, one-time password and authenticator state, by username."""
    resettable = resettable_accounts(user)
    if has_perm(user, Perm.SECOND_FACTOR_REMOVE) and role_of(user) is not Role.DLA_ADMIN:
        accounts = resettable | device_accounts(user)
    else:
        accounts = resettable
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
