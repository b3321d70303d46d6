"""What each role may do. Visibility of objects is decided separately, by `scoping`."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from esar.accounts.roles import Role

if TYPE_CHECKING:
    from esar.accounts.types import RequestUser


class Perm(StrEnum):
    REGISTRY_VIEW = "registry.view"
    REGISTRY_IMPORT = "registry.import"
    AUDIT_VIEW = "audit.view"
    ADMIN_SITE = "admin.site"
    STANDARDS_MANAGE = "standards.manage"
    YEARS_MANAGE = "years.manage"
    ASSESSMENTS_IMPORT = "assessments.import"
    SAR_VIEW = "sar.view"
    SAR_WRITE = "sar.write"
    SAR_REVIEW = "sar.review"
    SYNTHESIS_WRITE = "synthesis.write"
    SYNTHESIS_VIEW = "synthesis.view"
    DELIVERY_VIEW = "delivery.view"
    ESAR_ACCOUNTS_ISSUE = "esar_accounts.issue"
    ONESQA_INBOX = "onesqa.inbox"
    HELPDESK_REPORT = "helpdesk.report"
    HELPDESK_HANDLE = "helpdesk.handle"
    HELPDESK_CONTACT_EDIT = "helpdesk.contact_edit"
    ACCOUNT_POLICY_EDIT = "accounts.policy_edit"
    # Who resets whose password or removes whose authenticator is not a permission of the role:
    # it is the table esar.accounts.selectors.CREDENTIAL_RESETS (role and hierarchy together).


_ALL_ROLES = set(Role)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.DLA_ADMIN: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.REGISTRY_IMPORT,
            Perm.AUDIT_VIEW,
            Perm.ADMIN_SITE,
            Perm.STANDARDS_MANAGE,
            Perm.YEARS_MANAGE,
            Perm.ASSESSMENTS_IMPORT,
            Perm.SAR_VIEW,
            Perm.SYNTHESIS_VIEW,
            Perm.DELIVERY_VIEW,
            Perm.ESAR_ACCOUNTS_ISSUE,
            Perm.HELPDESK_CONTACT_EDIT,
            Perm.ACCOUNT_POLICY_EDIT,
        }
    ),
    Role.DLA_ANALYST: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.AUDIT_VIEW,
            Perm.SAR_VIEW,
            Perm.SYNTHESIS_VIEW,
            Perm.DELIVERY_VIEW,
        }
    ),
    Role.PROVINCE_SUPERVISOR: frozenset(
        {Perm.REGISTRY_VIEW, Perm.SAR_VIEW, Perm.SYNTHESIS_VIEW, Perm.DELIVERY_VIEW}
    ),
    Role.LAO_OFFICER: frozenset(
        {
            Perm.REGISTRY_VIEW,
            Perm.SAR_VIEW,
            Perm.SAR_REVIEW,
            Perm.SYNTHESIS_WRITE,
            Perm.SYNTHESIS_VIEW,
            Perm.DELIVERY_VIEW,
            Perm.HELPDESK_REPORT,
        }
    ),
    Role.SCHOOL_OFFICER: frozenset({Perm.REGISTRY_VIEW, Perm.SAR_VIEW, Perm.SAR_WRITE}),
    # SARs reach ONESQA only through e-SAR deliveries, never by browsing drafts.
    Role.ONESQA_REVIEWER: frozenset(
        {Perm.REGISTRY_VIEW, Perm.ASSESSMENTS_IMPORT, Perm.ONESQA_INBOX}
    ),
    Role.HELPDESK: frozenset({Perm.REGISTRY_VIEW, Perm.HELPDESK_HANDLE}),
}


# The LAO's e-SAR delivery account (Membership.delivery_account) is an LAO membership that may do
# only this, whatever the LAO officer role allows: deliver, follow the deliveries, report to the
# helpdesk. Reviews, the synthesis, resets and the registry are for the LAO's own officers.
DELIVERY_ACCOUNT_PERMISSIONS: frozenset[Perm] = frozenset(
    {Perm.DELIVERY_VIEW, Perm.HELPDESK_REPORT}
)


def is_delivery_account(user: RequestUser | None) -> bool:
    membership = getattr(user, "membership", None)
    return bool(membership is not None and membership.delivery_account)


def permissions_of(user: RequestUser | None) -> frozenset[Perm]:
    role = role_of(user)
    if role is None:
        return frozenset()
    if role is Role.LAO_OFFICER and is_delivery_account(user):
        return DELIVERY_ACCOUNT_PERMISSIONS
    return ROLE_PERMISSIONS[role]


def role_of(user: RequestUser | None) -> Role | None:
    """The role of a signed-in, active account; None for anyone else (and for no user at all,
    as in a template without one)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    membership = getattr(user, "membership", None)
    if membership is None:
        return None
    return Role(membership.role)


def has_perm(user: RequestUser | None, perm: Perm | str) -> bool:
    return Perm(perm) in permissions_of(user)
