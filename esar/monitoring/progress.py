"""Recompute the progress rows from the reports themselves.

`refresh` is the only writer of progress rows. Services call it inside their own transaction for
the institution or LAO they changed (a handful of queries, whatever the size of the LAO); the
`refresh_progress` command and the rule-change jobs call it for a whole year (set-based queries,
no query per row). `recount` computes the same rows without writing, for checks and tests.

Concurrency: an LAO's row is locked (SELECT … FOR UPDATE) before its counts are recomputed, and a
province's row before its level tallies are, always in that order; a second officer acting in the
same LAO waits for the first and then reads what the first committed, so no count is lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from esar.assessments.selectors import with_target_group
from esar.core import events
from esar.cycles.models import AcademicYear, Hop
from esar.delivery.models import DeliveredRevision, DeliveredSynthesis, DeliveryStatus
from esar.monitoring.models import InstitutionProgress, LaoProgress, ProvinceProgress, SarState
from esar.organizations.models import Institution, LocalAuthority
from esar.sar.models import Revision, RevisionRating, RevisionStandardRating, Sar, SarStatus
from esar.synthesis.models import Synthesis, SynthesisStatus, SynthesisVersion

INSTITUTION_FIELDS = [
    "lao",
    "province",
    "in_target_group",
    "sar_id",
    "sar_state",
    "submitted_at",
    "submitted_late",
    "accepted_at",
    "accepted_late",
    "delivered_at",
    "delivered_late",
    "received_at",
    "refreshed_at",
]
COUNT_FIELDS = [
    "institutions",
    "submitted",
    "submitted_late",
    "awaiting_review",
    "returned",
    "accepted",
    "accepted_late",
    "delivered",
    "received",
    "t_institutions",
    "t_submitted",
    "t_submitted_late",
    "t_accepted",
    "t_accepted_late",
    "t_delivered",
    "t_received",
]
LAO_FIELDS = [
    "province",
    "synthesis_completed_at",
    "synthesis_late",
    "delivered_at",
    "delivered_late",
    "received_at",
    *COUNT_FIELDS,
    "levels",
    "refreshed_at",
]


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
                row.accepted_late = year.is_late(Hop.LAO_REVIEW, row.accepted_at)
                row.delivered_at, row.received_at = delivered.get(
                    sar["current_revision_id"], (None, None)
                )
                if row.delivered_at is not None:
                    row.delivered_late = year.is_late(Hop.ESAR_DELIVERY, row.delivered_at)
        rows.append(row)
    return rows


# --- LAOs --------------------------------------------------------------------------------------


def _counts(year: AcademicYear, lao_ids: Iterable[int] | None) -> dict[int, dict[str, int]]:
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
    return {
        row["lao_id"]: {name: row[f"n_{name}"] for name in aggregates}
        for row in rows.values("lao_id").annotate(**named).order_by("lao_id")
    }


def _levels(year: AcademicYear, lao_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
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


def _lao_hops(year: AcademicYear, lao_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
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
    counts = _counts(year, lao_ids)
    levels = _levels(year, lao_ids)
    hops = _lao_hops(year, lao_ids)
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


# --- Writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recount:
    institutions: list[InstitutionProgress]
    laos: list[LaoProgress]
    provinces: list[ProvinceProgress]


def _ensure_and_lock(model: Any, rows: list[Any], year: AcademicYear, key: str, keys: list) -> None:
    """Create the missing rows (`rows`, conflicts ignored), then lock them all in key order."""
    model.objects.bulk_create(rows, ignore_conflicts=True)
    list(
        model.objects.select_for_update()
        .filter(year=year, **{f"{key}__in": keys})
        .order_by(key)
        .values_list("pk", flat=True)
    )


def _lock_laos(year: AcademicYear, lao_ids: list[int]) -> None:
    rows = [
        LaoProgress(year=year, lao_id=lao_id, province_id=province_id)
        for lao_id, province_id in LocalAuthority.objects.filter(pk__in=lao_ids).values_list(
            "pk", "province_id"
        )
    ]
    _ensure_and_lock(LaoProgress, rows, year, "lao_id", lao_ids)


def _lock_provinces(year: AcademicYear, province_ids: list[str]) -> None:
    rows = [ProvinceProgress(year=year, province_id=code) for code in province_ids]
    _ensure_and_lock(ProvinceProgress, rows, year, "province_id", province_ids)


BATCH = 2000


def _write_institutions(
    year: AcademicYear, institutions: QuerySet[Institution], rows: list[InstitutionProgress]
) -> None:
    InstitutionProgress.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["institution", "year"],
        update_fields=INSTITUTION_FIELDS,
    )
    # Institutions made inactive leave the counts.
    InstitutionProgress.objects.filter(year=year, institution__in=institutions).exclude(
        institution__is_active=True
    ).delete()


def _write_laos(year: AcademicYear, lao_ids: list[int] | None) -> set[str]:
    rows = compute_laos(year, lao_ids)
    LaoProgress.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["lao", "year"],
        update_fields=LAO_FIELDS,
    )
    stale = LaoProgress.objects.filter(year=year).exclude(lao__is_active=True)
    if lao_ids is not None:
        stale = stale.filter(lao_id__in=lao_ids)
    provinces = {row.province_id for row in rows}
    provinces.update(stale.values_list("province_id", flat=True))
    stale.delete()
    return provinces


def _write_provinces(year: AcademicYear, province_ids: list[str] | None) -> None:
    ProvinceProgress.objects.bulk_create(
        compute_provinces(year, province_ids),
        update_conflicts=True,
        unique_fields=["province", "year"],
        update_fields=["levels", "refreshed_at"],
    )


def refresh(
    *,
    year: AcademicYear,
    institution_ids: Iterable[int] = (),
    lao_ids: Iterable[int] = (),
) -> None:
    """Recompute the rows of these institutions, of these LAOs (and all their institutions), and
    of the provinces they are in. Call it inside the transaction that changed them."""
    institution_ids = sorted(set(institution_ids))
    lao_ids = set(lao_ids)
    with transaction.atomic():
        if institution_ids:
            lao_ids.update(
                Institution.objects.filter(pk__in=institution_ids).values_list("lao_id", flat=True)
            )
            # An institution that moved also leaves its former LAO's counts.
            lao_ids.update(
                InstitutionProgress.objects.filter(
                    year=year, institution_id__in=institution_ids
                ).values_list("lao_id", flat=True)
            )
        if not lao_ids:
            return
        ordered = sorted(lao_ids)
        _lock_laos(year, ordered)
        # Every institution of the LAO is recomputed: a row never goes missing, and an LAO's
        # dozens of rows cost the same few queries as one.
        institutions = Institution.objects.filter(Q(lao_id__in=ordered) | Q(pk__in=institution_ids))
        _write_institutions(year, institutions, compute_institutions(year, institutions))
        provinces = sorted(_write_laos(year, ordered))
        _lock_provinces(year, provinces)
        _write_provinces(year, provinces)


def refresh_year(year: AcademicYear) -> None:
    """Recompute every row of the year (after a rule, deadline or registry change)."""
    with transaction.atomic():
        everyone = Institution.objects.all()
        _write_institutions(year, everyone, compute_institutions(year, everyone))
        _write_laos(year, None)
        _write_provinces(year, None)
        ProvinceProgress.objects.filter(year=year).exclude(
            province_id__in=LaoProgress.objects.filter(year=year).values("province_id")
        ).delete()


def recount(year: AcademicYear) -> Recount:
    """What the rows of `year` should be, computed from the reports without writing anything.

    LAO counts are computed from the institution rows as they would be after a refresh.
    """
    institutions = compute_institutions(year, Institution.objects.all())
    return Recount(
        institutions=institutions,
        laos=_recount_laos(year, institutions),
        provinces=_recount_provinces(year),
    )


def _recount_laos(year: AcademicYear, institutions: list[InstitutionProgress]) -> list[LaoProgress]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNT_FIELDS, 0))
    for row in institutions:
        c = counts[row.lao_id]
        sent = row.submitted_at is not None
        accepted = row.sar_state == SarState.ACCEPTED
        flags = {
            "institutions": True,
            "submitted": sent,
            "submitted_late": sent and row.submitted_late,
            "awaiting_review": row.sar_state == SarState.SUBMITTED,
            "returned": row.sar_state == SarState.RETURNED,
            "accepted": accepted,
            "accepted_late": accepted and row.accepted_late,
            "delivered": row.delivered_at is not None,
            "received": row.received_at is not None,
        }
        for name, flag in flags.items():
            c[name] += int(flag)
            if row.in_target_group and f"t_{name}" in c:
                c[f"t_{name}"] += int(flag)
    levels = _levels(year, None)
    hops = _lao_hops(year, None)
    return [
        LaoProgress(
            year=year,
            lao_id=lao_id,
            province_id=province_id,
            levels=levels.get(lao_id, {}),
            **counts.get(lao_id, dict.fromkeys(COUNT_FIELDS, 0)),
            **hops.get(lao_id, {}),
        )
        for lao_id, province_id in LocalAuthority.objects.filter(is_active=True)
        .values_list("pk", "province_id")
        .order_by("pk")
    ]


def _recount_provinces(year: AcademicYear) -> list[ProvinceProgress]:
    levels = _levels(year, None)
    totals: dict[str, dict[str, Any]] = {}
    for lao_id, province_id in LocalAuthority.objects.filter(is_active=True).values_list(
        "pk", "province_id"
    ):
        add_levels(totals.setdefault(province_id, {}), levels.get(lao_id, {}))
    return [
        ProvinceProgress(year=year, province_id=code, levels=tally)
        for code, tally in sorted(totals.items())
    ]


def differences(year: AcademicYear) -> list[str]:
    """Lines describing every stored row that differs from a recount (empty when all agree)."""
    expected = recount(year)
    lines: list[str] = []
    for label, model, key, fields, rows in (
        (
            "institution",
            InstitutionProgress,
            "institution_id",
            INSTITUTION_FIELDS[:-1],
            expected.institutions,
        ),
        ("lao", LaoProgress, "lao_id", LAO_FIELDS[:-1], expected.laos),
        ("province", ProvinceProgress, "province_id", ["levels"], expected.provinces),
    ):
        stored = {getattr(row, key): row for row in model.objects.filter(year=year)}
        for row in rows:
            have = stored.pop(getattr(row, key), None)
            if have is None:
                lines.append(f"{label} {getattr(row, key)}: missing")
                continue
            for field in fields:
                attname = model._meta.get_field(field).attname
                if getattr(have, attname) != getattr(row, attname):
                    lines.append(f"{label} {getattr(row, key)}: {field} differs")
        lines.extend(f"{label} {pk}: should not exist" for pk in stored)
    return lines


def follow_hops(event: events.HopsMoved) -> None:
    """The rows of what moved, recomputed in the announcer's transaction."""
    refresh(year=event.year, institution_ids=event.institution_ids, lao_ids=event.lao_ids)
