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


def stacked_bars(
    rows: Sequence[Row],
    *,
    title: str,
    width: int = 640,
    font_size: int = 11,
    label_width: int = 120,
) -> SafeString:
    """One bar per row, 100 % wide, split by quality level; a legend of the levels used.

    The drawing scales with its column: `width` is the width at which the texts are drawn at
    `font_size` px (the numbers and the legend one px smaller), and it is never drawn wider."""
    small = font_size - 1
    bar_height, gap, top = round(font_size * 18 / 11), round(font_size * 6 / 11), 4
    baseline = round(bar_height * 0.72)
    bar_width = width - label_width - round(font_size * 40 / 11)
    legend: dict[int, str] = {}
    parts: list[str] = []
    y = top
    for row in rows:
        total = row.total
        parts.append(
            f'<text x="{label_width - 6}" y="{y + baseline}" text-anchor="end" '
            f'font-size="{font_size}">{escape(row.label)}</text>'
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
            if w >= 1.6 * small * len(str(segment.count)):
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + baseline}" text-anchor="middle" '
                    f'font-size="{small}" fill="#fff">{segment.count}</text>'
                )
            x += w
        parts.append(
            f'<text x="{label_width + bar_width + 4}" y="{y + baseline}" '
            f'font-size="{small}">{total}</text>'
        )
        y += bar_height + gap
    y += 4
    x = float(label_width)
    box = small
    line_height = small + 6
    for rank in sorted(legend):
        text_width = 0.7 * small * len(legend[rank])
        if x > label_width and x + box + 4 + text_width > width:
            x = float(label_width)  # the legend wraps rather than leaving the drawing
            y += line_height
        parts.append(
            f'<rect x="{x:.0f}" y="{y}" width="{box}" height="{box}" fill="{colour(rank)}"/>'
            f'<text x="{x + box + 4:.0f}" y="{y + box - 1}" font-size="{small}">'
            f"{escape(legend[rank])}</text>"
        )
        x += box + 14 + text_width
    height = y + line_height + 6
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet" '
        f'class="esar-chart" '
        f'font-family="Sarabun, sans-serif"><title>{escape(title)}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped
