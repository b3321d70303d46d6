"""Values as people type them into spreadsheets: cleaned with `esar.core.text`, dates read with
`esar.core.thaidate`. A parser takes the raw cell and returns the value or raises `Invalid`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from esar.core import thaidate
from esar.core.tabular.errors import (
    CODE_HAS_SPACE,
    DATE_INVALID,
    VALUE_TOO_LONG,
    Invalid,
)
from esar.core.text import normalize_code, normalize_text

_KEY_DROP = str.maketrans("", "", " ._-*:")


def match_key(value: object) -> str:
    """How a header or a label is compared: case, spaces and dots do not matter."""
    return normalize_text(value).casefold().translate(_KEY_DROP)


def is_blank(value: object) -> bool:
    return value is None or normalize_text(value) == ""


def is_blank_row(cells: Sequence[object]) -> bool:
    return all(is_blank(cell) for cell in cells)


def cell_text(value: object) -> object:
    # Excel keeps long codes as numbers; 3050000001.0 must read as the code it was typed as.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def code_text(value: object) -> str:
    """A cell read as a code: Excel's numbers as typed, Thai digits made Arabic."""
    return normalize_code(cell_text(value))


def clean_text(value: object, *, limit: int = 255) -> str:
    text = normalize_text(value)
    if len(text) > limit:
        raise Invalid(VALUE_TOO_LONG, limit=limit)
    return text


def text(limit: int) -> Callable[[object], str]:
    """A parser of text of at most `limit` characters."""
    return lambda value: clean_text(value, limit=limit)


def code_without_space(value: object) -> str:
    code = code_text(value)
    if " " in code:
        raise Invalid(CODE_HAS_SPACE, value=code)
    return code


def digits_code(value: object, length: int, shape_msgid: str) -> str:
    """A code of exactly `length` ASCII digits; `shape_msgid` says what it should have been."""
    code = code_without_space(value)
    if len(code) != length or not code.isascii() or not code.isdigit():
        raise Invalid(shape_msgid, value=code)
    return code


def whole_number(value: object, low: int, high: int, msgid: str) -> int:
    """A whole number from `low` to `high`, typed in Arabic or Thai digits."""
    typed = code_text(value)
    if not (typed.isascii() and typed.isdigit()) or not low <= int(typed) <= high:
        raise Invalid(msgid, value=typed)
    return int(typed)


def parse_date(value: object) -> dt.date:
    """A date as Thai offices write it (1/10/2566, Buddhist era) or ISO (2023-10-01)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # Thai users type Buddhist-era years, and Excel keeps them as if they were Common-era years.
        typed = f"{value.day}/{value.month}/{value.year}"
    else:
        typed = normalize_code(value)
    try:
        return thaidate.parse_date(typed)
    except ValueError:
        raise Invalid(DATE_INVALID, value=normalize_text(value)) from None


class Choices:
    """Values of a choice and the ways people write them, the first (Thai) name shown in help."""

    def __init__(self, aliases: Mapping[str, tuple[str, ...]], msgid: str) -> None:
        self.aliases = aliases
        self.msgid = msgid  # with %(value)s and %(choices)s
        self.lookup: dict[str, str] = {}
        for value, names in aliases.items():
            for name in (str(value), *names):
                self.lookup[match_key(name)] = str(value)

    @property
    def text(self) -> str:
        return choices_text(self.aliases)

    def find(self, typed: object) -> str | None:
        return self.lookup.get(match_key(typed))

    def refuse(self, typed: object) -> Invalid:
        return Invalid(self.msgid, value=normalize_text(typed), choices=self.text)

    def __call__(self, typed: object) -> str:
        found = self.find(typed)
        if found is None:
            raise self.refuse(typed)
        return found


def choices_text(aliases: Mapping[str, tuple[str, ...]]) -> str:
    """The first (Thai) name of each choice, for messages and help."""
    return ", ".join(names[0] for names in aliases.values())
