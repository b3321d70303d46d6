"""Writes to accounts. Views, the API, commands and tests all create accounts through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from esar.accounts import onetime, secondfactor, selectors
from esar.accounts.models import AccountPolicy, ApiToken, Membership, OneTimePassword, User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.roles import ROLE_AGENCIES, ROLE_ORGANIZATION_FIELD, Role
from esar.accounts.secondfactor import SECOND_FACTOR_ROLES
from esar.accounts.tokens import end_tokens
from esar.core import audit
from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.errors import ServiceError as SarError
from esar.core.notices import notify

__all__ = ["Conflict", "Invalid", "NotAllowed", "SarError"]


def _check_organization(role: Role, organization: Any) -> str:
    field = ROLE_ORGANIZATION_FIELD[role]
    # The kind of organisation is the one the membership's field points to (the registry's
    # models sit above accounts, which names them only in its relations).
    kind = cast("type[Model]", Membership._meta.get_field(field).related_model)
    if not isinstance(organization, kind):
        raise ValidationError(
            _("The role %(role)s belongs to a %(kind)s.")
            % {"role": role.label, "kind": kind._meta.verbose_name}
        )
    # An agency (checked above), which accounts cannot name: the narrowing to Model drops `code`.
    if field == "agency" and cast(Any, organization).code not in ROLE_AGENCIES[role]:
        raise ValidationError(
            _("The role %(role)s cannot belong to %(agency)s.")
            % {"role": role.label, "agency": organization}
        )
    return field


@transaction.atomic
def create_account(
    *,
    username: str,
    password: str | None,
    role: Role | str,
    organization: Any,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    actor: User | None = None,  # None: the seed and the tests, recorded without an actor
    validate: bool = True,
    password_hash: str | None = None,
) -> User:
    """Create a user with its one membership. `password_hash` lets seeding reuse one hash."""
    role = Role(role)
    field = _check_organization(role, organization)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
    )
    if password_hash:
        user.password = password_hash
    elif password:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, role=role, **{field: organization})
    audit.record(
        action="account.created",
        actor=actor,
        obj=user,
        data={
            "role": role.value,
            "organization": str(getattr(organization, "code", organization.pk)),
        },
    )
    return user


# --- Passwords someone else sets, the account policy, the second factor --------------------------


@dataclass(frozen=True)
class ResetPassword:
    """A reset: `password` is shown once to the person who reset it and stored nowhere in clear."""

    user: User
    password: str
    expires_at: dt.datetime


def _organization_code(user: User) -> str:
    membership = getattr(user, "membership", None)
    return membership.organization_code if membership is not None else ""


def reset_password(*, actor: User, user: User, ip: str | None = None) -> ResetPassword:
    """Give `user` a new one-time password: the old password, sessions and API tokens end.

    Allowed for the accounts `selectors.resettable_accounts(actor)` lists; any other is refused
    like a missing one.
    """
    if not selectors.can_reset(actor, user):
        raise NotAllowed(_("You cannot reset the password of this account."))
    now = timezone.now()
    with transaction.atomic():
        # A new password hash also ends every session of the account (Django checks it).
        password = onetime.issue(
            user=user, actor=actor, reason=OneTimePassword.Reason.RESET, now=now
        )
        revoked = end_tokens(users=user, now=now)
        expires_at = OneTimePassword.objects.values_list("expires_at", flat=True).get(user=user)
        audit.record(
            action="account.password_reset",
            actor=actor,
            obj=user,
            data={
                "username": user.get_username(),
                "organization": _organization_code(user),
                "expires_at": expires_at.isoformat(),
                "api_tokens_revoked": revoked,
            },
            ip_address=ip,
        )
    # A lock-out from earlier failed attempts would keep the new password from working.
    axes_reset(username=user.get_username())
    return ResetPassword(user=user, password=password, expires_at=expires_at)


def password_chosen(
    *, user: User, ip: str | None = None, channel: str = "change", revoke_tokens: bool = False
) -> None:
    """The owner set their own password (changed it, or through the e-mailed link): a pending
    one-time password is over; audited."""
    now = timezone.now()
    with transaction.atomic():
        replaced = onetime.mark_replaced(user, now)
        revoked = end_tokens(users=user, now=now) if revoke_tokens else 0
        audit.record(
            action="account.password_changed",
            actor=user,
            obj=user,
            data={
                "channel": channel,
                "one_time_password_replaced": replaced,
                "api_tokens_revoked": revoked,
            },
            ip_address=ip,
        )


POLICY_DAYS_MIN, POLICY_DAYS_MAX = 1, 90


def update_policy(
    *,
    actor: User,
    initial_password_days: int,
    require_second_factor: bool,
    ip: str | None = None,
) -> AccountPolicy:
    """DLA sets how long one-time passwords last and whether DLA and province roles need a
    second factor. Turning the second factor on revokes those roles' API tokens: new ones need a
    code."""
    if not has_perm(actor, Perm.ACCOUNT_POLICY_EDIT):
        raise NotAllowed(_("Only DLA administrators change the account policy."))
    if not POLICY_DAYS_MIN <= initial_password_days <= POLICY_DAYS_MAX:
        raise Invalid(
            _("A one-time password lasts between %(min)d and %(max)d days.")
            % {"min": POLICY_DAYS_MIN, "max": POLICY_DAYS_MAX}
        )
    now = timezone.now()
    with transaction.atomic():
        AccountPolicy.objects.get_or_create(pk=1)
        policy = AccountPolicy.objects.select_for_update().get(pk=1)
        before = {
            "initial_password_days": policy.initial_password_days,
            "require_second_factor": policy.require_second_factor,
        }
        after = {
            "initial_password_days": initial_password_days,
            "require_second_factor": require_second_factor,
        }
        if before == after:
            return policy
        revoked = 0
        if require_second_factor and not policy.require_second_factor:
            revoked = ApiToken.objects.filter(
                revoked_at__isnull=True,
                user__membership__role__in=sorted(r.value for r in SECOND_FACTOR_ROLES),
            ).update(revoked_at=now)
        policy.initial_password_days = initial_password_days
        policy.require_second_factor = require_second_factor
        policy.updated_at = now
        policy.updated_by = actor
        policy.save()
        audit.record(
            action="account.policy_changed",
            actor=actor,
            obj=policy,
            data={"before": before, "after": after, "api_tokens_revoked": revoked},
            ip_address=ip,
        )
    return policy


def remove_second_factor(*, actor: User, user: User, ip: str | None = None) -> int:
    """Remove the account's authenticator (a lost phone): its next log-in sets up a new one."""
    if not selectors.can_remove_device(actor, user):
        raise NotAllowed(_("You cannot remove the authenticator of this account."))
    with transaction.atomic():
        removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
        audit.record(
            action="account.second_factor_removed",
            actor=actor,
            obj=user,
            data={"username": user.get_username(), "devices": removed},
            ip_address=ip,
        )
    notify(
        users=[user],
        title=_("Your authenticator app was removed from your e-SAR account"),
        body=_(
            "At your next log-in you will set up the authenticator again. If you did not ask "
            "for this, contact the helpdesk."
        ),
    )
    return removed


def confirm_second_factor(
    *, user: User, device: TOTPDevice, token: str, ip: str | None = None
) -> bool:
    """Finish setting up an authenticator with its first code; False for a wrong code."""
    if device.user_id != user.pk or device.confirmed:
        raise Invalid(_("This authenticator is not being set up."))
    if not secondfactor.verify(device, token):
        audit.record(
            action="account.second_factor_failed",
            actor=user,
            obj=user,
            data={"step": "setup"},
            ip_address=ip,
        )
        return False
    with transaction.atomic():
        # One authenticator per account: the confirmed one replaces any other.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        audit.record(action="account.second_factor_enrolled", actor=user, obj=user, ip_address=ip)
    return True


def check_second_factor(
    *, user: User, device: TOTPDevice, token: str, ip: str | None = None, channel: str = "web"
) -> bool:
    """A code at log-in; failures are audited (and throttled by django-otp)."""
    verified = device.user_id == user.pk and device.confirmed and secondfactor.verify(device, token)
    audit.record(
        action="account.second_factor_verified" if verified else "account.second_factor_failed",
        actor=user,
        obj=user,
        data={"channel": channel},
        ip_address=ip,
    )
    return verified
