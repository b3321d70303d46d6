"""The navigation bar of each role: only links to pages the role may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from esar.accounts.permissions import Perm, has_perm, role_of
from esar.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    section: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def items_for(user) -> list[NavItem]:
    role = role_of(user)
    if role is None:
        return []
    items = [NavItem(_("Home"), "core:home", "home")]
    if has_perm(user, Perm.REGISTRY_VIEW):
        if role in (Role.DLA_ADMIN, Role.DLA_ANALYST, Role.ONESQA_REVIEWER, Role.HELPDESK):
            items.append(NavItem(_("Provinces"), "organizations:province_list", "provinces"))
        if role is not Role.SCHOOL_OFFICER and role is not Role.LAO_OFFICER:
            items.append(NavItem(_("Local authorities"), "organizations:lao_list", "laos"))
        if role is Role.SCHOOL_OFFICER:
            items.append(
                NavItem(_("My institution"), "organizations:my_institution", "institutions")
            )
        else:
            items.append(
                NavItem(_("Institutions"), "organizations:institution_list", "institutions")
            )
    if has_perm(user, Perm.REGISTRY_IMPORT):
        items.append(NavItem(_("Import registry"), "organizations:import", "import"))
    if has_perm(user, Perm.AUDIT_VIEW):
        items.append(NavItem(_("Audit log"), "core:audit_log", "audit"))
    return items
