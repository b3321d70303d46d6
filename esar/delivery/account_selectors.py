"""Reads of the LAOs' e-SAR accounts and of their bulk issuances, scoped to the person asking.

DLA administrators read every account, issuance and letter file; a province supervisor reads the
state of its own LAOs' accounts (never a password); anyone else, or anything outside, is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import Level, get_visible_or_404, scope_for
from esar.accounts.types import RequestUser
from esar.delivery.accounts import can_issue_accounts
from esar.delivery.models import EsarAccount, IssuanceBatch, IssuanceProvince
from esar.organizations.models import LocalAuthority, Province


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def lao_for_accounts(user: User, pk: int) -> LocalAuthority:
    """The LAO whose e-SAR account DLA manages (anyone else: 404)."""
    _404_unless(can_issue_accounts(user))
    try:
        return get_visible_or_404(user, LocalAuthority.objects.select_related("province"), pk=pk)
    except OverflowError as exc:
        raise Http404 from exc


def accounts_of(lao: LocalAuthority) -> list[EsarAccount]:
    return list(
        EsarAccount.objects.filter(lao=lao)
        .select_related("user", "issued_by", "revoked_by")
        .order_by("-issued_at", "-pk")
    )


# --- The state of the accounts and the bulk issuances -----------------------------------------------


class AccountState(StrEnum):
    NONE = "none"  # no active e-SAR account
    ISSUED = "issued"  # one-time password not used yet
    EXPIRED = "expired"  # one-time password not used in time
    LOGGED_IN = "logged_in"  # one-time password used, own password not chosen yet
    CHANGED = "changed"  # the officer chose their own password


ACCOUNT_STATE_LABELS = {
    AccountState.NONE: _("No account"),
    AccountState.ISSUED: _("Issued, not used yet"),
    AccountState.EXPIRED: _("Expired unused"),
    AccountState.LOGGED_IN: _("Logged in, own password not chosen yet"),
    AccountState.CHANGED: _("Own password chosen"),
}


def account_state(account: EsarAccount | None, now: dt.datetime | None = None) -> AccountState:
    if account is None:
        return AccountState.NONE
    otp = getattr(account.user, "one_time_password", None)
    if otp is None or otp.replaced_at is not None:
        return AccountState.CHANGED
    if otp.used_at is not None:
        return AccountState.LOGGED_IN
    if otp.expires_at <= (now or timezone.now()):
        return AccountState.EXPIRED
    return AccountState.ISSUED


def can_see_account_states(user: RequestUser) -> bool:
    """DLA administrators, and province supervisors for their province (read-only)."""
    if can_issue_accounts(user):
        return True
    return scope_for(user).level is Level.PROVINCE and has_perm(user, Perm.DELIVERY_VIEW)


def province_for_account_states(user: User, code: str) -> Province:
    _404_unless(can_see_account_states(user))
    return get_visible_or_404(user, Province.objects.all(), pk=code)


@dataclass
class AccountRow:
    lao: LocalAuthority
    account: EsarAccount | None
    state: AccountState

    @property
    def state_label(self) -> str:
        return str(ACCOUNT_STATE_LABELS[self.state])


def account_rows(province: Province) -> list[AccountRow]:
    """Every LAO of the province with its active account and the state of its password (two
    queries whatever the number of LAOs)."""
    accounts = {
        account.lao_id: account
        for account in EsarAccount.objects.filter(
            lao__province=province, revoked_at__isnull=True
        ).select_related("user__one_time_password", "issued_by")
    }
    now = timezone.now()
    rows = []
    for lao in LocalAuthority.objects.filter(province=province).order_by("code"):
        account = accounts.get(lao.pk)
        rows.append(AccountRow(lao=lao, account=account, state=account_state(account, now)))
    return rows


def batches_for(user: User) -> QuerySet[IssuanceBatch]:
    if not can_issue_accounts(user):
        return IssuanceBatch.objects.none()
    return IssuanceBatch.objects.select_related("province", "started_by", "job")


def batch_for(user: User, pk: int) -> IssuanceBatch:
    _404_unless(can_issue_accounts(user))
    try:
        return batches_for(user).get(pk=pk)
    except (IssuanceBatch.DoesNotExist, OverflowError) as exc:
        raise Http404 from exc


def batch_part(batch: IssuanceBatch, province_code: str) -> IssuanceProvince:
    try:
        return batch.provinces.select_related("province").get(province_id=province_code)
    except IssuanceProvince.DoesNotExist as exc:
        raise Http404 from exc
