"""What the apps above the years add to an academic year's page, handed in from their
AppConfig.ready() because cycles may not import them: the assessments app gives the page the
year's target group."""

from __future__ import annotations

from collections.abc import Callable

from esar.accounts.models import User
from esar.cycles.models import AcademicYear

# A part of a year's page beside its deadlines: its HTML for the user, or "" for none.
YearSection = Callable[[User, AcademicYear], str]

_year_sections: list[YearSection] = []


def add_year_section(section: YearSection) -> None:
    if section not in _year_sections:
        _year_sections.append(section)


def year_sections(user: User, year: AcademicYear) -> list[str]:
    """The HTML of the added parts of the year's page, in the order they were added."""
    return [html for section in _year_sections if (html := section(user, year))]
