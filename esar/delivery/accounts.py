"""The LAO's e-SAR account: the user esar<code> that delivers the LAO's SARs into e-SAR.

DLA issues it (the user is created, or reused when it is already that LAO's, with a new one-time
password), issues it again when the officer changes (the previous account ends) and revokes it.
`issue_account` does one LAO; `issue_in_bulk` does the LAOs of one province for a bulk issuance
(`esar.delivery.issuance`), with bulk inserts. Either way the old password, its sessions and its
API tokens end, and an audit event records each account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts import onetime
from esar.accounts.models import Membership, OneTimePassword, User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.accounts.tokens import end_tokens
from esar.accounts.types import RequestUser
from esar.core import audit
from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.models import AuditEvent
from esar.delivery import letters
from esar.delivery.models import EsarAccount, IssuanceBatch
from esar.organizations.models import LocalAuthority


@dataclass(frozen=True)
class IssuedAccount:
    """A new issuance; `password` is shown to DLA once and stored nowhere in clear.

    It is a one-time password: it opens one log-in before `expires_at`, which leads straight
    to choosing the officer's own password.
    """

    account: EsarAccount
    username: str
    password: str
    expires_at: dt.datetime | None = None


def esar_username(lao: LocalAuthority) -> str:
    return f"esar{lao.code}"


def can_issue_accounts(user: RequestUser) -> bool:
    return has_perm(user, Perm.ESAR_ACCOUNTS_ISSUE)


def require_issuer(actor: User) -> None:
    if not can_issue_accounts(actor):
        raise NotAllowed(_("Only DLA administrators issue e-SAR accounts."))


def active_account(lao: LocalAuthority) -> EsarAccount | None:
    return (
        EsarAccount.objects.select_related("user", "issued_by")
        .filter(lao=lao, revoked_at__isnull=True)
        .first()
    )


def _is_the_laos(user: User, lao: LocalAuthority) -> bool:
    """Whether an existing user esar<code> is that LAO's officer (else the name is taken)."""
    membership = getattr(user, "membership", None)
    return (
        membership is not None
        and membership.role == Role.LAO_OFFICER
        and membership.lao_id == lao.pk
    )


def issue_account(*, lao: LocalAuthority, actor: User, ip: str | None = None) -> IssuedAccount:
    """Issue the LAO's e-SAR account with a new one-time password; a previous one stops working.

    Used for one LAO (its officer changed, or it had none); whole provinces are issued in bulk
    by `esar.delivery.issuance`.
    """
    require_issuer(actor)
    if not lao.is_active:
        raise Invalid(_("This LAO is inactive: it cannot get an e-SAR account."))
    username = esar_username(lao)
    now = timezone.now()
    with transaction.atomic():
        # One issuance at a time per LAO: two DLA administrators cannot both create one (a bulk
        # issuance of the province takes the same lock).
        LocalAuthority.objects.select_for_update().get(pk=lao.pk)
        previous = EsarAccount.objects.filter(lao=lao, revoked_at__isnull=True).first()
        if previous is not None:
            EsarAccount.objects.filter(pk=previous.pk, revoked_at__isnull=True).update(
                revoked_at=now, revoked_by=actor
            )
        user = User.objects.select_related("membership").filter(username=username).first()
        if user is None:
            user = create_account(
                username=username,
                password=None,
                role=Role.LAO_OFFICER,
                organization=lao,
                first_name="e-SAR",
                last_name=lao.name_th[:150],
                actor=actor,
                validate=False,
            )
        else:
            if not _is_the_laos(user, lao):
                raise Conflict(
                    _(
                        "The username %(username)s belongs to another account. Rename that "
                        "account in the administration, then issue again."
                    )
                    % {"username": username}
                )
            user.is_active = True
            user.save(update_fields=["is_active"])
            # The old password, its sessions (their hash changes) and its tokens end here.
            end_tokens(users=user, now=now)
        # From now on the account may only deliver (accounts.permissions).
        Membership.objects.filter(user=user).update(delivery_account=True)
        password = onetime.issue(
            user=user, actor=actor, reason=OneTimePassword.Reason.ISSUED, now=now
        )
        account = EsarAccount.objects.create(
            lao=lao, user=user, issued_by=actor, issued_at=now, replaces=previous
        )
        audit.record(
            action="esar_account.issued",
            actor=actor,
            obj=account,
            data={
                "lao": lao.code,
                "username": username,
                "replaces": previous.pk if previous is not None else None,
            },
            ip_address=ip,
        )
    return IssuedAccount(
        account=account, username=username, password=password, expires_at=onetime.expiry_from(now)
    )


def revoke_account(*, lao: LocalAuthority, actor: User, ip: str | None = None) -> EsarAccount:
    """End the LAO's e-SAR account: it can no longer log in nor deliver."""
    if not can_issue_accounts(actor):
        raise NotAllowed(_("Only DLA administrators revoke e-SAR accounts."))
    now = timezone.now()
    with transaction.atomic():
        account = (
            EsarAccount.objects.select_for_update()
            .select_related("user")
            .filter(lao=lao, revoked_at__isnull=True)
            .first()
        )
        if account is None:
            raise Conflict(_("This LAO has no active e-SAR account."))
        EsarAccount.objects.filter(pk=account.pk).update(revoked_at=now, revoked_by=actor)
        user = account.user
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
        end_tokens(users=user, now=now)
        audit.record(
            action="esar_account.revoked",
            actor=actor,
            obj=account,
            data={"lao": lao.code, "username": user.username},
            ip_address=ip,
        )
    account.refresh_from_db()
    return account


# --- Many at once, for a bulk issuance -----------------------------------------------------------


def issue_in_bulk(
    laos: list[LocalAuthority], *, batch: IssuanceBatch
) -> tuple[list[letters.Letter], list[dict[str, str]]]:
    """Create the accounts of `laos` (locked, without an active account) with bulk inserts.

    Returns a letter per account issued (with its password in clear, for the province's letters
    and list) and the LAOs whose username another account holds. The caller holds the
    transaction and the LAOs' row locks (`esar.delivery.issuance.issue_province`).
    """
    if not laos:
        return [], []
    actor = batch.started_by
    now = timezone.now()
    names = {esar_username(lao): lao for lao in laos}
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=list(names)).select_related("membership")
    }
    conflicts: list[dict[str, str]] = []
    new_users: list[User] = []
    reused: list[User] = []
    issued: list[tuple[LocalAuthority, User, str, bool]] = []
    for username, lao in names.items():
        user = existing.get(username)
        if user is not None and not _is_the_laos(user, lao):
            conflicts.append({"lao": lao.code, "username": username})
            continue
        password = onetime.generate_password()
        hashed = onetime.hash_password(password)
        created = user is None
        if user is None:
            user = User(
                username=username,
                first_name="e-SAR",
                last_name=lao.name_th[:150],
                password=hashed,
                date_joined=now,
            )
            new_users.append(user)
        else:
            user.password = hashed
            user.is_active = True
            reused.append(user)
        issued.append((lao, user, password, created))
    User.objects.bulk_create(new_users)
    Membership.objects.bulk_create(
        [
            Membership(
                user=user, role=Role.LAO_OFFICER, lao=lao, created_at=now, delivery_account=True
            )
            for lao, user, _password, created in issued
            if created
        ]
    )
    if reused:
        # A new password ends the old one, its sessions (their hash changes) and its tokens.
        User.objects.bulk_update(reused, ["password", "is_active"])
        Membership.objects.filter(user__in=reused).update(delivery_account=True)
        end_tokens(users=reused, now=now)
    accounts = EsarAccount.objects.bulk_create(
        [
            EsarAccount(lao=lao, user=user, issued_by=actor, issued_at=now, batch=batch)
            for lao, user, _password, _created in issued
        ]
    )
    OneTimePassword.objects.bulk_create(
        [
            OneTimePassword(
                user=user,
                reason=OneTimePassword.Reason.ISSUED,
                issued_by=actor,
                issued_at=now,
                expires_at=batch.expires_at,
            )
            for _lao, user, _password, _created in issued
        ],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["reason", "issued_by", "issued_at", "expires_at", "used_at", "replaced_at"],
    )
    AuditEvent.objects.bulk_create(
        [
            audit.build(
                action="esar_account.issued",
                actor=actor,
                obj=account,
                data={
                    "lao": lao.code,
                    "username": user.username,
                    "batch": batch.pk,
                    "replaces": None,
                    "user_created": created,
                },
            )
            for account, (lao, user, _password, created) in zip(accounts, issued, strict=True)
        ]
    )
    type_names = dict(LocalAuthority._meta.get_field("lao_type").flatchoices)
    made = [
        letters.Letter(
            lao_code=lao.code,
            lao_name=lao.name_th,
            lao_type=str(type_names.get(lao.lao_type, lao.lao_type)),
            district=lao.district,
            username=user.username,
            password=password,
        )
        for lao, user, password, _created in issued
    ]
    return made, conflicts
