"""The figures of the province and national dashboards, read from the progress rows only.

Every page, Excel export and API answer about progress is built here, from `LaoProgress`,
`ProvinceProgress` and `InstitutionProgress` (plus registry names and the standards' metadata),
never by counting reports, so they all show the same numbers. Whether a hop is on time, late,
overdue or not yet due is decided by `esar.monitoring.status` only.

Every function costs a fixed number of queries whatever the number of LAOs or institutions.

Who reads what (anything else is a 404):
- the national dashboard: DLA's administrators and analysts;
- a province's dashboard: DLA, and the supervisor of that province;
- an LAO's page: DLA, the supervisor of its province, and the LAO's own officers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.accounts.permissions import Perm, has_perm, role_of
from esar.accounts.roles import Role
from esar.accounts.scoping import Level, get_visible_or_404, scope_for, visible
from esar.cycles.models import AcademicYear, Hop
from esar.monitoring import status
from esar.monitoring.models import InstitutionProgress, LaoProgress, ProvinceProgress
from esar.organizations.models import LocalAuthority, Province
from esar.standards.models import QualityLevel, Standard, StandardItem

NATIONAL_ROLES = frozenset({Role.DLA_ADMIN, Role.DLA_ANALYST})
PROVINCE_ROLES = NATIONAL_ROLES | {Role.PROVINCE_SUPERVISOR}
LAO_ROLES = PROVINCE_ROLES | {Role.LAO_OFFICER}

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
SORT_RULE = _(
    "LAOs needing a call come first: the most overdue first (hops of its institutions past their "
    "due day and not done, plus its own overdue synthesis or delivery), then the lowest share of "
    "hops done, then by name."
)


# --- Access --------------------------------------------------------------------------------------


def can_view_national(user: Any) -> bool:
    return role_of(user) in NATIONAL_ROLES


def can_view_provinces(user: Any) -> bool:
    return role_of(user) in PROVINCE_ROLES


def can_view_laos(user: Any) -> bool:
    # Not the LAO's e-SAR delivery account: an LAO officer role without the right to read SARs.
    return role_of(user) in LAO_ROLES and has_perm(user, Perm.SAR_VIEW)


def supervised_province(user: Any) -> str | None:
    """The province code of a province supervisor (None for everyone else)."""
    scope = scope_for(user)
    if role_of(user) is Role.PROVINCE_SUPERVISOR and scope.level is Level.PROVINCE:
        return str(scope.key)
    return None


def province_or_404(user: Any, code: str) -> Province:
    if not can_view_provinces(user):
        raise Http404
    return get_visible_or_404(user, Province.objects.all(), pk=code)


def lao_or_404(user: Any, code: str) -> LocalAuthority:
    if not can_view_laos(user):
        raise Http404
    return get_visible_or_404(user, LocalAuthority.objects.select_related("province"), code=code)


def years() -> list[AcademicYear]:
    return list(AcademicYear.objects.order_by("-year"))


def pick_year(choices: list[AcademicYear], wanted: Any = None) -> AcademicYear:
    """The asked year (404 if there is no such year), else the current one, else the latest."""
    if wanted not in (None, ""):
        try:
            number = int(wanted)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        for year in choices:
            if year.year == number:
                return year
        raise Http404
    today = status.today()
    started = [year for year in choices if year.semester1_start <= today]
    chosen = max(started, key=lambda year: year.semester1_start, default=None)
    if chosen is None and choices:
        chosen = choices[0]
    if chosen is None:
        raise Http404
    return chosen


# --- Counts --------------------------------------------------------------------------------------


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


def _counts(
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


def _delivered_late(year: AcademicYear, by: str, **filters: Any) -> dict[Any, dict[str, int]]:
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


# --- Rows ----------------------------------------------------------------------------------------


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


def _lao_values(row: LaoProgress, late: dict[str, int]) -> dict[str, int]:
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


def sort_key(row: LaoRow) -> tuple:
    return (-row.overdue, row.counts.share_done, row.lao.name_th, row.lao.code)


def _add(total: dict[str, int], values: dict[str, int]) -> None:
    for name, value in values.items():
        total[name] = total.get(name, 0) + value


# --- Levels --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCell:
    rank: int
    count: int
    percent: float | None
    previous_percent: float | None = None

    @property
    def change(self) -> float | None:
        if self.percent is None or self.previous_percent is None:
            return None
        return round(self.percent - self.previous_percent, 1)


@dataclass(frozen=True)
class LevelRow:
    key: int
    number: str
    label: str
    total: int
    cells: list[LevelCell]
    previous_total: int | None = None


@dataclass(frozen=True)
class LevelTable:
    """Rows (standards or items) of one standard set, with that set's quality levels."""

    set_name: str
    levels: list[tuple[int, str]]
    rows: list[LevelRow]


def _percent(n: int, total: int) -> float | None:
    return round(100 * n / total, 1) if total else None


def level_tables(
    tally: dict[str, dict[str, int]],
    previous: dict[str, dict[str, int]] | None,
    kind: str,
) -> list[LevelTable]:
    """Tables of the level distribution of `tally` ({id: {rank: n}}) per standard set; with the
    previous year's percentages when `previous` is given. Three queries at most."""
    ids = {int(key) for key in tally} | {int(key) for key in previous or {}}
    if not ids:
        return []
    if kind == "standards":
        objects = list(
            Standard.objects.filter(pk__in=ids)
            .select_related("standard_set")
            .order_by("standard_set__education_level", "standard_set_id", "order")
        )
        set_of = {obj.pk: obj.standard_set for obj in objects}
    else:
        objects = list(
            StandardItem.objects.filter(pk__in=ids)
            .select_related("standard__standard_set")
            .order_by(
                "standard__standard_set__education_level",
                "standard__standard_set_id",
                "standard__order",
                "order",
            )
        )
        set_of = {obj.pk: obj.standard.standard_set for obj in objects}
    sets = {s.pk: s for s in set_of.values()}
    names: dict[int, list[tuple[int, str]]] = {pk: [] for pk in sets}
    for level in QualityLevel.objects.filter(standard_set__in=sets).order_by("rank"):
        names[level.standard_set_id].append((level.rank, level.name))
    tables: dict[int, LevelTable] = {}
    for obj in objects:
        standard_set = set_of[obj.pk]
        table = tables.setdefault(
            standard_set.pk, LevelTable(standard_set.name, names[standard_set.pk], [])
        )
        counts = {int(rank): n for rank, n in tally.get(str(obj.pk), {}).items()}
        total = sum(counts.values())
        before = None
        previous_total = None
        if previous is not None:
            before = {int(rank): n for rank, n in previous.get(str(obj.pk), {}).items()}
            previous_total = sum(before.values())
        cells = [
            LevelCell(
                rank=rank,
                count=counts.get(rank, 0),
                percent=_percent(counts.get(rank, 0), total),
                previous_percent=_percent(before.get(rank, 0), previous_total)
                if before is not None and previous_total
                else None,
            )
            for rank, _name in table.levels
        ]
        table.rows.append(
            LevelRow(
                key=obj.pk,
                number=obj.number,
                label=obj.name,
                total=total,
                cells=cells,
                previous_total=previous_total,
            )
        )
    return list(tables.values())


def levels_as_dict(tables: list[LevelTable]) -> list[dict[str, Any]]:
    return [
        {
            "standard_set": table.set_name,
            "levels": [{"rank": rank, "name": name} for rank, name in table.levels],
            "rows": [
                {
                    "id": row.key,
                    "number": row.number,
                    "name": row.label,
                    "total": row.total,
                    "previous_total": row.previous_total,
                    "cells": [
                        {
                            "rank": cell.rank,
                            "count": cell.count,
                            "percent": cell.percent,
                            "previous_percent": cell.previous_percent,
                            "change": cell.change,
                        }
                        for cell in row.cells
                    ],
                }
                for row in table.rows
            ],
        }
        for table in tables
    ]


# --- Province dashboard --------------------------------------------------------------------------


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
    late = _delivered_late(year, "lao_id", province=province)
    rows: list[LaoRow] = []
    summed: dict[str, int] = {}
    refreshed = None
    for progress_row in progress_rows:
        values = _lao_values(progress_row, late.get(progress_row.lao_id, {}))
        _add(summed, values)
        rows.append(
            LaoRow(
                lao=progress_row.lao,
                counts=_counts(year, values, on),
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
        totals=_counts(year, summed, on, laos=len(rows)),
        standards=level_tables(tally.get("standards", {}), None, "standards"),
        refreshed_at=refreshed,
    )


# --- LAO page ------------------------------------------------------------------------------------


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


def can_view_own_institution(user: Any) -> bool:
    """A school's officer follows its own institution's hops (its row, nobody else's)."""
    return role_of(user) is Role.SCHOOL_OFFICER and scope_for(user).level is Level.INSTITUTION


def institution_progress(user: Any, year: AcademicYear) -> QuerySet[InstitutionProgress]:
    """The institution rows of the year the user may read: those of their part of the hierarchy,
    the school officer's own row, none for other roles."""
    rows = InstitutionProgress.objects.filter(year=year).select_related(
        "institution", "lao", "province"
    )
    if not (can_view_laos(user) or can_view_own_institution(user)):
        return rows.none()
    return visible(user, rows).order_by("lao__code", "institution__name_th", "institution__code")


def lao_progress(user: Any, year: AcademicYear) -> QuerySet[LaoProgress]:
    rows = LaoProgress.objects.filter(year=year).select_related("lao", "province")
    if not can_view_laos(user):
        return rows.none()
    return visible(user, rows).order_by("province_id", "lao__code")


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
        counts = _counts(year, _lao_values(progress_row, late), on)
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


# --- National dashboard --------------------------------------------------------------------------


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
    late = _delivered_late(year, "province_id")
    rows: list[ProvinceRow] = []
    national: dict[str, int] = {}
    for group in grouped:
        values = {
            name[2:]: int(value or 0) for name, value in group.items() if name != "province_id"
        }
        values.update(late.get(group["province_id"], {}))
        _add(national, values)
        rows.append(
            ProvinceRow(
                province=provinces[group["province_id"]],
                counts=_counts(year, values, on, laos=values["laos"]),
            )
        )
    rows.sort(key=lambda row: row.province.name_th)
    levels: dict[str, Any] = {}
    for tally in ProvinceProgress.objects.filter(year=year).values_list("levels", flat=True):
        _add_levels(levels, tally or {})
    return YearFigures(
        year=year,
        rows=rows,
        totals=_counts(year, national, on, laos=national.get("laos", 0)),
        levels=levels,
    )


def _add_levels(total: dict[str, Any], levels: dict[str, Any]) -> None:
    for kind in ("items", "standards"):
        into = total.setdefault(kind, {})
        for key, ranks in levels.get(kind, {}).items():
            target = into.setdefault(key, {})
            for rank, n in ranks.items():
                target[rank] = target.get(rank, 0) + n


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
    return {hop: _percent(tallies[hop], total) for hop in HOPS}


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


STATE_LABELS = {
    **{state.value: label for state, label in status.HOP_STATE_LABELS.items()},
    RECEIVED: _("Received"),
    NOT_RECEIVED: _("Not yet"),
}
