"""The pages measured, each as one persona sees it, in the order the table prints them.

A path may name `{year}` (the year with one submitted SAR per institution) and `{province}`
(the province with most LAOs). Personas are resolved in the seeded database (see run.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # "anonymous", "dla", "province", "lao", "school"
    path: str
    api: bool = False
    # Shows the whole country on purpose (issue 14, item 5): may grow with the country.
    national: bool = False


CEILINGS = (
    Page("ceiling: hello (bare view)", "anonymous", "/_ceiling/hello"),
    Page("ceiling: detail (one row, template)", "anonymous", "/_ceiling/detail/{institution}"),
)

PAGES = (
    Page("home, DLA", "dla", "/"),
    Page("home, province", "province", "/"),
    Page("home, LAO", "lao", "/"),
    Page("home, school", "school", "/"),
    Page("national dashboard", "dla", "/monitoring/?year={year}", national=True),
    Page("province dashboard (largest)", "dla", "/monitoring/province/{province}/?year={year}"),
    Page("SAR list, whole country", "dla", "/sar/all/?year={year}"),
    Page("SAR list, largest province", "dla", "/sar/all/?year={year}&province={province}"),
    Page("review queue, LAO", "lao", "/sar/queue/"),
    Page("institution list, whole country", "dla", "/registry/institutions/"),
    Page("LAO list, largest province", "dla", "/registry/laos/?province={province}"),
    Page("API: SARs, 100 a page", "dla", "/api/v1/sars?page_size=100", api=True),
    Page(
        "API: national dashboard",
        "dla",
        "/api/v1/dashboards/national?year={year}",
        api=True,
        national=True,
    ),
    Page(
        "API: LAO progress, largest province",
        "dla",
        "/api/v1/progress/laos?year={year}&province={province}",
        api=True,
    ),
)
