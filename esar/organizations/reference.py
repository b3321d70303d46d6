"""Reference data shipped with the code: provinces (from shared/data/provinces.csv) and agencies."""

from __future__ import annotations

import csv
from pathlib import Path

PROVINCES_CSV = Path(__file__).resolve().parent / "data" / "provinces.csv"

# Names of the national agencies and the pattern of a provincial office's name are registry data.
AGENCIES = [
    {
        "code": "DLA",
        "name_th": "กรมส่งเสริมการปกครองท้องถิ่น",
        "name_en": "Department of Local Administration",
        "short_name_th": "สถ.",
    },
    {
        "code": "ONESQA",
        "name_th": "สำนักงานรับรองมาตรฐานและประเมินคุณภาพการศึกษา (องค์การมหาชน)",
        "name_en": "Office for National Education Standards and Quality Assessment",
        "short_name_th": "สมศ.",
    },
]
OFFICE_NAME_TH = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{province}"
OFFICE_NAME_EN = "{province} Provincial Office of Local Administration"
BANGKOK_CODE = "10"


def read_provinces() -> list[dict[str, str]]:
    with PROVINCES_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            {key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)
        ]


def load(apps) -> None:
    """Create or update provinces, provincial offices and agencies (idempotent)."""
    Province = apps.get_model("organizations", "Province")
    ProvincialOffice = apps.get_model("organizations", "ProvincialOffice")
    Agency = apps.get_model("organizations", "Agency")
    for row in read_provinces():
        province, _created = Province.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_th": row["name_th"],
                "name_en": row["name_en"],
                "region": row["region"],
            },
        )
        if row["code"] != BANGKOK_CODE:
            ProvincialOffice.objects.update_or_create(
                province=province,
                defaults={
                    "name_th": OFFICE_NAME_TH.format(province=row["name_th"]),
                    "name_en": OFFICE_NAME_EN.format(province=row["name_en"]),
                },
            )
    for agency in AGENCIES:
        Agency.objects.update_or_create(code=agency["code"], defaults=agency)
