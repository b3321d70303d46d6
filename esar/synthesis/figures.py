"""The figures of an LAO's synthesis for a year, counted from its institutions' SARs.

Every figure is one query over rows that already exist (SARs, their accepted revisions' ratings
per item and per standard, the target-group rule), so an LAO with 40 institutions and one with 400
cost the same number of queries (five). Quality levels are counted from the revision the LAO
accepted; "below good" compares a standard's level with its set's `good_rank`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from esar.assessments.selectors import in_target_group
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution, LocalAuthority
from esar.sar.models import RevisionRating, RevisionStandardRating, Sar, SarStatus


@dataclass(frozen=True)
class Figures:
    institutions: int
    target_group: int
    sent: int  # sent to the LAO at least once (waiting, returned or accepted)
    accepted: int
    missing: int  # institutions whose SAR the LAO has not accepted yet
    # item id -> quality-level rank -> number of institutions (accepted revisions only)
    levels: dict[int, dict[int, int]] = field(default_factory=dict)
    # standard id -> rank -> institutions, for each standard as a whole
    standards: dict[int, dict[int, int]] = field(default_factory=dict)
    # institution id -> the standards it rated below its set's "good" level, in id order
    below_good: dict[int, list[int]] = field(default_factory=dict)

    def as_json(self) -> dict:
        """For a frozen version (JSON keys are strings)."""
        return {
            "institutions": self.institutions,
            "target_group": self.target_group,
            "sent": self.sent,
            "accepted": self.accepted,
            "missing": self.missing,
            "levels": _json_counts(self.levels),
            "standards": _json_counts(self.standards),
            "below_good": {
                str(institution): sorted(standards)
                for institution, standards in self.below_good.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Figures:
        """A frozen version's figures, with integer keys again."""

        def counts(raw: dict) -> dict[int, dict[int, int]]:
            return {
                int(key): {int(rank): n for rank, n in ranks.items()} for key, ranks in raw.items()
            }

        return cls(
            institutions=data["institutions"],
            target_group=data["target_group"],
            sent=data["sent"],
            accepted=data["accepted"],
            missing=data["missing"],
            levels=counts(data.get("levels", {})),
            standards=counts(data.get("standards", {})),
            below_good={int(key): list(value) for key, value in data.get("below_good", {}).items()},
        )


def _json_counts(counts: dict[int, dict[int, int]]) -> dict[str, dict[str, int]]:
    return {
        str(key): {str(rank): n for rank, n in sorted(ranks.items())}
        for key, ranks in sorted(counts.items())
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
    accepted = {
        "revision__sar__institution__in": institutions,
        "revision__sar__year": year,
        "revision__sar__status": SarStatus.ACCEPTED,
        "revision": F("revision__sar__current_revision"),
    }
    standards: dict[int, dict[int, int]] = defaultdict(dict)
    below_good: dict[int, list[int]] = defaultdict(list)
    for institution_id, standard_id, rank, good in (
        RevisionStandardRating.objects.filter(**accepted)
        .values_list(
            "revision__sar__institution_id",
            "standard_id",
            "level__rank",
            "standard__standard_set__good_rank",
        )
        .order_by("standard_id")
    ):
        standards[standard_id][rank] = standards[standard_id].get(rank, 0) + 1
        if rank < good:
            below_good[institution_id].append(standard_id)
    return Figures(
        institutions=total,
        target_group=target,
        sent=counts["sent"],
        accepted=counts["accepted"],
        missing=total - counts["accepted"],
        levels=dict(levels),
        standards=dict(standards),
        below_good=dict(below_good),
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
