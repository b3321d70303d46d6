"""The navigation bar of each role: only links to pages the role may open.

The daily work comes first as plain links; reference data and administration sit in one "More"
menu so that the bar fits a laptop screen. Each app registers its entries, with who may see them,
in its AppConfig.ready() (esar.core.sections); the front places them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from esar.accounts.permissions import role_of
from esar.accounts.types import RequestUser
from esar.core.sections import MenuEntry, menu_entries_for


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


# The front's own menus, placed among the top bar's entries by their order
# (esar.core.sections): the registry's pages, then everything else.
REGISTRY_ORDER = 80
MORE_ORDER = 90


def _item(entry: MenuEntry) -> NavItem:
    return NavItem(entry.label, entry.url_name, entry.section)


def items_for(user: RequestUser) -> list[NavItem]:
    """The menu of `user`: the entries the apps registered for them, in order."""
    if role_of(user) is None:
        return []
    placed = [(entry.order, _item(entry)) for entry in menu_entries_for(user)]
    registry = [_item(entry) for entry in menu_entries_for(user, "registry")]
    # One menu entry for the registry, so that the bar fits 1280 px for every role.
    if len(registry) == 1:
        placed.append((REGISTRY_ORDER, registry[0]))
    elif registry:
        placed.append((REGISTRY_ORDER, NavItem(_("Registry"), "", "registry", tuple(registry))))
    more = tuple(_item(entry) for entry in menu_entries_for(user, "more"))
    placed.append((MORE_ORDER, NavItem(_("More"), "", "more", more)))
    return [item for _order, item in sorted(placed, key=lambda pair: pair[0])]
