"""Excel workbooks officials open: Sarabun, a title row, a frozen header row, numbers as numbers.

`workbook` writes in constant-memory mode (rows in order) and never turns typed text into a
formula, a link or a number; `SAFE_TEXT` gives the same guarantee to other workbooks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

import xlsxwriter
from django.utils.translation import gettext as _

# Typed text stays text: a name or summary starting with "=" must not become a formula.
SAFE_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

Cell = str | int | float | None
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def workbook(out: IO[bytes] | str) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(out, {"constant_memory": True, **SAFE_TEXT})


class Sheet:
    """A worksheet written top to bottom: a title row, a frozen header row, then data rows."""

    def __init__(
        self,
        book: xlsxwriter.Workbook,
        formats: dict[str, Any],
        name: str,
        title: str,
        columns: list[tuple[str, float]],
    ) -> None:
        self.sheet = book.add_worksheet(_SHEET_NAME_FORBIDDEN.sub(" ", name)[:31])
        self.formats = formats
        self.width = len(columns)
        for index, (_label, width) in enumerate(columns):
            self.sheet.set_column(index, index, width)
        self.sheet.set_row(0, 24)
        self.sheet.write_string(0, 0, title, formats["title"])
        self.sheet.set_row(1, None, formats["header"])
        for index, (label, _width) in enumerate(columns):
            self.sheet.write_string(1, index, label, formats["header"])
        self.sheet.freeze_panes(2, 0)
        self.row = 2

    def write(self, values: Iterable[Cell], style: str = "cell") -> None:
        fmt = self.formats[style]
        for column, value in enumerate(values):
            if value is None or value == "":
                self.sheet.write_blank(self.row, column, None, fmt)
            elif isinstance(value, bool):
                self.sheet.write_string(self.row, column, yes_no(value), fmt)
            elif isinstance(value, int | float):
                self.sheet.write_number(self.row, column, value, self.formats[f"{style}_number"])
            else:
                self.sheet.write_string(self.row, column, str(value), fmt)
        self.row += 1

    def note(self, text: str) -> None:
        self.sheet.write_string(self.row, 0, text, self.formats["note"])
        self.row += 1

    def filter(self, first_data_row: int = 2) -> None:
        if self.row > first_data_row:
            self.sheet.autofilter(1, 0, self.row - 1, self.width - 1)


def formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    base = {"font_name": "Sarabun", "font_size": 12, "valign": "top"}
    cell = {**base, "text_wrap": True, "border": 1, "border_color": "#999999"}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "header": book.add_format({**cell, "bold": True, "bg_color": "#E7E6E6"}),
        "cell": book.add_format(cell),
        "cell_number": book.add_format({**cell, "num_format": "#,##0"}),
        "bold": book.add_format({**cell, "bold": True}),
        "bold_number": book.add_format({**cell, "bold": True, "num_format": "#,##0"}),
        "note": book.add_format({**base, "italic": True, "font_color": "#555555"}),
    }


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")
