"""Columns of a table and the cells of one row read through them.

A `Column` is a field with the header of the template (`label`) and the other headers people
write (`aliases`); headers compare with `match_key`, so case, spaces and dots do not matter. A
`Layout` says where each column sits in one table; `Cells` reads one row through it and records
every problem with its row and the column's header as the file wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from esar.core.tabular.errors import (
    HEADER_DUPLICATE,
    HEADER_MISSING,
    VALUE_REQUIRED,
    ErrorList,
    Invalid,
    RowError,
)
from esar.core.tabular.values import clean_text, is_blank, match_key
from esar.core.text import normalize_text

T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the header of the template, and the name given when the column is missing
    aliases: tuple[str, ...]
    required: bool = False

    @property
    def other_names(self) -> list[str]:
        """The aliases besides the label: what the import pages list beside it."""
        return [alias for alias in self.aliases if alias != self.label]


def header_lookup(columns: Iterable[Column]) -> dict[str, Column]:
    """Every way of writing the header of each column, as `match_key` compares them."""
    return {
        match_key(alias): column
        for column in columns
        for alias in (column.label, column.field, *column.aliases)
    }


def knows_any(lookup: dict[str, Column], header: Sequence[object]) -> bool:
    """Whether a header names any of the columns: a table of this import and not a sheet of notes."""
    return any(match_key(cell) in lookup for cell in header)


@dataclass
class Layout:
    """Where each field sits in the rows of one table, and its header as written in the file."""

    kind: Any  # what kind of table, for imports that read several
    index: dict[str, int]
    names: dict[str, str]


def layout_of(
    kind: Any,
    columns: Sequence[Column],
    lookup: dict[str, Column],
    header: Sequence[object],
    sheet: str,
    errors: ErrorList,
) -> Layout | None:
    """Where each known column sits; a repeated or missing required column is an error of row 1."""
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    ok = True
    for position, cell in enumerate(header):
        column = lookup.get(match_key(cell))
        if column is None:
            continue
        typed = normalize_text(cell)
        if column.field in index:
            errors.add(RowError(HEADER_DUPLICATE, {"other": names[column.field]}, 1, typed, sheet))
            ok = False
            continue
        index[column.field] = position
        names[column.field] = typed
    for column in columns:
        if column.required and column.field not in index:
            aliases = ", ".join(column.other_names)
            errors.add(
                RowError(
                    HEADER_MISSING, {"expected": column.label, "aliases": aliases}, 1, "", sheet
                )
            )
            ok = False
    return Layout(kind, index, names) if ok else None


class Cells:
    """One data row read through a layout; problems go to the error list with row and column."""

    def __init__(
        self, layout: Layout, cells: Sequence[object], row: int, sheet: str, errors: ErrorList
    ) -> None:
        self.layout = layout
        self.cells = cells
        self.row = row
        self.sheet = sheet
        self.errors = errors
        self.ok = True

    def fail(self, name: str, msgid: str, **params: Any) -> None:
        self.ok = False
        self.errors.add(
            RowError(msgid, params, self.row, self.layout.names.get(name, ""), self.sheet)
        )

    def present(self, name: str) -> bool:
        return name in self.layout.index

    def raw(self, name: str) -> object:
        position = self.layout.index[name]
        return self.cells[position] if position < len(self.cells) else None

    def blank(self, name: str) -> bool:
        """Absent or empty."""
        return not self.present(name) or is_blank(self.raw(name))

    def get(self, name: str, parse: Callable[[object], T], *, required: bool = False) -> T | None:
        """The parsed value; None when the column is absent, blank and optional, or bad."""
        if not self.present(name):
            return None
        raw = self.raw(name)
        if is_blank(raw):
            if required:
                self.fail(name, VALUE_REQUIRED)
            return None
        try:
            return parse(raw)
        except Invalid as exc:
            self.fail(name, exc.msgid, **exc.params)
            return None

    def value(self, name: str, parse: Callable[[object], str]) -> str | None:
        """Text that may be left out: "" when absent or blank, None when bad (error recorded)."""
        if self.blank(name):
            return ""
        return self.get(name, parse)

    def optional_text(self, name: str, *, limit: int) -> str | None:
        """None when the file has no such column (the stored value stays), else the text or ""."""
        if not self.present(name):
            return None
        return self.get(name, lambda v: clean_text(v, limit=limit)) or ""
