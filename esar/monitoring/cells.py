"""Table cells of the dashboards, written in Python rather than with template includes.

A province of 200 LAOs has some 2,000 cells; rendering each through `{% include %}` and
`{% translate %}` took most of a second, these functions a few milliseconds. Labels are
translated once per page and escaped; everything else written is a number or a fixed class.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from esar.core import thaidate
from esar.monitoring.dashboards.counts import Counts, HopCount

STATE_CLASSES = {
    "on_time": "text-bg-success",
    "received": "text-bg-success",
    "late": "text-bg-warning",
    "overdue": "text-bg-danger",
}


class Cells:
    """Writes cells with the labels of the active language, translated once."""

    def __init__(self) -> None:
        self.on_time = escape(_("On time"))
        self.late = escape(_("Late"))
        self.overdue = escape(_("Overdue"))
        self.received = escape(_("Received"))
        self.overdue_word = escape(_("overdue"))
        self.of_total = escape(_("of total"))

    def count(self, count: HopCount) -> str:
        if not count.has_deadline:
            return (
                f'<span title="{self.received}">{count.done}</span> '
                f'<span class="text-body-secondary">/ {count.total}</span>'
            )
        overdue_class = "fw-bold text-danger" if count.overdue else "text-body-secondary"
        return (
            f'<span class="text-success" title="{self.on_time}">{count.on_time}'
            f'<span class="visually-hidden"> {self.on_time}</span></span> · '
            f'<span class="text-warning-emphasis" title="{self.late}">{count.late}'
            f'<span class="visually-hidden"> {self.late}</span></span> · '
            f'<span class="{overdue_class}" title="{self.overdue}">{count.overdue}'
            f'<span class="visually-hidden"> {self.overdue}</span></span> '
            f'<span class="text-body-secondary" title="{self.of_total}">/ {count.total}</span>'
        )

    def hops(self, counts: Counts) -> SafeString:
        """One cell per hop: all institutions, then the target group on a second line."""
        parts = [
            f'<td class="small text-nowrap" data-hop="{hop}" data-done="{count.done}" '
            f'data-late="{count.late}" data-overdue="{count.overdue}">{self.count(count)}'
            f"<div>{self.count(target)}</div></td>"
            for hop, _label, count, target in counts.hop_list
        ]
        return mark_safe("".join(parts))  # noqa: S308 - numbers, fixed markup, escaped labels

    def lao_totals(self, counts: Counts) -> SafeString:
        parts = []
        for hop, _label, count in counts.lao_hop_list:
            overdue = (
                f' <span class="text-danger">({count.overdue} {self.overdue_word})</span>'
                if count.overdue
                else ""
            )
            parts.append(
                f'<td class="small" data-own="{hop}">{count.done} / {count.total}{overdue}</td>'
            )
        return mark_safe("".join(parts))  # noqa: S308 - numbers, fixed markup, escaped labels

    def state(self, state: str, label: Any, time: Any) -> str:
        badge = STATE_CLASSES.get(state, "text-bg-light border")
        when = (
            f'<div class="small text-body-secondary">{escape(thaidate.format_datetime(time))}</div>'
            if time
            else ""
        )
        return (
            f'<span class="badge {badge}" data-state="{escape(state)}">{escape(label)}</span>{when}'
        )

    def states(self, own: Iterable[tuple], attribute: str) -> SafeString:
        """One cell per hop from (hop, label, state, state label, time) tuples."""
        parts = [
            f'<td class="small" {attribute}="{hop}">{self.state(state, state_label, time)}</td>'
            for hop, _label, state, state_label, time in own
        ]
        return mark_safe("".join(parts))  # noqa: S308 - escaped labels and fixed markup
