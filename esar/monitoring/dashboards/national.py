"""The national dashboard: every province of the year set against the year before, and the
quality levels reached across the country."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, Q, Sum
from django.utils import timezone

from esar.cycles.models import AcademicYear
from esar.monitoring import status
from esar.monitoring.counting import add_levels
from esar.monitoring.dashboards.counts import (
    HOP_LABELS,
    HOPS,
    SUMMED,
    Counts,
    add_values,
    counts_from,
    late_deliveries,
    percent,
)
from esar.monitoring.dashboards.levels import LevelTable, level_tables, levels_as_dict
from esar.monitoring.models import InstitutionProgress, LaoProgress, ProvinceProgress
from esar.organizations.models import Province


@dataclass
class ProvinceRow:
    province: Province
    counts: Counts


@dataclass
class YearFigures:
    year: AcademicYear
    rows: list[ProvinceRow]
    totals: Counts
    levels: dict[str, Any]


@dataclass
class NationalDashboard:
    year: AcademicYear
    today: dt.date
    current: YearFigures
    previous: YearFigures | None
    standards: list[LevelTable]
    items: list[LevelTable]
    # The previous year as it stood on the same date one year earlier (hop -> percent done), so
    # that a year in progress is not set against a finished one.
    previous_as_of: dt.date | None = None
    previous_at_same_point: dict[str, float | None] = field(default_factory=dict)

    @property
    def rows(self) -> list[ProvinceRow]:
        return self.current.rows

    @property
    def totals(self) -> Counts:
        return self.current.totals

    def changes(self) -> list[dict[str, Any]]:
        """Per hop: the share done this year, the previous year's share on the same date one
        year earlier (`previous_as_of`), and the change in points."""
        out = []
        for hop, label in HOP_LABELS.items():
            now = self.totals.hops[hop].percent
            before = self.previous_at_same_point.get(hop)
            out.append(
                {
                    "hop": hop,
                    "label": label,
                    "percent": now,
                    "previous_percent": before,
                    "change": round(now - before, 1)
                    if now is not None and before is not None
                    else None,
                }
            )
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year.year,
            "previous_year": self.previous.year.year if self.previous else None,
            "today": self.today,
            "previous_as_of": self.previous_as_of,
            "totals": self.totals.as_dict(),
            "previous_totals": self.previous.totals.as_dict() if self.previous else None,
            "changes": [
                {key: value for key, value in change.items() if key != "label"}
                for change in self.changes()
            ],
            "provinces": [
                {
                    "province": row.province.code,
                    "province_name": row.province.name_th,
                    "counts": row.counts.as_dict(),
                }
                for row in self.rows
            ],
            "standards": levels_as_dict(self.standards),
            "items": levels_as_dict(self.items),
        }


LAO_TALLIES = {
    "laos": Count("pk"),
    "lao_synthesis": Count("pk", filter=Q(synthesis_completed_at__isnull=False)),
    "lao_synthesis_late": Count(
        "pk", filter=Q(synthesis_completed_at__isnull=False, synthesis_late=True)
    ),
    "lao_delivered": Count("pk", filter=Q(delivered_at__isnull=False)),
    "lao_delivered_late": Count("pk", filter=Q(delivered_at__isnull=False, delivered_late=True)),
    "lao_received": Count("pk", filter=Q(received_at__isnull=False)),
}


def _year_figures(year: AcademicYear, provinces: dict[str, Province], on: dt.date) -> YearFigures:
    """Per province (one grouped query over the LAO rows, one over late deliveries, one over
    the 77 province rows) and the national totals."""
    sums = {f"s_{name}": Sum(name) for name in SUMMED}
    grouped = (
        LaoProgress.objects.filter(year=year)
        .values("province_id")
        .annotate(**sums, **{f"s_{name}": agg for name, agg in LAO_TALLIES.items()})
        .order_by("province_id")
    )
    late = late_deliveries(year, "province_id")
    rows: list[ProvinceRow] = []
    national: dict[str, int] = {}
    # Rows of "province_id" and the sums named above at run time, which the stubs cannot follow.
    for group in cast("Iterable[dict[str, Any]]", grouped):
        values = {
            name[2:]: int(value or 0) for name, value in group.items() if name != "province_id"
        }
        values.update(late.get(group["province_id"], {}))
        add_values(national, values)
        rows.append(
            ProvinceRow(
                province=provinces[group["province_id"]],
                counts=counts_from(year, values, on, laos=values["laos"]),
            )
        )
    rows.sort(key=lambda row: row.province.name_th)
    levels: dict[str, Any] = {}
    for tally in ProvinceProgress.objects.filter(year=year).values_list("levels", flat=True):
        add_levels(levels, tally or {})
    return YearFigures(
        year=year,
        rows=rows,
        totals=counts_from(year, national, on, laos=national.get("laos", 0)),
        levels=levels,
    )


def same_day_a_year_earlier(on: dt.date) -> dt.date:
    """The comparable day of the previous year (29 February becomes the 28th)."""
    try:
        return on.replace(year=on.year - 1)
    except ValueError:
        return on.replace(year=on.year - 1, day=28)


def shares_done_on(year: AcademicYear, day: dt.date) -> dict[str, float | None]:
    """Per hop, the share of the year's institutions that had done it by the end of `day`
    (Thai time), from the hop timestamps of the institutions' progress rows. One query."""
    end = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_default_timezone()
    )
    tallies = InstitutionProgress.objects.filter(year=year).aggregate(
        institutions=Count("pk"),
        **{hop: Count("pk", filter=Q(**{f"{hop}_at__lt": end})) for hop in HOPS},
    )
    total = tallies["institutions"]
    return {hop: percent(tallies[hop], total) for hop in HOPS}


def national_dashboard(
    year: AcademicYear, on: dt.date | None = None, *, previous: AcademicYear | None = None
) -> NationalDashboard:
    """Every province of the year and of the year before, with the level distributions.

    `previous` defaults to the academic year numbered year - 1 (none if it does not exist)."""
    on = on or status.today()
    provinces = {p.code: p for p in Province.objects.all()}
    if previous is None:
        previous = AcademicYear.objects.filter(year=year.year - 1).first()
    current = _year_figures(year, provinces, on)
    before = _year_figures(previous, provinces, on) if previous else None
    before_levels = before.levels if before else None
    as_of = same_day_a_year_earlier(on) if previous else None
    return NationalDashboard(
        previous_as_of=as_of,
        previous_at_same_point=shares_done_on(previous, as_of) if previous and as_of else {},
        year=year,
        today=on,
        current=current,
        previous=before,
        standards=level_tables(
            current.levels.get("standards", {}),
            before_levels.get("standards", {}) if before_levels is not None else None,
            "standards",
        ),
        items=level_tables(
            current.levels.get("items", {}),
            before_levels.get("items", {}) if before_levels is not None else None,
            "items",
        ),
    )
