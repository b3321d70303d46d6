"""The figures of an LAO's synthesis for a year, counted from its institutions' SARs.

Every figure is one aggregate query over rows that already exist (SARs, their accepted
revisions' ratings, the target-group rule), so an LAO with 40 institutions and one with 400 cost
the same number of queries. Quality levels are counted from the revision the LAO accepted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from esar.assessments.selectors import in_target_group
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution, LocalAuthority
from esar.sar.models import RevisionRating, Sar, SarStatus


@dataclass(frozen=True)
class Figures:
    institutions: int
    target_group: int
    sent: int  # sent to the LAO at least once (waiting, returned or accepted)
    accepted: int
    missing: int  # institutions whose SAR the LAO has not accepted yet
    # item id -> quality-level rank -> number of institutions (accepted revisions only)
    levels: dict[int, dict[int, int]] = field(default_factory=dict)

    def as_json(self) -> dict:
        """For a frozen version (JSON keys are strings)."""
        return {
            "institutions": self.institutions,
            "target_group": self.target_group,
            "sent": self.sent,
            "accepted": self.accepted,
            "missing": self.missing,
            "levels": {
                str(item): {str(rank): n for rank, n in ranks.items()}
                for item, ranks in self.levels.items()
            },
        }


def compute(lao: LocalAuthority, year: AcademicYear) -> Figures:
    institutions = Institution.objects.filter(lao=lao, is_active=True)
    total = institutions.count()
    target = in_target_group(institutions, year).count()
    counts = Sar.objects.filter(institution__in=institutions, year=year).aggregate(
        sent=Count("pk", filter=~Q(status=SarStatus.DRAFT)),
        accepted=Count("pk", filter=Q(status=SarStatus.ACCEPTED)),
    )
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        RevisionRating.objects.filter(
            revision__sar__institution__in=institutions,
            revision__sar__year=year,
            revision__sar__status=SarStatus.ACCEPTED,
            revision=F("revision__sar__current_revision"),
        )
        .values_list("item_id", "level__rank")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item_id, rank, n in rows:
        levels[item_id][rank] = n
    return Figures(
        institutions=total,
        target_group=target,
        sent=counts["sent"],
        accepted=counts["accepted"],
        missing=total - counts["accepted"],
        levels=dict(levels),
    )


def accepted_revisions(lao: LocalAuthority, year: AcademicYear) -> list[int]:
    """The revisions the figures count: the current, accepted one of each institution's SAR."""
    return list(
        Sar.objects.filter(
            institution__lao=lao, institution__is_active=True, year=year, status=SarStatus.ACCEPTED
        )
        .order_by("current_revision_id")
        .values_list("current_revision_id", flat=True)
    )
