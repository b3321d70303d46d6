"""The province workbook: the syntheses of every LAO of a province for a year, one row per LAO.

Written with XlsxWriter in constant-memory mode (row by row, in order). It streams its LAOs from
one query, in chunks, so 300 LAOs cost no more memory than 30: a complete synthesis shows the
frozen figures of its latest completed version, the others today's counts (`live_counts`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from esar.assessments.selectors import target_group_filter
from esar.core import thaidate, xlsx
from esar.core.pdf import LANGUAGE
from esar.cycles.models import AcademicYear, Hop
from esar.organizations.models import Institution, LaoType, LocalAuthority, Province
from esar.sar.models import RevisionStandardRating, Sar, SarStatus
from esar.standards.models import QualityLevel, Standard
from esar.synthesis.exports import completed_text, long_date, rank_headers, standard_label
from esar.synthesis.figures import Figures
from esar.synthesis.models import OnesqaIssue, Synthesis, SynthesisStatus, SynthesisVersion

# by far their largest part.
FROZEN_FIGURES = tuple(
    f"figures__{key}"
    for key in (
        "institutions",
        "target_group",
        "sent",
        "accepted",
        "missing",
        "standards",
        "below_good",
    )
)
PROVINCE_CHUNK = 100  # LAOs held at once: the memory bound, and six queries each


def province_laos(province: Province, year: AcademicYear) -> QuerySet:
    """One row per LAO of the province (active, or inactive with a synthesis this year).

    Each row carries the status of its synthesis and its latest completed version if the
    synthesis is complete: two subqueries on (LAO, year), answered by the unique index.
    """
    lao = OuterRef("pk")
    synthesis = Synthesis.objects.filter(lao=lao, year=year)
    latest = SynthesisVersion.objects.filter(
        synthesis__lao=lao, synthesis__year=year, synthesis__status=SynthesisStatus.COMPLETE
    ).order_by("-number")
    return (
        LocalAuthority.objects.filter(province=province)
        .filter(Q(is_active=True) | Exists(synthesis))
        .annotate(
            synthesis_status=Subquery(synthesis.values("status")[:1]),
            version_pk=Subquery(latest.values("pk")[:1]),
        )
        .order_by("code")
        .values("pk", "code", "name_th", "name_en", "lao_type", "synthesis_status", "version_pk")
    )


@dataclass(frozen=True)
class LiveCounts:
    institutions: int = 0
    target_group: int = 0
    sent: int = 0
    accepted: int = 0
    below_good: int = 0
    issues: int = 0


def live_counts(lao_ids: list[int], year: AcademicYear) -> dict[int, LiveCounts]:
    """Today's counts of these LAOs (the same rules as `figures.compute`), in four queries.

    One GROUP BY per kind of row for the whole list, so a chunk of LAOs costs the same
    queries as one LAO, and the plans start from the LAOs, not from every SAR of the year.
    """
    if not lao_ids:
        return {}
    counts: dict[int, dict[str, int]] = {pk: {} for pk in lao_ids}
    for institutions in (
        Institution.objects.filter(lao_id__in=lao_ids, is_active=True)
        .values("lao_id")
        .annotate(
            institutions=Count("pk"), target_group=Count("pk", filter=target_group_filter(year))
        )
        .order_by()
    ):
        counts[institutions["lao_id"]].update(
            institutions=institutions["institutions"], target_group=institutions["target_group"]
        )
    for sars in (
        Sar.objects.filter(institution__lao_id__in=lao_ids, institution__is_active=True, year=year)
        .values("institution__lao_id")
        .annotate(
            sent=Count("pk", filter=~Q(status=SarStatus.DRAFT)),
            accepted=Count("pk", filter=Q(status=SarStatus.ACCEPTED)),
        )
        .order_by()
    ):
        counts[sars["institution__lao_id"]].update(sent=sars["sent"], accepted=sars["accepted"])
    for below in (
        RevisionStandardRating.objects.filter(
            revision__sar__institution__lao_id__in=lao_ids,
            revision__sar__institution__is_active=True,
            revision__sar__year=year,
            revision__sar__status=SarStatus.ACCEPTED,
            revision=F("revision__sar__current_revision"),
            level__rank__lt=F("standard__standard_set__good_rank"),
        )
        .values("revision__sar__institution__lao_id")
        .annotate(below_good=Count("revision__sar__institution_id", distinct=True))
        .order_by()
    ):
        counts[below["revision__sar__institution__lao_id"]].update(below_good=below["below_good"])
    for issues in (
        OnesqaIssue.objects.filter(synthesis__lao_id__in=lao_ids, synthesis__year=year)
        .values("synthesis__lao_id")
        .annotate(issues=Count("pk"))
        .order_by()
    ):
        counts[issues["synthesis__lao_id"]].update(issues=issues["issues"])
    return {pk: LiveCounts(**values) for pk, values in counts.items()}


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _lao_name(row: dict[str, Any]) -> str:
    return (
        row["name_en"] if translation.get_language() == "en" and row["name_en"] else row["name_th"]
    )


def province_xlsx(
    province: Province,
    year: AcademicYear,
    out: IO[bytes] | str,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """The syntheses of every LAO of a province for a year, one row per LAO; the rows written.

    A complete synthesis shows the frozen figures of its latest completed version; the others
    today's counts, and no levels per standard (they are counted when the LAO completes it).
    Streams: one LAO query read in chunks; per chunk, one query for its completed versions and
    four for the others' counts; rows written out as they come (memory is bounded by the chunk,
    not by the number of LAOs).
    """
    with translation.override(LANGUAGE):
        return _province_xlsx(province, year, out, progress)


def _province_xlsx(
    province: Province,
    year: AcademicYear,
    out: IO[bytes] | str,
    progress: Callable[[int, int], None] | None,
) -> int:
    title = _("Syntheses of the LAOs of %(province)s province, academic year %(year)s") % {
        "province": province.name,
        "year": year.year,
    }
    book = xlsx.workbook(out)
    book.set_properties({"title": title, "author": "e-SAR"})
    formats = xlsx.formats(book)
    lao_types = dict(LaoType.choices)
    standards = {
        standard.pk: standard
        for standard in Standard.objects.select_related("standard_set").order_by(
            "standard_set__education_level", "standard_set", "order"
        )
    }
    order = {pk: index for index, pk in enumerate(standards)}
    labels = {pk: standard_label(standard) for pk, standard in standards.items()}
    ranks = rank_headers(QualityLevel.objects.order_by("rank", "standard_set"))
    overdue = timezone.localdate() > year.due(Hop.LAO_SYNTHESIS)

    laos = xlsx.Sheet(
        book,
        formats,
        _("LAOs"),
        title,
        [
            (_("LAO code"), 11),
            (_("Local authority"), 36),
            (_("Type"), 24),
            (_("Synthesis"), 20),
            (_("Completed"), 14),
            (_("Late"), 10),
            (_("Institutions"), 11),
            (_("In the target group"), 11),
            (_("SARs sent to the LAO"), 11),
            (_("SARs accepted"), 11),
            (_("Still missing"), 11),
            (_("Institutions below “good” on any standard"), 14),
            (_("Issues for ONESQA"), 11),
        ],
    )
    levels = xlsx.Sheet(
        book,
        formats,
        _("Levels per standard"),
        title,
        [(_("LAO code"), 11), (_("Local authority"), 36), (_("Standard"), 24), (_("Name"), 50)]
        + [(name, 12.0) for _rank, name in ranks]
        + [(_("Total"), 10)],
    )

    rows = province_laos(province, year)
    total = rows.count()
    written = 0
    for chunk in _chunks(rows.iterator(chunk_size=PROVINCE_CHUNK), PROVINCE_CHUNK):
        versions = {
            version["pk"]: version
            for version in SynthesisVersion.objects.filter(
                pk__in=[row["version_pk"] for row in chunk if row["version_pk"]]
            ).values("pk", "number", "completed_at", "is_late", "issues", *FROZEN_FIGURES)
        }
        live = live_counts([row["pk"] for row in chunk if row["version_pk"] is None], year)
        for row in chunk:
            name = _lao_name(row)
            version = versions.get(row["version_pk"])
            if version is not None:
                figures = Figures.from_json(
                    {key.removeprefix("figures__"): version[key] for key in FROZEN_FIGURES}
                )
                laos.write(
                    [
                        row["code"],
                        name,
                        lao_types.get(row["lao_type"], row["lao_type"]),
                        completed_text(version["number"]),
                        long_date(version["completed_at"], False),
                        bool(version["is_late"]),
                        figures.institutions,
                        figures.target_group,
                        figures.sent,
                        figures.accepted,
                        figures.missing,
                        len(figures.below_good),
                        len(version["issues"] or []),
                    ]
                )
                counted = sorted(
                    (pk for pk in figures.standards if pk in standards), key=order.__getitem__
                )
                for pk in counted:
                    by_rank = figures.standards[pk]
                    levels.write(
                        [row["code"], name, labels[pk], standards[pk].name]
                        + [by_rank.get(rank, 0) for rank, _name in ranks]
                        + [sum(by_rank.values())]
                    )
                if not counted:
                    levels.write([row["code"], name, "", _("No SAR accepted")])
            else:
                status = (
                    _("Being written") if row["synthesis_status"] is not None else _("Not started")
                )
                counts = live[row["pk"]]
                laos.write(
                    [
                        row["code"],
                        name,
                        lao_types.get(row["lao_type"], row["lao_type"]),
                        status,
                        "",
                        _("Overdue") if overdue else "",
                        counts.institutions,
                        counts.target_group,
                        counts.sent,
                        counts.accepted,
                        counts.institutions - counts.accepted,
                        counts.below_good,
                        counts.issues,
                    ]
                )
                levels.write(
                    [
                        row["code"],
                        name,
                        "",
                        _("%(status)s: levels are counted when the synthesis is complete")
                        % {"status": status},
                    ]
                )
            written += 1
        if progress is not None:
            progress(written, total)

    laos.filter()
    levels.filter()
    for sheet in (laos, levels):
        sheet.row += 1
        sheet.note(
            _(
                "Complete syntheses show the figures of their latest completed version; the "
                "others show today's counts and no levels per standard."
            )
        )
        sheet.note(
            _("Generated %(date)s")
            % {"date": thaidate.format_datetime(timezone.now(), lang=LANGUAGE, thai_digits=False)}
        )
    book.close()
    return written
