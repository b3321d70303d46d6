"""The shared building blocks of the dashboards: the hops, their labels and states, and the counts
of a group of institutions and LAOs summed from the LAO progress rows.

Whether a hop is on time, late, overdue or not yet due is decided by `esar.monitoring.status`
only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear, Hop
from esar.monitoring import status
from esar.monitoring.models import InstitutionProgress, LaoProgress

# The institutions' hops, in order, and the deadline each is measured against (receipt by
# ONESQA has none: it is received or not yet).
HOPS: dict[str, Hop | None] = {
    "submitted": Hop.SAR_SUBMISSION,
    "accepted": Hop.LAO_REVIEW,
    "delivered": Hop.ESAR_DELIVERY,
    "received": None,
}
HOP_LABELS = {
    "submitted": _("Sent to the LAO"),
    "accepted": _("Accepted"),
    "delivered": _("Delivered to e-SAR"),
    "received": _("Received by ONESQA"),
}
# The LAO's own hops.
LAO_HOP_LABELS = {
    "synthesis": _("Synthesis complete"),
    "delivered": _("Delivered to e-SAR"),
    "received": _("Received by ONESQA"),
}
RECEIVED, NOT_RECEIVED = "received", "pending"
STATE_LABELS = {
    **{state.value: label for state, label in status.HOP_STATE_LABELS.items()},
    RECEIVED: _("Received"),
    NOT_RECEIVED: _("Not yet"),
}


@dataclass(frozen=True)
class HopCount:
    """Of `total` institutions (or LAOs), how many did the hop, late, and are overdue."""

    total: int
    done: int
    late: int
    overdue: int
    has_deadline: bool = True

    @property
    def on_time(self) -> int:
        return self.done - self.late

    @property
    def pending(self) -> int:
        return self.total - self.done - self.overdue

    @property
    def percent(self) -> float | None:
        return round(100 * self.done / self.total, 1) if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "done": self.done,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "pending": self.pending,
            "percent": self.percent,
        }


def hop_count(year: AcademicYear, hop: str, total: int, done: int, late: int, on=None) -> HopCount:
    deadline = HOPS.get(hop) if hop in HOPS else None
    if hop == "synthesis":
        deadline = Hop.LAO_SYNTHESIS
    if deadline is None:
        return HopCount(total, done, 0, 0, has_deadline=False)
    return HopCount(total, done, late, status.overdue_count(year, deadline, total, done, on))


@dataclass
class Counts:
    """The hops of a group of institutions (all, and the target group) and of their LAOs."""

    institutions: int
    hops: dict[str, HopCount]
    target_institutions: int
    target_hops: dict[str, HopCount]
    laos: int = 1
    lao_hops: dict[str, HopCount] = field(default_factory=dict)

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.hops.values()) + sum(
            c.overdue for c in self.lao_hops.values()
        )

    @property
    def share_done(self) -> float:
        total = sum(c.total for c in self.hops.values()) + sum(
            c.total for c in self.lao_hops.values()
        )
        done = sum(c.done for c in self.hops.values()) + sum(c.done for c in self.lao_hops.values())
        return done / total if total else 1.0

    @property
    def hop_list(self) -> list[tuple[str, Any, HopCount, HopCount]]:
        """(hop, label, all institutions, target group) in hop order, for templates."""
        return [
            (hop, label, self.hops[hop], self.target_hops[hop]) for hop, label in HOP_LABELS.items()
        ]

    @property
    def lao_hop_list(self) -> list[tuple[str, Any, HopCount]]:
        return [(hop, label, self.lao_hops[hop]) for hop, label in LAO_HOP_LABELS.items()]

    def as_dict(self) -> dict[str, Any]:
        return {
            "institutions": self.institutions,
            "target_institutions": self.target_institutions,
            "hops": {hop: count.as_dict() for hop, count in self.hops.items()},
            "target_hops": {hop: count.as_dict() for hop, count in self.target_hops.items()},
            "laos": self.laos,
            "lao_hops": {hop: count.as_dict() for hop, count in self.lao_hops.items()},
            "overdue": self.overdue,
        }


def counts_from(
    year: AcademicYear, values: dict[str, int], on: dt.date | None = None, *, laos: int = 1
) -> Counts:
    """Counts from the summed fields of LaoProgress rows (plus delivered_late/t_delivered_late
    and the LAO hop tallies lao_synthesis, lao_synthesis_late, lao_delivered, …)."""
    get = lambda name: int(values.get(name) or 0)  # noqa: E731
    hops, target = {}, {}
    for hop in HOPS:
        hops[hop] = hop_count(year, hop, get("institutions"), get(hop), get(f"{hop}_late"), on)
        target[hop] = hop_count(
            year, hop, get("t_institutions"), get(f"t_{hop}"), get(f"t_{hop}_late"), on
        )
    lao_hops = {
        hop: hop_count(year, hop, laos, get(f"lao_{hop}"), get(f"lao_{hop}_late"), on)
        for hop in LAO_HOP_LABELS
    }
    return Counts(
        institutions=get("institutions"),
        hops=hops,
        target_institutions=get("t_institutions"),
        target_hops=target,
        laos=laos,
        lao_hops=lao_hops,
    )


SUMMED = [
    "institutions",
    "submitted",
    "submitted_late",
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


def late_deliveries(year: AcademicYear, by: str, **filters: Any) -> dict[Any, dict[str, int]]:
    """Institutions delivered late, per `by` (lao_id or province_id): the LAO rows keep the
    delivered count but not how many of them were late, so it is read from the institution rows
    in one grouped query."""
    late = Q(delivered_at__isnull=False, delivered_late=True)
    rows = (
        InstitutionProgress.objects.filter(year=year, delivered_late=True, **filters)
        .values(by)
        # Named unlike the row's own fields, which they would shadow inside the filters.
        .annotate(
            n_late=Count("pk", filter=late),
            n_t_late=Count("pk", filter=late & Q(in_target_group=True)),
        )
        .order_by()
    )
    return {
        row[by]: {"delivered_late": row["n_late"], "t_delivered_late": row["n_t_late"]}
        for row in rows
    }


def lao_states(year: AcademicYear, row: LaoProgress, on=None) -> dict[str, str]:
    return {
        "synthesis": status.hop_state(
            row.synthesis_completed_at, row.synthesis_late, year.due(Hop.LAO_SYNTHESIS), on
        ).value,
        "delivered": status.hop_state(
            row.delivered_at, row.delivered_late, year.due(Hop.ESAR_DELIVERY), on
        ).value,
        "received": RECEIVED if row.received_at else NOT_RECEIVED,
    }


def lao_values(row: LaoProgress, late: dict[str, int]) -> dict[str, int]:
    values = {name: getattr(row, name) for name in SUMMED}
    values.update(late)
    values["lao_synthesis"] = int(row.synthesis_completed_at is not None)
    values["lao_synthesis_late"] = int(
        row.synthesis_completed_at is not None and row.synthesis_late
    )
    values["lao_delivered"] = int(row.delivered_at is not None)
    values["lao_delivered_late"] = int(row.delivered_at is not None and row.delivered_late)
    values["lao_received"] = int(row.received_at is not None)
    return values


def add_values(total: dict[str, int], values: dict[str, int]) -> None:
    for name, value in values.items():
        total[name] = total.get(name, 0) + value


def percent(n: int, total: int) -> float | None:
    return round(100 * n / total, 1) if total else None
