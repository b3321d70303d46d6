"""The registry the apps fill for the home page and the menu, and the kernel's access checks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from esar.core import access, sections


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(sections, "_home_sections", {})
    monkeypatch.setattr(sections, "_menu_entries", {})
    monkeypatch.setattr(access, "_checks", {})


def test_home_sections_come_in_order_and_only_to_whom_they_apply(empty_registry):
    alice = SimpleNamespace(name="alice")
    sections.register_home_section("late", lambda user: sections.HomePart(), order=20)
    sections.register_home_section("early", lambda user: sections.HomePart(), order=10)
    sections.register_home_section(
        "bobs", lambda user: sections.HomePart(), order=0, when=lambda user: user.name == "bob"
    )
    assert [section.name for section in sections.home_sections_for(alice)] == ["early", "late"]


def test_registering_a_section_again_replaces_it(empty_registry):
    sections.register_home_section("sar", lambda user: sections.HomePart(), order=20)
    sections.register_home_section("sar", lambda user: sections.HomePart(), order=5)
    assert [s.order for s in sections.home_sections_for(object())] == [5]


def test_menu_entries_are_per_menu_in_order_and_filtered(empty_registry):
    sections.register_menu_entry("B", "b:list", section="b", order=20)
    sections.register_menu_entry("A", "a:list", section="a", order=10)
    sections.register_menu_entry("C", "c:list", section="c", order=5, menu="more")
    sections.register_menu_entry("D", "d:list", section="d", order=1, when=lambda user: False)
    assert [e.label for e in sections.menu_entries_for(object())] == ["A", "B"]
    assert [e.label for e in sections.menu_entries_for(object(), "more")] == ["C"]


def test_a_check_nobody_registered_refuses(empty_registry):
    assert access.allows(object(), access.AUDIT_VIEW) is False
    access.register_check(access.AUDIT_VIEW, lambda user: True)
    assert access.allows(object(), access.AUDIT_VIEW) is True
