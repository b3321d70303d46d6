"""What this app shows on the pages of the apps below it, which may not import it: the target
group and ONESQA's history on an institution's page, the target group on a year's page (handed in
from `apps.py`, with the institution list's filter form `forms.TargetGroupFilterForm`)."""

from __future__ import annotations

from django.template.loader import render_to_string

from esar.accounts.models import User
from esar.assessments.selectors import assessments_of, in_target_group, target_group_status
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.organizations.selectors import institutions_for


def institution_section(user: User, institution: Institution) -> str:
    """The institution's target group of the current year, and its external assessments."""
    assessments = list(assessments_of(user, institution))
    year = cycles.current_year()
    target_group = (
        target_group_status(institution, year, assessments[0].assessed_on if assessments else None)
        if year is not None
        else None
    )
    return render_to_string(
        "assessments/institution_section.html",
        {"assessments": assessments, "target_group": target_group},
    )


def year_section(user: User, year: AcademicYear) -> str:
    """The year's rule of the target group and how many of the user's institutions are in it."""
    institutions = institutions_for(user).filter(is_active=True)
    return render_to_string(
        "assessments/year_section.html",
        {
            "year": year,
            "cutoff": year.target_group_cutoff(),
            "target_group_count": in_target_group(institutions, year).count(),
            "institution_count": institutions.count(),
        },
    )
