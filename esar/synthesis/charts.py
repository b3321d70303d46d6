"""Server-side SVG charts: the same markup in the synthesis page and in its PDF.

A chart is a list of rows (a standard or an item), each a horizontal bar split by quality level,
with the counts written on the segments and a legend underneath. Text is escaped; no script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

# Rank 1 (lowest) to 5 (highest): red to green, distinguishable in grey print by lightness.
COLOURS = {1: "#c0392b", 2: "#e67e22", 3: "#f1c40f", 4: "#7fb069", 5: "#2e7d32"}
OTHER = "#7f8c8d"


@dataclass(frozen=True)
class Segment:
    rank: int
    label: str
    count: int


@dataclass(frozen=True)
class Row:
    label: str
    segments: Sequence[Segment]

    @property
    def total(self) -> int:
        return sum(segment.count for segment in self.segments)


def colour(rank: int) -> str:
    return COLOURS.get(rank, OTHER)


def stacked_bars(rows: Sequence[Row], *, title: str, width: int = 640) -> SafeString:
    """One bar per row, 100 % wide, split by quality level; a legend of the levels used."""
    label_width, bar_height, gap, top = 120, 18, 6, 4
    bar_width = width - label_width - 40
    legend: dict[int, str] = {}
    parts: list[str] = []
    y = top
    for row in rows:
        total = row.total
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" '
            f'font-size="11">{escape(row.label)}</text>'
        )
        x = float(label_width)
        if total == 0:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{bar_width}" height="{bar_height}" '
                f'fill="#ecf0f1"/>'
            )
        for segment in row.segments:
            if not segment.count:
                continue
            legend.setdefault(segment.rank, segment.label)
            w = bar_width * segment.count / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                f'fill="{colour(segment.rank)}"><title>{escape(segment.label)}: '
                f"{segment.count}</title></rect>"
            )
            if w >= 16:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 13}" text-anchor="middle" '
                    f'font-size="10" fill="#fff">{segment.count}</text>'
                )
            x += w
        parts.append(
            f'<text x="{label_width + bar_width + 4}" y="{y + 13}" font-size="10">{total}</text>'
        )
        y += bar_height + gap
    y += 4
    x = float(label_width)
    for rank in sorted(legend):
        parts.append(
            f'<rect x="{x:.0f}" y="{y}" width="10" height="10" fill="{colour(rank)}"/>'
            f'<text x="{x + 14:.0f}" y="{y + 9}" font-size="10">{escape(legend[rank])}</text>'
        )
        x += 24 + 7 * len(legend[rank])
    height = y + 16
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" class="esar-chart" '
        f'font-family="Sarabun, sans-serif"><title>{escape(title)}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped
