"""The quality levels reached per standard or item, as tables per standard set (with the previous
year's percentages where the national dashboard compares)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from esar.monitoring.dashboards.counts import percent
from esar.standards.models import QualityLevel, Standard, StandardItem


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
    objects: list[Standard] | list[StandardItem]  # the rows' standards, or their items
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
                percent=percent(counts.get(rank, 0), total),
                previous_percent=percent(before.get(rank, 0), previous_total)
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
