"""The progress rows computed from the reports themselves, unsaved.

What a row should hold is read here, from the SARs, their revisions and ratings, the syntheses
and the deliveries, with set-based queries (no query per row). `esar.monitoring.progress` writes
these rows (inside the services' transactions, or for a whole year) and checks stored rows
against a recount; nothing else computes them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from esar.assessments.selectors import with_target_group
from esar.cycles.models import AcademicYear, Hop
from esar.delivery.models import DeliveredRevision, DeliveredSynthesis, DeliveryStatus
from esar.monitoring.models import InstitutionProgress, LaoProgress, ProvinceProgress, SarState
from esar.organizations.models import Institution, LocalAuthority
from esar.sar.models import Revision, RevisionRating, RevisionStandardRating, Sar, SarStatus
from esar.synthesis.models import Synthesis, SynthesisStatus, SynthesisVersion

# --- Institutions ------------------------------------------------------------------------------


def compute_institutions(
    year: AcademicYear, institutions: QuerySet[Institution]
) -> list[InstitutionProgress]:
    """Unsaved rows for the active institutions of `institutions`, from their SARs."""
    now = timezone.now()
    active = with_target_group(institutions.filter(is_active=True), year).values_list(
        "pk", "lao_id", "lao__province_id", "in_target_group"
    )
    sars = {
        row["institution_id"]: row
        for row in Sar.objects.filter(year=year, institution__in=institutions)
        .values(
            "pk",
            "institution_id",
            "status",
            "current_revision_id",
            "current_revision__reviewed_at",
        )
        .order_by()
    }
    first_sent = dict(
        Revision.objects.filter(sar__year=year, sar__institution__in=institutions)
        .values("sar_id")
        .annotate(first=Min("submitted_at"))
        .values_list("sar_id", "first")
        .order_by()
    )
    delivered = {
        revision_id: (delivered_at, received_at)
        for revision_id, delivered_at, received_at in DeliveredRevision.objects.filter(
            revision__sar__year=year,
            revision__sar__institution__in=institutions,
            revision__sar__status=SarStatus.ACCEPTED,
            revision=F("revision__sar__current_revision"),
            delivery__status=DeliveryStatus.DELIVERED,
        )
        .values_list("revision_id", "delivery__delivered_at", "delivery__acknowledged_at")
        .order_by()
    }
    rows = []
    for institution_id, lao_id, province_id, target in active:
        row = InstitutionProgress(
            year=year,
            institution_id=institution_id,
            lao_id=lao_id,
            province_id=province_id,
            in_target_group=bool(target),
            refreshed_at=now,
        )
        sar = sars.get(institution_id)
        if sar is not None:
            row.sar_id = sar["pk"]
            row.sar_state = sar["status"]
            row.submitted_at = first_sent.get(sar["pk"])
            if row.submitted_at is not None:
                row.submitted_late = year.is_late(Hop.SAR_SUBMISSION, row.submitted_at)
            if sar["status"] == SarStatus.ACCEPTED:
                row.accepted_at = sar["current_revision__reviewed_at"]
                # An accepted revision is always reviewed: its time is set.
                row.accepted_late = year.is_late(Hop.LAO_REVIEW, cast(dt.datetime, row.accepted_at))
                row.delivered_at, row.received_at = delivered.get(
                    sar["current_revision_id"], (None, None)
                )
                if row.delivered_at is not None:
                    row.delivered_late = year.is_late(Hop.ESAR_DELIVERY, row.delivered_at)
        rows.append(row)
    return rows


# --- LAOs --------------------------------------------------------------------------------------


def lao_counts(year: AcademicYear, lao_ids: Iterable[int] | None) -> dict[int, dict[str, int]]:
    """Per LAO, the counts of its institutions' hops, from the institution rows."""
    rows = InstitutionProgress.objects.filter(year=year)
    if lao_ids is not None:
        rows = rows.filter(lao_id__in=lao_ids)
    target = Q(in_target_group=True)
    sent = Q(submitted_at__isnull=False)
    accepted = Q(sar_state=SarState.ACCEPTED)
    delivered = Q(delivered_at__isnull=False)
    received = Q(received_at__isnull=False)
    aggregates = {
        "institutions": Count("pk"),
        "submitted": Count("pk", filter=sent),
        "submitted_late": Count("pk", filter=sent & Q(submitted_late=True)),
        "awaiting_review": Count("pk", filter=Q(sar_state=SarState.SUBMITTED)),
        "returned": Count("pk", filter=Q(sar_state=SarState.RETURNED)),
        "accepted": Count("pk", filter=accepted),
        "accepted_late": Count("pk", filter=accepted & Q(accepted_late=True)),
        "delivered": Count("pk", filter=delivered),
        "received": Count("pk", filter=received),
        "t_institutions": Count("pk", filter=target),
        "t_submitted": Count("pk", filter=target & sent),
        "t_submitted_late": Count("pk", filter=target & sent & Q(submitted_late=True)),
        "t_accepted": Count("pk", filter=target & accepted),
        "t_accepted_late": Count("pk", filter=target & accepted & Q(accepted_late=True)),
        "t_delivered": Count("pk", filter=target & delivered),
        "t_received": Count("pk", filter=target & received),
    }
    # Annotations named like the row's own fields would shadow them inside the filters.
    named = {f"n_{name}": aggregate for name, aggregate in aggregates.items()}
    counted = rows.values("lao_id").annotate(**named).order_by("lao_id")
    # Rows of "lao_id" and the counts named above at run time, which the stubs cannot follow.
    return {
        row["lao_id"]: {name: row[f"n_{name}"] for name in aggregates}
        for row in cast("Iterable[dict[str, Any]]", counted)
    }


def lao_levels(year: AcademicYear, lao_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
    """Per LAO, the quality levels of the accepted SARs: {"items": …, "standards": …}.

    Counted exactly as the synthesis counts them: the current, accepted revision of each active
    institution's SAR.
    """
    accepted = {
        "revision__sar__year": year,
        "revision__sar__institution__is_active": True,
        "revision__sar__status": SarStatus.ACCEPTED,
        "revision": F("revision__sar__current_revision"),
    }
    if lao_ids is not None:
        accepted["revision__sar__institution__lao_id__in"] = lao_ids
    levels: dict[int, dict[str, Any]] = defaultdict(lambda: {"items": {}, "standards": {}})
    for kind, model, key in (
        ("items", RevisionRating, "item_id"),
        ("standards", RevisionStandardRating, "standard_id"),
    ):
        rows = (
            model.objects.filter(**accepted)
            .values_list("revision__sar__institution__lao_id", key, "level__rank")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for lao_id, key_id, rank, n in rows:
            levels[lao_id][kind].setdefault(str(key_id), {})[str(rank)] = n
    return levels


def lao_hops(year: AcademicYear, lao_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
    """Per LAO: its synthesis' completion and the delivery (and receipt) of that version."""
    syntheses = Synthesis.objects.filter(year=year, status=SynthesisStatus.COMPLETE)
    if lao_ids is not None:
        syntheses = syntheses.filter(lao_id__in=lao_ids)
    hops: dict[int, dict[str, Any]] = {}
    # The current completed version is the latest one of a complete synthesis.
    latest: dict[int, tuple[int, Any]] = {}
    for lao_id, version_id, completed_at in (
        SynthesisVersion.objects.filter(synthesis__in=syntheses)
        .values_list("synthesis__lao_id", "pk", "completed_at")
        .order_by("synthesis__lao_id", "number")
    ):
        latest[lao_id] = (version_id, completed_at)
    delivered = {
        version_id: (delivered_at, received_at)
        for version_id, delivered_at, received_at in DeliveredSynthesis.objects.filter(
            synthesis_version_id__in=[version for version, _at in latest.values()],
            delivery__status=DeliveryStatus.DELIVERED,
        ).values_list("synthesis_version_id", "delivery__delivered_at", "delivery__acknowledged_at")
    }
    for lao_id, (version_id, completed_at) in latest.items():
        delivered_at, received_at = delivered.get(version_id, (None, None))
        hops[lao_id] = {
            "synthesis_completed_at": completed_at,
            "synthesis_late": year.is_late(Hop.LAO_SYNTHESIS, completed_at),
            "delivered_at": delivered_at,
            "delivered_late": delivered_at is not None
            and year.is_late(Hop.ESAR_DELIVERY, delivered_at),
            "received_at": received_at,
        }
    return hops


def compute_laos(year: AcademicYear, lao_ids: Iterable[int] | None = None) -> list[LaoProgress]:
    """Unsaved rows for the active LAOs among `lao_ids` (all when None), from institution rows."""
    laos = LocalAuthority.objects.filter(is_active=True)
    if lao_ids is not None:
        lao_ids = list(lao_ids)
        laos = laos.filter(pk__in=lao_ids)
    counts = lao_counts(year, lao_ids)
    levels = lao_levels(year, lao_ids)
    hops = lao_hops(year, lao_ids)
    now = timezone.now()
    rows = []
    for lao_id, province_id in laos.values_list("pk", "province_id").order_by("pk"):
        row = LaoProgress(
            year=year,
            lao_id=lao_id,
            province_id=province_id,
            levels=levels.get(lao_id, {}),
            refreshed_at=now,
            **counts.get(lao_id, {}),
            **hops.get(lao_id, {}),
        )
        rows.append(row)
    return rows


# --- Provinces ---------------------------------------------------------------------------------


def add_levels(total: dict[str, Any], levels: dict[str, Any]) -> dict[str, Any]:
    """Add one level tally into another (both {"items": {id: {rank: n}}, "standards": …})."""
    for kind in ("items", "standards"):
        into = total.setdefault(kind, {})
        for key, ranks in levels.get(kind, {}).items():
            target = into.setdefault(key, {})
            for rank, n in ranks.items():
                target[rank] = target.get(rank, 0) + n
    return total


def compute_provinces(
    year: AcademicYear, province_ids: Iterable[str] | None = None
) -> list[ProvinceProgress]:
    rows = LaoProgress.objects.filter(year=year)
    if province_ids is not None:
        province_ids = sorted(set(province_ids))
        rows = rows.filter(province_id__in=province_ids)
    totals: dict[str, dict[str, Any]] = {code: {} for code in province_ids or ()}
    for province_id, levels in rows.values_list("province_id", "levels").order_by("province_id"):
        add_levels(totals.setdefault(province_id, {}), levels or {})
    now = timezone.now()
    return [
        ProvinceProgress(year=year, province_id=code, levels=levels, refreshed_at=now)
        for code, levels in sorted(totals.items())
    ]
