"""A province's dashboard: its LAOs, those needing a call first, and their totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear
from esar.monitoring import status
from esar.monitoring.dashboards.counts import (
    LAO_HOP_LABELS,
    STATE_LABELS,
    Counts,
    add_values,
    counts_from,
    lao_states,
    lao_values,
    late_deliveries,
)
from esar.monitoring.dashboards.levels import LevelTable, level_tables, levels_as_dict
from esar.monitoring.models import LaoProgress, ProvinceProgress
from esar.organizations.models import LocalAuthority, Province

SORT_RULE = _(
    "LAOs needing a call come first: the most overdue first (hops of its institutions past their "
    "due day and not done, plus its own overdue synthesis or delivery), then the lowest share of "
    "hops done, then by name."
)


@dataclass
class LaoRow:
    lao: LocalAuthority
    counts: Counts
    states: dict[str, str]  # the LAO's own hops: HopState values (received: received/pending)
    times: dict[str, dt.datetime | None]

    @property
    def overdue(self) -> int:
        return self.counts.overdue

    @property
    def own(self) -> list[tuple[str, Any, str, Any, dt.datetime | None]]:
        """(hop, label, state, state label, time) of the LAO's own hops, for templates."""
        return [
            (hop, label, self.states[hop], STATE_LABELS[self.states[hop]], self.times[hop])
            for hop, label in LAO_HOP_LABELS.items()
        ]


def sort_key(row: LaoRow) -> tuple:
    return (-row.overdue, row.counts.share_done, row.lao.name_th, row.lao.code)


@dataclass
class ProvinceDashboard:
    province: Province
    year: AcademicYear
    today: dt.date
    rows: list[LaoRow]
    totals: Counts
    standards: list[LevelTable]
    refreshed_at: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "province": self.province.code,
            "province_name": self.province.name_th,
            "year": self.year.year,
            "today": self.today,
            "refreshed_at": self.refreshed_at,
            "totals": self.totals.as_dict(),
            "laos": [
                {
                    "lao": row.lao.code,
                    "lao_name": row.lao.name_th,
                    "counts": row.counts.as_dict(),
                    "states": row.states,
                    "times": row.times,
                }
                for row in self.rows
            ],
            "standards": levels_as_dict(self.standards),
        }


def province_dashboard(
    province: Province, year: AcademicYear, on: dt.date | None = None
) -> ProvinceDashboard:
    """One province's LAOs, sorted so that those needing a call come first, and their totals.

    Queries: the LAO rows (with their LAOs), institutions delivered late, the province row, and
    the standards' names (three): the same for 1 or 300 LAOs."""
    on = on or status.today()
    progress_rows = list(
        LaoProgress.objects.filter(year=year, province=province).select_related("lao")
    )
    late = late_deliveries(year, "lao_id", province=province)
    rows: list[LaoRow] = []
    summed: dict[str, int] = {}
    refreshed = None
    for progress_row in progress_rows:
        values = lao_values(progress_row, late.get(progress_row.lao_id, {}))
        add_values(summed, values)
        rows.append(
            LaoRow(
                lao=progress_row.lao,
                counts=counts_from(year, values, on),
                states=lao_states(year, progress_row, on),
                times={
                    "synthesis": progress_row.synthesis_completed_at,
                    "delivered": progress_row.delivered_at,
                    "received": progress_row.received_at,
                },
            )
        )
        refreshed = max(filter(None, [refreshed, progress_row.refreshed_at]), default=None)
    rows.sort(key=sort_key)
    province_row = ProvinceProgress.objects.filter(year=year, province=province).first()
    tally = (province_row.levels if province_row else {}) or {}
    return ProvinceDashboard(
        province=province,
        year=year,
        today=on,
        rows=rows,
        totals=counts_from(year, summed, on, laos=len(rows)),
        standards=level_tables(tally.get("standards", {}), None, "standards"),
        refreshed_at=refreshed,
    )
