"""The home page's sections and the menu's entries, registered by the apps that own them.

Core keeps only the two lists. Each app fills them in its `AppConfig.ready()` with what it shows
and to whom (a predicate on the user: its roles, its permissions), and `esar.front` renders them:
no app imports a higher one to appear on the home page or in the menu.

Orders are small integers, lowest first, so that an entry finds its place without a central
list: the top bar runs Home 0, SARs 10, synthesis 20, delivery 30, inbox 40, helpdesk 50,
dashboards 60, supervision 70, then the front's "Registry" (80) and "More" (90) menus; a home
section's order is also its place among the others' figures, steps and blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from esar.core.access import AnyUser

# Registered by the apps above core with their own user type (accounts' User): core cannot name it,
# and a callable of a narrower argument is no Callable[[AbstractBaseUser], bool]; hence Any here.
Predicate = Callable[[Any], bool]


@dataclass
class Step:
    """One line of "What to do next", with the link that does it."""

    text: str | Promise
    url: str = ""
    link_text: str | Promise = ""
    tone: str = "info"  # info | warning | success


@dataclass
class Figure:
    """One card of figures at the top of the home page."""

    label: str | Promise
    value: int
    url: str = ""


@dataclass
class HomePart:
    """What one section adds to a person's home page.

    `urgent` steps open "What to do next" (something blocks the work), `steps` follow in section
    order, `chores` (data still to complete) close it. A section with a `template` also shows a
    block of its own, between the figures and the steps, rendered with `context`.
    """

    figures: list[Figure] = field(default_factory=list)
    urgent: list[Step] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    chores: list[Step] = field(default_factory=list)
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HomeSection:
    name: str
    order: int
    build: Callable[[Any], HomePart]
    when: Predicate


@dataclass(frozen=True)
class MenuEntry:
    """A link of the menu: in the top bar (`menu=""`) or in one of the front's menus."""

    label: str | Promise
    url_name: str
    section: str  # the pages' `nav_section` that marks this entry as the current one
    order: int
    menu: str
    when: Predicate


_home_sections: dict[str, HomeSection] = {}
_menu_entries: dict[tuple[str, str], MenuEntry] = {}


def _always(user: AnyUser) -> bool:
    return True


def register_home_section(
    name: str, build: Callable[[Any], HomePart], *, order: int, when: Predicate | None = None
) -> None:
    """Show `build(user)` on the home page of every user for whom `when(user)` holds.

    Registering the same name again replaces the section (ready() may run twice in tests).
    """
    _home_sections[name] = HomeSection(name=name, order=order, build=build, when=when or _always)


def register_menu_entry(
    label: str | Promise,
    url_name: str,
    *,
    section: str,
    order: int,
    menu: str = "",
    when: Predicate | None = None,
) -> None:
    """Offer the page `url_name` in `menu` to every user for whom `when(user)` holds."""
    _menu_entries[(menu, url_name)] = MenuEntry(
        label=label,
        url_name=url_name,
        section=section,
        order=order,
        menu=menu,
        when=when or _always,
    )


def home_sections_for(user: AnyUser) -> list[HomeSection]:
    """The sections shown to `user`, in order."""
    return sorted(
        (section for section in _home_sections.values() if section.when(user)),
        key=lambda section: (section.order, section.name),
    )


def menu_entries_for(user: AnyUser, menu: str = "") -> list[MenuEntry]:
    """The entries of `menu` offered to `user`, in order."""
    return sorted(
        (entry for entry in _menu_entries.values() if entry.menu == menu and entry.when(user)),
        key=lambda entry: (entry.order, entry.url_name),
    )
