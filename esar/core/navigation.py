"""The navigation bar of each role: only links to pages the role may open.

The daily work comes first as plain links; reference data and administration sit in one "More"
menu so that the bar fits a laptop screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from esar.accounts.permissions import Perm, has_perm, is_delivery_account, role_of
from esar.accounts.roles import Role
from esar.accounts.selectors import looks_after_accounts


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    section: str
    children: tuple[NavItem, ...] = field(default=())

    @property
    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else ""

    @property
    def sections(self) -> set[str]:
        return {self.section} | {child.section for child in self.children}


def items_for(user) -> list[NavItem]:
    role = role_of(user)
    if role is None:
        return []
    items = [NavItem(_("Home"), "core:home", "home")]
    if has_perm(user, Perm.SAR_WRITE):
        items.append(NavItem(_("My SAR"), "sar:index", "sar"))
    elif has_perm(user, Perm.SAR_REVIEW):
        items.append(NavItem(_("Review SARs"), "sar:queue", "sar"))
    elif has_perm(user, Perm.SAR_VIEW):
        items.append(NavItem(_("SARs"), "sar:list", "sar"))
    if has_perm(user, Perm.SYNTHESIS_WRITE):
        items.append(NavItem(_("Synthesis"), "synthesis:index", "synthesis"))
    if role is Role.LAO_OFFICER and has_perm(user, Perm.DELIVERY_VIEW):
        items.append(NavItem(_("Deliver to e-SAR"), "delivery:index", "delivery"))
    elif has_perm(user, Perm.SYNTHESIS_VIEW):
        items.append(NavItem(_("Syntheses"), "synthesis:list", "synthesis"))
    if has_perm(user, Perm.ONESQA_INBOX):
        items.append(NavItem(_("e-SAR inbox"), "delivery:inbox", "delivery"))
    if has_perm(user, Perm.HELPDESK_HANDLE):
        items.append(NavItem(_("Helpdesk reports"), "helpdesk:list", "helpdesk"))
    if role in (Role.DLA_ADMIN, Role.DLA_ANALYST, Role.PROVINCE_SUPERVISOR):
        # Province supervisors land on their province's dashboard.
        items.append(NavItem(_("Dashboard"), "monitoring:national", "dashboards"))
        items.append(NavItem(_("Supervision visits"), "supervision:list", "supervision"))
    if has_perm(user, Perm.REGISTRY_VIEW):
        registry = []
        if role in (Role.DLA_ADMIN, Role.DLA_ANALYST, Role.ONESQA_REVIEWER, Role.HELPDESK):
            registry.append(NavItem(_("Provinces"), "organizations:province_list", "provinces"))
        if role is not Role.SCHOOL_OFFICER and role is not Role.LAO_OFFICER:
            registry.append(NavItem(_("Local authorities"), "organizations:lao_list", "laos"))
        if role is Role.SCHOOL_OFFICER:
            registry.append(
                NavItem(_("My institution"), "organizations:my_institution", "institutions")
            )
        else:
            registry.append(
                NavItem(_("Institutions"), "organizations:institution_list", "institutions")
            )
        # One menu entry for the registry, so that the bar fits 1280 px for every role.
        if len(registry) == 1:
            items.extend(registry)
        else:
            items.append(NavItem(_("Registry"), "", "registry", tuple(registry)))
    more = [
        NavItem(_("Circulars"), "circulars:list", "circulars"),
        NavItem(_("Education standards"), "standards:list", "standards"),
        NavItem(_("Academic years"), "cycles:list", "years"),
    ]
    if is_delivery_account(user):
        more = [more[0]]
    if has_perm(user, Perm.REGISTRY_IMPORT):
        more.append(NavItem(_("Import registry"), "organizations:import", "import"))
    if has_perm(user, Perm.ASSESSMENTS_IMPORT):
        more.append(NavItem(_("Import external assessments"), "assessments:import", "assessments"))
    if role in (Role.LAO_OFFICER, Role.SCHOOL_OFFICER) and not is_delivery_account(user):
        more.append(NavItem(_("Supervision visits"), "supervision:list", "supervision"))
    if has_perm(user, Perm.HELPDESK_REPORT):
        more.append(NavItem(_("e-SAR problem reports"), "helpdesk:list", "helpdesk"))
    if has_perm(user, Perm.HELPDESK_CONTACT_EDIT):
        more.append(NavItem(_("Helpdesk contact"), "helpdesk:contact", "helpdesk"))
    if has_perm(user, Perm.AUDIT_VIEW):
        more.append(NavItem(_("Audit log"), "core:audit_log", "audit"))
    if looks_after_accounts(user):
        more.append(NavItem(_("Reset passwords"), "accounts:account_list", "accounts"))
    if has_perm(user, Perm.ESAR_ACCOUNTS_ISSUE) or role is Role.PROVINCE_SUPERVISOR:
        more.append(NavItem(_("e-SAR accounts"), "delivery:accounts_index", "esar_accounts"))
    if has_perm(user, Perm.ACCOUNT_POLICY_EDIT):
        more.append(NavItem(_("Account policy"), "accounts:policy", "account_policy"))
    if has_perm(user, Perm.YEARS_MANAGE):
        more.append(NavItem(_("Reminders"), "monitoring:reminder_settings", "reminders"))
    items.append(NavItem(_("More"), "", "more", tuple(more)))
    return items
