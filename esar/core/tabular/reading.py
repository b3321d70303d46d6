"""The reading half of an all-or-nothing import: every row of every table checked, every error
collected with its sheet, row and column, nothing written.

An import subclasses `FileReader`, says how its tables look (`columns`, `layout`) and how one row
reads (`read_row`), and checks what needs all rows at once in `after_rows` (references to other
rows, codes held in the database).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, Self

from esar.core.tabular.columns import Cells, Column, Layout, header_lookup, knows_any, layout_of
from esar.core.tabular.errors import (
    FILE_EMPTY,
    FILE_NO_DATA,
    FILE_TOO_MANY_ROWS,
    FILE_XLSX_BROKEN,
    ErrorList,
    Unreadable,
)
from esar.core.tabular.files import READ_BYTES, FileWording, Table, no_op, open_tables
from esar.core.tabular.values import is_blank_row

Progress = Callable[[int, int], None]

MAX_ROWS = 200_000
PROGRESS_EVERY = 1000


class FileReader:
    """Read and check a whole file. Subclasses set the class attributes and `read_row`."""

    wording: FileWording
    columns: Sequence[Column] = ()
    # A header that names no column, in a file that has only one table to read.
    header_unknown: str
    # No sheet of a workbook names a column.
    no_table: str = ""
    max_rows = MAX_ROWS
    too_many_rows = FILE_TOO_MANY_ROWS
    # Refuse a larger file before reading it (None: only the number of rows is limited).
    max_bytes: int | None = None
    too_large: str = ""
    # Read only the first sheet whose header names a column (else the first sheet); its errors
    # then name no sheet.
    one_table = False

    def __init__(self, *, progress: Progress | None = None) -> None:
        self.errors = ErrorList()
        self.file_format = ""
        self.progress = progress
        self.total = 0
        self.done = 0
        self.lookup = header_lookup(self.columns)

    # --- what a subclass says --------------------------------------------------------------

    def knows_any(self, header: Sequence[object]) -> bool:
        return knows_any(self.lookup, header)

    def layout(self, table: Table) -> Layout | None:
        """Where the columns sit in a table whose header names some of them; None on errors."""
        return layout_of(
            None, self.columns, self.lookup, table.header, self.sheet(table), self.errors
        )

    def order(self, layouts: list[tuple[Table, Layout]]) -> list[tuple[Table, Layout]]:
        return layouts

    def read_row(self, cells: Cells) -> None:
        raise NotImplementedError

    def after_rows(self, *, header_errors: bool) -> None:
        """Checks that need every row read (header_errors: some table could not be read)."""

    def discard(self) -> None:
        """Forget the rows read: the file has errors."""

    # --- the reading ------------------------------------------------------------------------

    def sheet(self, table: Table) -> str:
        return "" if self.one_table else table.sheet

    def tick(self) -> None:
        self.done += 1
        if self.done > self.max_rows:
            raise Unreadable(self.too_many_rows, limit=self.max_rows)
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            # Reading is the first half of the work; writing is the second.
            self.progress(self.done, 2 * max(self.total, self.done))

    def read_table(self, table: Table, layout: Layout) -> int:
        rows = 0
        sheet = self.sheet(table)
        for number, cells in enumerate(table.rows(), start=2):
            if is_blank_row(cells):
                continue
            rows += 1
            self.tick()
            self.read_row(Cells(layout, cells, number, sheet, self.errors))
        return rows

    def choose(self, tables: list[Table]) -> tuple[list[Table], bool]:
        """The tables to read, and whether a header that names no column refuses the file."""
        if self.one_table:
            if not tables:
                raise Unreadable(FILE_XLSX_BROKEN)
            chosen = next((t for t in tables if self.knows_any(t.header)), tables[0])
            return [chosen], True
        return tables, self.file_format == "csv"

    def read(self, source: IO[bytes], filename: str = "") -> Self:
        """Read and check the whole file; its rows stay on the reader, its errors in `errors`."""
        close: Callable[[], None] = no_op
        sheets: dict[str, int] = {}
        try:
            if self.max_bytes is not None:
                _refuse_larger(source, self.max_bytes, self.too_large)
            self.file_format, tables, close = open_tables(source, self.wording, filename)
            sheets = {table.sheet: number for number, table in enumerate(tables)}
            tables, lone = self.choose(tables)
            layouts: list[tuple[Table, Layout]] = []
            recognised = 0
            for table in tables:
                if not self.knows_any(table.header):
                    if lone:
                        blank = is_blank_row(table.header)
                        raise Unreadable(FILE_EMPTY if blank else self.header_unknown)
                    continue  # a sheet of notes or lookups beside the table
                recognised += 1
                layout = self.layout(table)
                if layout is not None:
                    layouts.append((table, layout))
            if not recognised:
                all_empty = all(is_blank_row(table.header) for table in tables)
                raise Unreadable(FILE_EMPTY if all_empty else self.no_table)
            # Tables with a good header are still read, so that one upload shows every error.
            header_errors = bool(self.errors)
            self.total = sum(table.estimate for table, _layout in layouts)
            rows = sum(self.read_table(table, layout) for table, layout in self.order(layouts))
            if not rows and not self.errors:
                raise Unreadable(FILE_NO_DATA)
            self.after_rows(header_errors=header_errors)
        except Unreadable as exc:
            self.errors.add(exc.error)
        finally:
            close()
        if self.errors:
            self.discard()
        self.errors.sort(sheets)
        return self


def _refuse_larger(source: IO[bytes], limit: int, msgid: str) -> None:
    size = 0
    while size <= limit and (chunk := source.read(READ_BYTES)):
        size += len(chunk)
    source.seek(0)
    if size > limit:
        raise Unreadable(msgid, limit=limit // (1024 * 1024))
