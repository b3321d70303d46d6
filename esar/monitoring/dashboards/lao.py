"""An LAO's page: its own hops and each of its institutions' hops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from esar.cycles.models import AcademicYear, Hop
from esar.monitoring import status
from esar.monitoring.dashboards.counts import (
    HOP_LABELS,
    LAO_HOP_LABELS,
    NOT_RECEIVED,
    RECEIVED,
    STATE_LABELS,
    Counts,
    counts_from,
    lao_states,
    lao_values,
)
from esar.monitoring.models import InstitutionProgress, LaoProgress
from esar.organizations.models import LocalAuthority


@dataclass
class InstitutionRow:
    progress: InstitutionProgress
    states: dict[str, str]

    @property
    def institution(self) -> Any:
        return self.progress.institution

    @property
    def hop_list(self) -> list[tuple[str, Any, str, Any, dt.datetime | None]]:
        """(hop, label, state, state label, time) for templates."""
        return [
            (
                hop,
                label,
                self.states[hop],
                STATE_LABELS[self.states[hop]],
                getattr(self.progress, f"{hop}_at"),
            )
            for hop, label in HOP_LABELS.items()
        ]


def institution_states(year: AcademicYear, row: InstitutionProgress, on=None) -> dict[str, str]:
    return {
        "submitted": status.hop_state(
            row.submitted_at, row.submitted_late, year.due(Hop.SAR_SUBMISSION), on
        ).value,
        "accepted": status.hop_state(
            row.accepted_at, row.accepted_late, year.due(Hop.LAO_REVIEW), on
        ).value,
        "delivered": status.hop_state(
            row.delivered_at, row.delivered_late, year.due(Hop.ESAR_DELIVERY), on
        ).value,
        "received": RECEIVED if row.received_at else NOT_RECEIVED,
    }


def institution_rows(
    year: AcademicYear, rows: Iterable[InstitutionProgress], on=None
) -> list[InstitutionRow]:
    on = on or status.today()
    return [InstitutionRow(row, institution_states(year, row, on)) for row in rows]


@dataclass
class LaoPage:
    lao: LocalAuthority
    year: AcademicYear
    today: dt.date
    progress: LaoProgress | None
    counts: Counts | None
    states: dict[str, str]
    institutions: list[InstitutionRow]

    @property
    def own(self) -> list[tuple[str, Any, str, Any, dt.datetime | None]]:
        if self.progress is None:
            return []
        times = {
            "synthesis": self.progress.synthesis_completed_at,
            "delivered": self.progress.delivered_at,
            "received": self.progress.received_at,
        }
        return [
            (hop, label, self.states[hop], STATE_LABELS[self.states[hop]], times[hop])
            for hop, label in LAO_HOP_LABELS.items()
        ]


def lao_page(lao: LocalAuthority, year: AcademicYear, on: dt.date | None = None) -> LaoPage:
    on = on or status.today()
    progress_row = LaoProgress.objects.filter(year=year, lao=lao).first()
    rows = InstitutionProgress.objects.filter(year=year, lao=lao).select_related("institution")
    rows = rows.order_by("-in_target_group", "institution__name_th", "institution__code")
    institutions = institution_rows(year, rows, on)
    counts = states = None
    if progress_row is not None:
        late = {"delivered_late": 0, "t_delivered_late": 0}
        for row in institutions:
            if row.progress.delivered_at and row.progress.delivered_late:
                late["delivered_late"] += 1
                late["t_delivered_late"] += int(row.progress.in_target_group)
        counts = counts_from(year, lao_values(progress_row, late), on)
        states = lao_states(year, progress_row, on)
    return LaoPage(
        lao=lao,
        year=year,
        today=on,
        progress=progress_row,
        counts=counts,
        states=states or {},
        institutions=institutions,
    )
