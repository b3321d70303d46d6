"""The Ministry of Education's standard sets of B.E. 2561 (2018), shipped with the code.

`data/sets.json` describes each set and the five quality levels; each set's standards and items
are a CSV in `data/` with the columns of the upload file (standard number and names, item group,
item number and names). `load` is called by a data migration and by tests that empty the database.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
SETS_JSON = DATA / "sets.json"


def read_sets() -> dict[str, Any]:
    with SETS_JSON.open(encoding="utf-8") as handle:
        return json.load(handle)


def read_items(filename: str) -> list[dict[str, str]]:
    with (DATA / filename).open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def default_quality_levels() -> list[dict[str, Any]]:
    """The five levels of 2561, lowest first: what a new set gets unless DLA names others."""
    return read_sets()["quality_levels"]


def load(apps) -> None:
    """Create the 2561 sets, their quality levels, standards and items that are missing.

    Idempotent, and never changes a row that exists: a set that reports use is never edited.
    """
    StandardSet = apps.get_model("standards", "StandardSet")
    QualityLevel = apps.get_model("standards", "QualityLevel")
    Standard = apps.get_model("standards", "Standard")
    StandardItem = apps.get_model("standards", "StandardItem")
    data = read_sets()
    for spec in data["sets"]:
        standard_set, _created = StandardSet.objects.get_or_create(
            code=spec["code"],
            defaults={
                key: spec[key]
                for key in (
                    "education_level",
                    "version",
                    "effective_from_year",
                    "name_th",
                    "name_en",
                    "source_th",
                )
            },
        )
        for level in data["quality_levels"]:
            QualityLevel.objects.get_or_create(
                standard_set=standard_set,
                rank=level["rank"],
                defaults={"name_th": level["name_th"], "name_en": level["name_en"]},
            )
        standards: dict[str, Any] = {}
        item_order: dict[str, int] = {}
        for row in read_items(spec["items"]):
            number = row["standard_number"]
            if number not in standards:
                standards[number], _created = Standard.objects.get_or_create(
                    standard_set=standard_set,
                    number=number,
                    defaults={
                        "name_th": row["standard_name_th"],
                        "name_en": row["standard_name_en"],
                        "order": len(standards) + 1,
                    },
                )
            item_order[number] = item_order.get(number, 0) + 1
            StandardItem.objects.get_or_create(
                standard=standards[number],
                number=row["item_number"],
                defaults={
                    "group_th": row["group_th"],
                    "group_en": row["group_en"],
                    "name_th": row["item_name_th"],
                    "name_en": row["item_name_en"],
                    "order": item_order[number],
                },
            )
