"""Academic years for tests, made through the real service with DLA's usual dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from esar.accounts.models import User
from esar.assessments.models import ExternalAssessment
from esar.cycles import services
from esar.cycles.demo import demo_year_values
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution


def make_year(
    year: int,
    *,
    actor: User | None = None,  # None: most tests, recorded without an actor
    **overrides: Any,
) -> AcademicYear:
    """Year `year` (B.E.): semester 1 on 16 May, deadlines from 31 March to 30 June after it."""
    return services.create_year(actor=actor, year=year, **{**demo_year_values(year), **overrides})


def assess(institution: Institution, on: dt.date, **values: Any) -> ExternalAssessment:
    return ExternalAssessment.objects.create(institution=institution, assessed_on=on, **values)
