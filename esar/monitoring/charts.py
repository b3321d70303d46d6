"""The dashboards' SVG charts, drawn with the synthesis' stacked bars (server side, no script)."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from esar.monitoring.dashboards.counts import HOP_LABELS, Counts
from esar.monitoring.dashboards.levels import LevelTable
from esar.synthesis.charts import Row, Segment, stacked_bars

# Colours by the synthesis' rank scale: green on time, yellow late, red overdue, grey pending.
ON_TIME, LATE, OVERDUE, PENDING = 5, 3, 1, 0
# Drawn at 17 px (numbers 16) for a 460 px wide half column (the charts sit beside a table):
# 16 px in the narrowest half column, 12 px on a phone, never bigger than drawn.
CHART = {"width": 460, "font_size": 17, "label_width": 180}


def progress_chart(counts: Counts, *, title: str) -> SafeString:
    """One bar per hop: on time, late, overdue and not yet due among all institutions."""
    rows = []
    for hop, label in HOP_LABELS.items():
        count = counts.hops[hop]
        done_label = _("On time") if count.has_deadline else _("Received")
        rows.append(
            Row(
                str(label),
                [
                    Segment(ON_TIME, done_label, count.on_time),
                    Segment(LATE, _("Late"), count.late),
                    Segment(OVERDUE, _("Overdue"), count.overdue),
                    Segment(PENDING, _("Not yet done"), count.pending),
                ],
            )
        )
    return stacked_bars(rows, title=title, **CHART)


def level_charts(tables: list[LevelTable], *, title: str) -> list[tuple[str, SafeString]]:
    """One chart per standard set: a bar per standard split by quality level."""
    charts = []
    for table in tables:
        names = dict(table.levels)
        rows = [
            Row(
                _("Standard %(number)s") % {"number": row.number},
                [Segment(cell.rank, str(names[cell.rank]), cell.count) for cell in row.cells],
            )
            for row in table.rows
        ]
        charts.append(
            (table.set_name, stacked_bars(rows, title=f"{title}: {table.set_name}", **CHART))
        )
    return charts
