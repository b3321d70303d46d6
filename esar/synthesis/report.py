"""Everything a synthesis shows, gathered once for the page, the PDF and the Excel workbook.

`build` reads either the live state (a draft: figures computed now, the issues being written)
or a completed version (its frozen figures, text, issues and source revisions), in a fixed
number of queries whatever the number of institutions. Every strength and point to improve
keeps the revision it came from, so each line of the synthesis links back to its SAR.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.organizations.models import Institution
from esar.sar.models import Revision
from esar.standards.models import QualityLevel, Standard, StandardItem
from esar.synthesis import charts
from esar.synthesis.figures import Figures, accepted_revisions, compute
from esar.synthesis.models import OnesqaIssue, Synthesis, SynthesisStatus, SynthesisVersion


@dataclass(frozen=True)
class LevelCount:
    level: QualityLevel
    count: int
    percent: float


@dataclass
class ItemRow:
    item: StandardItem
    counts: list[LevelCount]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


@dataclass(frozen=True)
class Voice:
    """What one institution wrote about one standard as a whole, and where it wrote it."""

    institution: Institution
    revision_id: int
    revision_number: int
    sar_id: int
    level: QualityLevel | None
    strengths: str
    improvements: str


@dataclass
class StandardSection:
    standard: Standard
    levels: list[QualityLevel]
    counts: list[LevelCount]
    items: list[ItemRow]
    voices: list[Voice] = field(default_factory=list)
    below_good: list[Institution] = field(default_factory=list)
    chart: str = ""

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


@dataclass(frozen=True)
class BelowGood:
    institution: Institution
    standards: list[Standard]


@dataclass(frozen=True)
class IssueView:
    text: str
    standards: list[Standard]
    institutions: list[Institution]


@dataclass
class SynthesisReport:
    synthesis: Synthesis
    version: SynthesisVersion | None  # None: the live draft
    figures: Figures
    sections: list[StandardSection]
    below_good: list[BelowGood]
    summary: str
    issues: list[IssueView]
    generated_at: Any

    @property
    def lao(self):
        return self.synthesis.lao

    @property
    def year(self):
        return self.synthesis.year

    @property
    def is_frozen(self) -> bool:
        return self.version is not None


def _counts(levels: list[QualityLevel], by_rank: dict[int, int]) -> list[LevelCount]:
    total = sum(by_rank.values())
    return [
        LevelCount(level, by_rank.get(level.rank, 0), 100 * by_rank.get(level.rank, 0) / total)
        if total
        else LevelCount(level, 0, 0.0)
        for level in levels
    ]


def _chart(section: StandardSection) -> str:
    def row(label: str, counts: list[LevelCount]) -> charts.Row:
        return charts.Row(
            label, [charts.Segment(c.level.rank, c.level.name, c.count) for c in counts]
        )

    rows = [row(_("Standard %(number)s") % {"number": section.standard.number}, section.counts)]
    rows += [row(item_row.item.number, item_row.counts) for item_row in section.items]
    title = _("Institutions per quality level, standard %(number)s") % {
        "number": section.standard.number
    }
    return charts.stacked_bars(rows, title=title)


def build(synthesis: Synthesis, version: SynthesisVersion | None = None) -> SynthesisReport:
    """The report of a completed `version`, or of the live synthesis when it is None."""
    lao, year = synthesis.lao, synthesis.year
    if version is not None:
        figures = Figures.from_json(version.figures)
        source_ids = list(version.source_revisions.values_list("pk", flat=True))
        summary = version.summary
        raw_issues = version.issues
    else:
        figures = compute(lao, year)
        source_ids = accepted_revisions(lao, year)
        summary = synthesis.summary
        raw_issues = None

    # What the sources wrote about each standard as a whole: only that part of the content.
    sources = list(
        Revision.objects.filter(pk__in=source_ids)
        .order_by("sar__institution__code")
        .values("pk", "number", "sar_id", "sar__institution_id", "content__standards")
    )
    standard_ids = set(figures.standards)
    for source in sources:
        standard_ids |= {int(key) for key in (source["content__standards"] or {})}
    item_standards = set(
        StandardItem.objects.filter(pk__in=list(figures.levels)).values_list(
            "standard_id", flat=True
        )
    )
    standard_ids |= item_standards
    if raw_issues is not None:
        for issue in raw_issues:
            standard_ids |= set(issue["standards"])
    standards = {
        s.pk: s for s in Standard.objects.filter(pk__in=standard_ids).select_related("standard_set")
    }
    set_ids = {s.standard_set_id for s in standards.values()}
    levels: dict[int, list[QualityLevel]] = defaultdict(list)
    for level in QualityLevel.objects.filter(standard_set__in=set_ids).order_by("rank"):
        levels[level.standard_set_id].append(level)
    items: dict[int, list[StandardItem]] = defaultdict(list)
    for item in StandardItem.objects.filter(standard__in=list(standards)).order_by("order"):
        items[item.standard_id].append(item)

    institution_ids = {source["sar__institution_id"] for source in sources}
    institution_ids |= set(figures.below_good)
    if raw_issues is not None:
        for issue in raw_issues:
            institution_ids |= set(issue["institutions"])
    institutions = {i.pk: i for i in Institution.objects.filter(pk__in=institution_ids)}

    sections: dict[int, StandardSection] = {}
    ordered = sorted(
        standards.values(), key=lambda s: (s.standard_set.education_level, s.order, s.pk)
    )
    for standard in ordered:
        set_levels = levels[standard.standard_set_id]
        sections[standard.pk] = StandardSection(
            standard=standard,
            levels=set_levels,
            counts=_counts(set_levels, figures.standards.get(standard.pk, {})),
            items=[
                ItemRow(item, _counts(set_levels, figures.levels.get(item.pk, {})))
                for item in items[standard.pk]
            ],
        )
    for source in sources:
        institution = institutions.get(source["sar__institution_id"])
        for key, entry in (source["content__standards"] or {}).items():
            section = sections.get(int(key))
            if section is None or institution is None:
                continue
            by_rank = {level.rank: level for level in section.levels}
            section.voices.append(
                Voice(
                    institution=institution,
                    revision_id=source["pk"],
                    revision_number=source["number"],
                    sar_id=source["sar_id"],
                    level=by_rank.get(entry.get("level")),
                    strengths=entry.get("strengths") or "",
                    improvements=entry.get("improvements") or "",
                )
            )
    below_good = []
    for institution_id, ids in sorted(
        figures.below_good.items(), key=lambda kv: institutions[kv[0]].code
    ):
        institution = institutions[institution_id]
        below = [standards[pk] for pk in ids if pk in standards]
        for standard in below:
            sections[standard.pk].below_good.append(institution)
        below_good.append(BelowGood(institution, below))
    for section in sections.values():
        section.chart = _chart(section)

    if raw_issues is None and synthesis.pk is None:
        issues = []  # nothing written yet
    elif raw_issues is None:
        issues = [
            IssueView(issue.text, list(issue.standards.all()), list(issue.institutions.all()))
            for issue in OnesqaIssue.objects.filter(synthesis=synthesis).prefetch_related(
                Prefetch("standards", queryset=Standard.objects.order_by("standard_set", "order")),
                Prefetch("institutions", queryset=Institution.objects.order_by("code")),
            )
        ]
    else:
        issues = [
            IssueView(
                issue["text"],
                [standards[pk] for pk in issue["standards"] if pk in standards],
                [institutions[pk] for pk in issue["institutions"] if pk in institutions],
            )
            for issue in raw_issues
        ]
    return SynthesisReport(
        synthesis=synthesis,
        version=version,
        figures=figures,
        sections=list(sections.values()),
        below_good=below_good,
        summary=summary,
        issues=issues,
        generated_at=timezone.now(),
    )


def latest_version(synthesis: Synthesis) -> SynthesisVersion | None:
    if synthesis.status != SynthesisStatus.COMPLETE:
        return None
    return synthesis.versions.order_by("-number").first()
