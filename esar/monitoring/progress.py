"""Keep the progress rows: write them, check them against a recount, follow the services' events.

`refresh` is the only writer of progress rows. Services announce what moved (`HopsMoved`, see
`esar.core.events`) and `follow_hops` refreshes the institutions or LAOs they changed inside the
announcer's transaction (a handful of queries, whatever the size of the LAO); the
`refresh_progress` command and the rule-change jobs call `refresh_year` for a whole year
(set-based queries, no query per row). The rows' contents are computed from the reports by
`esar.monitoring.counting`. `recount` computes the same rows without writing, for checks and tests.

Concurrency: an LAO's row is locked (SELECT … FOR UPDATE) before its counts are recomputed, and a
province's row before its level tallies are, always in that order; a second officer acting in the
same LAO waits for the first and then reads what the first committed, so no count is lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.db.models import Field, Q, QuerySet

from esar.core import events
from esar.cycles.models import AcademicYear
from esar.monitoring.counting import (
    add_levels,
    compute_institutions,
    compute_laos,
    compute_provinces,
    lao_hops,
    lao_levels,
)
from esar.monitoring.models import InstitutionProgress, LaoProgress, ProvinceProgress, SarState
from esar.organizations.models import Institution, LocalAuthority

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


# --- Writing -----------------------------------------------------------------------------------


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


# --- Checking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recount:
    institutions: list[InstitutionProgress]
    laos: list[LaoProgress]
    provinces: list[ProvinceProgress]


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
    levels = lao_levels(year, None)
    hops = lao_hops(year, None)
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
    levels = lao_levels(year, None)
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
                # A concrete field of the row (get_field may also answer a relation, which has no
                # column of its own).
                attname = cast("Field[Any, Any]", model._meta.get_field(field)).attname
                if getattr(have, attname) != getattr(row, attname):
                    lines.append(f"{label} {getattr(row, key)}: {field} differs")
        lines.extend(f"{label} {pk}: should not exist" for pk in stored)
    return lines


# --- Following the services --------------------------------------------------------------------


def follow_hops(event: events.HopsMoved) -> None:
    """The rows of what moved, recomputed in the announcer's transaction."""
    refresh(year=event.year, institution_ids=event.institution_ids, lao_ids=event.lao_ids)
