"""Excel workbooks of the dashboards: the same figures as the pages (`dashboards`), Thai headers
through the catalogue, dates in the Buddhist era."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from esar.core import thaidate, xlsx
from esar.monitoring.dashboards.counts import HOP_LABELS, LAO_HOP_LABELS, STATE_LABELS, Counts
from esar.monitoring.dashboards.levels import LevelTable
from esar.monitoring.dashboards.national import NationalDashboard
from esar.monitoring.dashboards.province import ProvinceDashboard


def _hop_headers() -> list[str]:
    headers = [_("Institutions"), _("Target group")]
    for group in (_("all"), _("target group")):
        for hop, label in HOP_LABELS.items():
            if hop == "received":
                headers.append(f"{label} ({group}): {_('received')}")
                continue
            for part in (_("on time"), _("late"), _("overdue")):
                headers.append(f"{label} ({group}): {part}")
    return headers


def _hop_cells(counts: Counts) -> list[int]:
    cells = [counts.institutions, counts.target_institutions]
    for hops in (counts.hops, counts.target_hops):
        for hop in HOP_LABELS:
            count = hops[hop]
            if hop == "received":
                cells.append(count.done)
            else:
                cells.extend([count.on_time, count.late, count.overdue])
    return cells


def _write_row(sheet: Any, row: int, values: list[Any], fmt: Any = None) -> None:
    for col, value in enumerate(values):
        sheet.write(row, col, "" if value is None else value, fmt)


def _title(workbook: Any, sheet: Any, text: str, note: str) -> None:
    bold = workbook.add_format({"bold": True, "font_size": 13})
    sheet.write(0, 0, text, bold)
    sheet.write(1, 0, note)


def province_xlsx(dashboard: ProvinceDashboard) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, **xlsx.SAFE_TEXT})
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(_("LAOs"))
    _title(
        workbook,
        sheet,
        _("Progress of the LAOs of %(province)s, academic year %(year)s")
        % {"province": dashboard.province.name_th, "year": dashboard.year.year},
        _("As of %(date)s") % {"date": thaidate.format_date(dashboard.today, "long")},
    )
    headers = [_("LAO code"), _("Local authority"), *_hop_headers()]
    for label in LAO_HOP_LABELS.values():
        headers.extend([f"{_('LAO')}: {label}", f"{_('LAO')}: {label} ({_('date')})"])
    headers.append(_("Overdue"))
    _write_row(sheet, 3, headers, header)
    row_number = 4
    for row in dashboard.rows:
        lao_cells = []
        for hop in LAO_HOP_LABELS:
            lao_cells.append(str(STATE_LABELS[row.states[hop]]))
            lao_cells.append(thaidate.format_datetime(row.times[hop]))
        _write_row(
            sheet,
            row_number,
            [row.lao.code, row.lao.name_th, *_hop_cells(row.counts), *lao_cells, row.overdue],
        )
        row_number += 1
    totals = dashboard.totals
    lao_totals = []
    for hop in LAO_HOP_LABELS:
        lao_totals.extend([totals.lao_hops[hop].done, ""])
    _write_row(
        sheet,
        row_number,
        ["", _("Province total"), *_hop_cells(totals), *lao_totals, totals.overdue],
        bold,
    )
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, len(headers), 12)
    sheet.freeze_panes(4, 2)
    if dashboard.standards:
        _levels_sheet(workbook, _("Quality levels"), dashboard.standards, header, previous=False)
    workbook.close()
    return out.getvalue()


def _levels_sheet(
    workbook: Any,
    name: str,
    tables: list[LevelTable],
    header: Any,
    *,
    previous: bool,
    sheet: Any = None,
    start: int = 0,
) -> tuple[Any, int]:
    sheet = sheet or workbook.add_worksheet(name)
    row_number = start
    bold = workbook.add_format({"bold": True})
    for table in tables:
        sheet.write(row_number, 0, table.set_name, bold)
        row_number += 1
        headers = [pgettext("number of a standard", "Number"), _("Name"), _("Rated")]
        for _rank, level in table.levels:
            headers.extend([f"{level}", f"{level} (%)"])
            if previous:
                headers.extend(
                    [f"{level} (%) {_('previous year')}", f"{level}: {_('change (points)')}"]
                )
        _write_row(sheet, row_number, headers, header)
        row_number += 1
        for row in table.rows:
            cells: list[Any] = [row.number, row.label, row.total]
            for cell in row.cells:
                cells.extend([cell.count, cell.percent])
                if previous:
                    cells.extend([cell.previous_percent, cell.change])
            _write_row(sheet, row_number, cells)
            row_number += 1
        row_number += 1
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 48)
    return sheet, row_number


def national_xlsx(dashboard: NationalDashboard) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, **xlsx.SAFE_TEXT})
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(_("Provinces"))
    _title(
        workbook,
        sheet,
        _("Progress of every province, academic year %(year)s") % {"year": dashboard.year.year},
        _("As of %(date)s") % {"date": thaidate.format_date(dashboard.today, "long")},
    )
    headers = [_("Province code"), _("Province"), _("LAOs"), *_hop_headers()]
    for label in LAO_HOP_LABELS.values():
        headers.extend([f"{_('LAOs')}: {label}", f"{_('LAOs')}: {label} ({_('overdue')})"])
    _write_row(sheet, 3, headers, header)
    row_number = 4
    for row in dashboard.rows:
        counts = row.counts
        lao_cells = []
        for hop in LAO_HOP_LABELS:
            lao_cells.extend([counts.lao_hops[hop].done, counts.lao_hops[hop].overdue])
        _write_row(
            sheet,
            row_number,
            [row.province.code, row.province.name_th, counts.laos, *_hop_cells(counts), *lao_cells],
        )
        row_number += 1
    totals = dashboard.totals
    lao_cells = []
    for hop in LAO_HOP_LABELS:
        lao_cells.extend([totals.lao_hops[hop].done, totals.lao_hops[hop].overdue])
    _write_row(
        sheet,
        row_number,
        ["", _("National total"), totals.laos, *_hop_cells(totals), *lao_cells],
        bold,
    )
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 24)
    sheet.freeze_panes(4, 2)
    # The change from the previous year.
    compare = workbook.add_worksheet(_("Previous year"))
    previous_year = dashboard.previous.year.year if dashboard.previous else ""
    _write_row(
        compare,
        0,
        [
            _("Hop"),
            _("Done (%%) %(year)s") % {"year": dashboard.year.year},
            _("Done (%%) %(year)s") % {"year": previous_year},
            _("Change (points)"),
        ],
        header,
    )
    changes = dashboard.changes()
    for index, change in enumerate(changes, start=1):
        _write_row(
            compare,
            index,
            [
                str(change["label"]),
                change["percent"],
                change["previous_percent"],
                change["change"],
            ],
        )
    if dashboard.previous_as_of:
        note = _(
            "So that a year in progress is not set against a finished one, %(year)s is counted "
            "as it stood on %(day)s, the same day one year earlier."
        ) % {
            "year": previous_year,
            "day": thaidate.format_date(dashboard.previous_as_of, "long"),
        }
        _write_row(compare, len(changes) + 2, [note])
    compare.set_column(0, 0, 28)
    compare.set_column(1, 3, 16)
    levels, end = _levels_sheet(
        workbook, _("Quality levels"), dashboard.standards, header, previous=True
    )
    if dashboard.items:
        levels.write(end, 0, _("Items"), bold)
        _levels_sheet(
            workbook, "", dashboard.items, header, previous=True, sheet=levels, start=end + 1
        )
    workbook.close()
    return out.getvalue()
