"""What the apps above the registry add to its institution pages, handed in from their
AppConfig.ready() because the registry may not import them: the assessments app gives the list
its target-group filter and an institution's page its target group and ONESQA's history."""

from __future__ import annotations

from collections.abc import Callable

from esar.accounts.models import User
from esar.organizations.forms import InstitutionFilterForm
from esar.organizations.models import Institution

# A part of an institution's page below its registry data: its HTML for the user, or "" for none.
InstitutionSection = Callable[[User, Institution], str]

_list_form: type[InstitutionFilterForm] = InstitutionFilterForm
_institution_sections: list[InstitutionSection] = []


def use_institution_list_form(form_class: type[InstitutionFilterForm]) -> None:
    """The institution list filters with this form (a subclass adding filters) from now on."""
    global _list_form  # set once, from an AppConfig.ready()
    _list_form = form_class


def institution_list_form() -> type[InstitutionFilterForm]:
    return _list_form


def add_institution_section(section: InstitutionSection) -> None:
    if section not in _institution_sections:
        _institution_sections.append(section)


def institution_sections(user: User, institution: Institution) -> list[str]:
    """The HTML of the added parts of the institution's page, in the order they were added."""
    return [html for section in _institution_sections if (html := section(user, institution))]
