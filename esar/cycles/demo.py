"""Demo academic years: 2567 (closed), 2568 and 2569 (open), with DLA's usual dates.

Semester 1 opens on 16 May of the year; for year N the SAR is due at the LAO by 31 March N+1, the
LAO's review by 30 April N+1, its synthesis by 15 May N+1 and the delivery into e-SAR by 30 June
N+1 (all Buddhist era). Years that exist are left as they are, so a re-run changes nothing and an
administrator's edits survive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from esar.accounts.models import User
from esar.core.thaidate import ce_year
from esar.cycles import services
from esar.cycles.models import AcademicYear

DEMO_YEARS = {2567: False, 2568: True, 2569: True}  # year (B.E.) → open for reports


def demo_year_values(year: int) -> dict[str, Any]:
    ce = ce_year(year)
    return {
        "semester1_start": dt.date(ce, 5, 16),
        "sar_due": dt.date(ce + 1, 3, 31),
        "review_due": dt.date(ce + 1, 4, 30),
        "synthesis_due": dt.date(ce + 1, 5, 15),
        "delivery_due": dt.date(ce + 1, 6, 30),
    }


@transaction.atomic
def ensure_demo_years(*, actor: User | None = None) -> list[int]:
    """Create the demo years that are missing; return the years created."""
    existing = set(AcademicYear.objects.filter(pk__in=DEMO_YEARS).values_list("pk", flat=True))
    created = []
    for year, is_open in sorted(DEMO_YEARS.items()):
        if year in existing:
            continue
        services.create_year(actor=actor, year=year, is_open=is_open, **demo_year_values(year))
        created.append(year)
    return created
