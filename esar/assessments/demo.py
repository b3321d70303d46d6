"""Demo history of ONESQA's external assessments for the small demo world.

Deterministic, so that the target group of 2569 (semester 1 opens 16 May 2569; the rule is 5
years, so the cutoff is 16 May 2564) holds a known mix: institutions never assessed (the child
centres without an ONESQA code), institutions assessed exactly on the cutoff (in the group),
one day after it (out), long ago (in) and recently (out). Only missing rows are created.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from esar.accounts.models import User
from esar.assessments.models import ExternalAssessment
from esar.core import audit
from esar.organizations.demo import DEMO_INSTITUTIONS
from esar.organizations.models import Institution

# (assessed on, round, fiscal year B.E., result): ONESQA's rounds 3 (2554–58) and 4 (2559–63),
# the SAR-based assessment of 2564–65 and the new framework from 2567.
_ROUND3 = (dt.date(2013, 1, 22), "3", 2556, "ดี")
_ROUND4 = (dt.date(2018, 1, 17), "4", 2561, "ดีมาก")
_ON_CUTOFF = (dt.date(2021, 5, 16), "การประเมินจาก SAR", 2564, "ดี")
_DAY_AFTER_CUTOFF = (dt.date(2021, 5, 17), "การประเมินจาก SAR", 2564, "ดีเลิศ")
_NEW_FRAMEWORK = (dt.date(2024, 8, 20), "การประเมินรูปแบบใหม่", 2567, "ดีเลิศ")
_RECENT = (dt.date(2025, 11, 12), "การประเมินรูปแบบใหม่", 2569, "ยอดเยี่ยม")

# By position among the institutions that have an ONESQA code, a repeating pattern.
_PATTERNS: tuple[tuple[tuple[dt.date, str, int, str], ...], ...] = (
    (_ROUND3, _ROUND4),  # last assessed 8 years before 2569: in the group
    (_ROUND4, _ON_CUTOFF),  # exactly 5 years: in the group
    (_ROUND4, _DAY_AFTER_CUTOFF),  # one day short of 5 years: not in the group
    (_ROUND4, _NEW_FRAMEWORK),  # recently: not in the group
    (_RECENT,),  # recently: not in the group
    (_ROUND3,),  # long ago: in the group
)


def demo_history() -> dict[str, tuple[tuple[dt.date, str, int, str], ...]]:
    """MOE code → its assessments; institutions without an ONESQA code were never assessed."""
    assessed = [spec for spec in DEMO_INSTITUTIONS if spec.onesqa_code]
    return {spec.code: _PATTERNS[index % len(_PATTERNS)] for index, spec in enumerate(assessed)}


@transaction.atomic
def seed_demo_assessments(
    *,
    actor: User | None = None,  # None: the seed, recorded without an actor
) -> int:
    """Create the missing demo assessments of the small world's institutions; return how many."""
    history = demo_history()
    institutions = dict(
        Institution.objects.filter(code__in=list(history)).values_list("code", "pk")
    )
    existing = set(
        ExternalAssessment.objects.filter(institution_id__in=institutions.values()).values_list(
            "institution_id", "assessed_on"
        )
    )
    now = timezone.now()
    new = [
        ExternalAssessment(
            institution_id=institutions[code],
            assessed_on=assessed_on,
            round=round_,
            fiscal_year=fiscal_year,
            result=result,
            created_at=now,
            updated_at=now,
        )
        for code, rows in history.items()
        if code in institutions
        for assessed_on, round_, fiscal_year, result in rows
        if (institutions[code], assessed_on) not in existing
    ]
    ExternalAssessment.objects.bulk_create(new)
    if new:
        audit.record(action="demo.assessments_seeded", actor=actor, data={"created": len(new)})
    return len(new)
