"""Errors of a tabular import, where Excel would show them (the header is row 1), and the
messages every import shares. msgids are English and translated when shown, so a job records the
msgid and its params and its page speaks the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

MAX_ERRORS = 500

FILE_EMPTY = gettext_noop("The file is empty.")
FILE_XLS = gettext_noop(
    "This is an old Excel 97-2003 (.xls) file. Open it in Excel, save it as "
    "“Excel Workbook (.xlsx)” and upload that file."
)
FILE_OTHER_SPREADSHEET = gettext_noop(
    "This spreadsheet is not in the .xlsx format. Save it as “Excel Workbook (.xlsx)” and "
    "upload that file."
)
FILE_XLSX_BROKEN = gettext_noop(
    "The Excel file cannot be read; it may be damaged. Open it in Excel, save it again as .xlsx "
    "and upload it again."
)
FILE_ENCODING = gettext_noop(
    "The CSV file is neither UTF-8 nor Thai Windows (TIS-620) text. In Excel, save it as "
    "“CSV UTF-8”."
)
FILE_CSV_BROKEN = gettext_noop(
    "The CSV file cannot be read from row %(row)s (a quote is not closed or a cell is too long)."
)
FILE_NO_DATA = gettext_noop("The file has a header but no rows of data below it.")
FILE_TOO_MANY_ROWS = gettext_noop(
    "The file has more than %(limit)s rows. Split it into smaller files."
)
HEADER_MISSING = gettext_noop(
    "The header in row 1 has no column “%(expected)s” (or one of: %(aliases)s). Add it."
)
HEADER_DUPLICATE = gettext_noop(
    "This column repeats the column “%(other)s”. Keep only one of them."
)
VALUE_REQUIRED = gettext_noop("A value is required.")
VALUE_TOO_LONG = gettext_noop("The text is too long: at most %(limit)s characters.")
CODE_HAS_SPACE = gettext_noop("The code “%(value)s” has a space inside. Type the digits only.")
DATE_INVALID = gettext_noop(
    "“%(value)s” is not a date. Write day/month/year in the Buddhist era, for example 1/10/2566."
)


@dataclass(frozen=True)
class RowError:
    """One problem of the file, where Excel would show it: header is row 1."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: str = ""
    sheet: str = ""

    @property
    def reason(self) -> str:
        return gettext(self.msgid) % self.params

    @property
    def message(self) -> str:
        where = {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}
        if self.row is None:
            if self.sheet:
                return gettext("Sheet “%(sheet)s”: %(reason)s") % where
            return self.reason
        if self.sheet and self.column:
            return (
                gettext("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(reason)s") % where
            )
        if self.sheet:
            return gettext("Sheet “%(sheet)s”, row %(row)s: %(reason)s") % where
        if self.column:
            return gettext("Row %(row)s, column “%(column)s”: %(reason)s") % where
        return gettext("Row %(row)s: %(reason)s") % where

    def as_dict(self) -> dict[str, Any]:
        """The shape a Job records and `esar.core.jobs.error_rows` shows."""
        return {
            "row": self.row,
            "column": self.column,
            "sheet": self.sheet,
            "msgid": self.msgid,
            "params": self.params,
            "message": self.message,
        }


class ErrorList:
    """The first `limit` errors, and how many there were in all."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.limit = limit
        self.items: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.items) < self.limit:
            self.items.append(error)

    def __bool__(self) -> bool:
        return self.count > 0

    def sort(self, sheets: dict[str, int]) -> None:
        """File-wide errors first, then by sheet (in the workbook's order) and row."""
        self.items.sort(key=lambda e: (e.row is not None, sheets.get(e.sheet, 0), e.row or 0))


class Invalid(Exception):
    """A value that cannot be accepted, with the message that says why."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


class Unreadable(Exception):
    """The file as a whole is refused: reading stops with this one error."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.error = RowError(msgid, params)
