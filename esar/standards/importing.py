"""Reading a new version of a standard set from an .xlsx workbook or a CSV file.

One row per item: the standard's number and names, the item's group (optional), number and
names. The whole file is checked before anything is written, and every problem is reported with
its row (as Excel numbers it) and column, so that a file with any bad row creates nothing. The
file is small (a few dozen rows), so it is read into memory; what it is comes from its bytes,
never from its name.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext_noop
from openpyxl.styles import Font

from esar.core.text import normalize_code, normalize_text
from esar.organizations.importing import (
    FILE_CSV_BROKEN,
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_NO_DATA,
    FILE_OTHER_SPREADSHEET,
    FILE_XLS,
    FILE_XLSX_BROKEN,
    HEADER_DUPLICATE,
    HEADER_MISSING,
    VALUE_REQUIRED,
    Column,
    ErrorList,
    Invalid,
    RowError,
    clean_name,
    match_key,
    sniff,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000

FILE_NOT_STANDARDS = gettext_noop(
    "This file is not a table. Upload the standards as an Excel workbook (.xlsx) or a CSV file."
)
FILE_NAMED_XLSX = gettext_noop(
    "The file is named .xlsx but is not an Excel workbook. Open it in Excel, save it as “Excel "
    "Workbook (.xlsx)” and upload that file."
)
FILE_NO_HEADER = gettext_noop(
    "Row 1 is not the header of a table of standards. Use the column names of the template."
)
FILE_TOO_MANY = gettext_noop("The file has more than %(limit)s rows of items.")
FILE_TOO_LARGE = gettext_noop("The file is larger than %(limit)s MB.")
NUMBER_SHAPE = gettext_noop(
    "“%(value)s” is not a number of a standard or an item: write digits separated by dots, "
    "for example 2 or 1.1.3."
)
NUMBER_TOO_LONG = gettext_noop("The number is too long: at most %(limit)s characters.")
ITEM_OUTSIDE_STANDARD = gettext_noop(
    "The item %(value)s does not belong to standard %(standard)s: its number must begin with "
    "the standard's number and a dot, for example %(standard)s.1."
)
ITEM_DUPLICATE = gettext_noop("The item %(value)s is also in row %(other)s.")
STANDARD_NAME_DIFFERS = gettext_noop(
    "Standard %(standard)s is named “%(other)s” in row %(first)s; write the same name or leave "
    "the cell empty."
)
STANDARD_NAME_MISSING = gettext_noop(
    "The first row of standard %(standard)s must give its name in Thai."
)

_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*$")
STANDARD_NUMBER_MAX = 10
ITEM_NUMBER_MAX = 12


COLUMNS: tuple[Column, ...] = (
    Column(
        "standard_number",
        "มาตรฐานที่",
        ("standard_number", "standard number", "standard", "มาตรฐาน", "ข้อมาตรฐาน"),
        required=True,
    ),
    Column(
        "standard_name_th",
        "ชื่อมาตรฐาน",
        ("standard_name_th", "standard name", "standard name th", "ชื่อมาตรฐาน (ไทย)"),
        required=True,
    ),
    Column(
        "standard_name_en",
        "ชื่อมาตรฐาน (อังกฤษ)",
        ("standard_name_en", "standard name en", "standard name english"),
    ),
    Column(
        "group_th",
        "หัวข้อ",
        ("group_th", "group", "item group", "item group th", "หัวข้อ (ไทย)"),
    ),
    Column(
        "group_en",
        "หัวข้อ (อังกฤษ)",
        ("group_en", "item group en", "item group english"),
    ),
    Column(
        "item_number",
        "ประเด็นที่",
        ("item_number", "item number", "item", "ข้อ", "ข้อประเด็นพิจารณา"),
        required=True,
    ),
    Column(
        "item_name_th",
        "ประเด็นพิจารณา",
        ("item_name_th", "item name", "item name th", "ประเด็นพิจารณา (ไทย)", "ชื่อประเด็น"),
        required=True,
    ),
    Column(
        "item_name_en",
        "ประเด็นพิจารณา (อังกฤษ)",
        ("item_name_en", "item name en", "item name english"),
    ),
)
_HEADERS = {
    match_key(alias): column
    for column in COLUMNS
    for alias in (column.label, column.field, *column.aliases)
}


@dataclass
class ItemRow:
    row: int
    number: str
    name_th: str
    name_en: str = ""
    group_th: str = ""
    group_en: str = ""


@dataclass
class StandardRows:
    number: str
    name_th: str
    name_en: str
    row: int  # where the standard first appears
    items: list[ItemRow] = field(default_factory=list)


@dataclass
class Parsed:
    file_format: str = ""
    standards: list[StandardRows] = field(default_factory=list)
    errors: ErrorList = field(default_factory=ErrorList)

    @property
    def item_count(self) -> int:
        return sum(len(standard.items) for standard in self.standards)


class _Refused(Exception):
    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.error = RowError(msgid, params)


def _text(value: object) -> str:
    # Excel keeps "2" as the number 2.0 and "1.1" as 1.1.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_code(value)


def parse_number(value: object, *, limit: int) -> str:
    number = _text(value)
    if len(number) > limit:
        raise Invalid(NUMBER_TOO_LONG, limit=limit)
    if not _NUMBER.match(number):
        raise Invalid(NUMBER_SHAPE, value=number)
    return number


def _rows_of_csv(data: bytes) -> Iterator[Sequence[object]]:
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _Refused(FILE_ENCODING)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    while True:
        row += 1
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _Refused(FILE_CSV_BROKEN, row=row) from None


def _rows_of_xlsx(data: bytes) -> Iterator[Sequence[object]]:
    """The rows of the first sheet whose row 1 is a header of standards (or of the first sheet)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails in zipfile, XML parsing or openpyxl itself
        raise _Refused(FILE_XLSX_BROKEN) from None
    try:
        chosen = None
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            if any(match_key(cell) in _HEADERS for cell in header):
                chosen = sheet
                break
        chosen = chosen or workbook.worksheets[0]
        yield from chosen.iter_rows(values_only=True)
    except _Refused:
        raise
    except Exception:
        raise _Refused(FILE_XLSX_BROKEN) from None
    finally:
        workbook.close()


def _open(data: bytes, filename: str) -> tuple[str, Callable[[], Iterator[Sequence[object]]]]:
    kind = sniff(data[:4096])
    if kind == "empty":
        raise _Refused(FILE_EMPTY)
    if kind == "xls":
        raise _Refused(FILE_XLS)
    if kind == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            raise _Refused(FILE_XLSX_BROKEN) from None
        if "xl/workbook.xml" in names:
            return "xlsx", lambda: _rows_of_xlsx(data)
        if "xl/workbook.bin" in names or "mimetype" in names:
            raise _Refused(FILE_OTHER_SPREADSHEET)
        raise _Refused(FILE_NOT_STANDARDS)
    if filename.lower().endswith(".xlsx"):
        raise _Refused(FILE_NAMED_XLSX)
    if kind == "utf16":
        raise _Refused(FILE_ENCODING)
    if kind != "text":
        raise _Refused(FILE_NOT_STANDARDS)
    return "csv", lambda: _rows_of_csv(data)


class _Reader:
    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.errors = parsed.errors
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {}
        self.standards: dict[str, StandardRows] = {}
        self.items: dict[str, int] = {}

    def header(self, cells: Sequence[object]) -> bool:
        ok = True
        for position, cell in enumerate(cells):
            column = _HEADERS.get(match_key(cell))
            if column is None:
                continue
            text = normalize_text(cell)
            if column.field in self.index:
                self.errors.add(
                    RowError(HEADER_DUPLICATE, {"other": self.names[column.field]}, 1, text)
                )
                ok = False
                continue
            self.index[column.field] = position
            self.names[column.field] = text
        if not self.index:
            raise _Refused(FILE_NO_HEADER)
        for column in COLUMNS:
            if column.required and column.field not in self.index:
                aliases = ", ".join(a for a in column.aliases if a != column.label)
                self.errors.add(
                    RowError(HEADER_MISSING, {"expected": column.label, "aliases": aliases}, 1)
                )
                ok = False
        return ok

    def fail(self, row: int, name: str, msgid: str, **params: Any) -> None:
        self.errors.add(RowError(msgid, params, row, self.names.get(name, "")))

    def cell(
        self, cells: Sequence[object], row: int, name: str, parse: Callable[[object], str]
    ) -> str | None:
        """The cleaned value; "" when blank or absent; None when it is wrong (error recorded)."""
        position = self.index.get(name)
        raw = cells[position] if position is not None and position < len(cells) else None
        if raw is None or normalize_text(raw) == "":
            return ""
        try:
            return parse(raw)
        except Invalid as exc:
            self.fail(row, name, exc.msgid, **exc.params)
            return None

    def required(
        self, cells: Sequence[object], row: int, name: str, parse: Callable[[object], str]
    ) -> str | None:
        value = self.cell(cells, row, name, parse)
        if value == "":
            self.fail(row, name, VALUE_REQUIRED)
            return None
        return value

    def line(self, cells: Sequence[object], row: int) -> None:
        standard_number = self.required(
            cells, row, "standard_number", lambda v: parse_number(v, limit=STANDARD_NUMBER_MAX)
        )
        standard_th = self.cell(cells, row, "standard_name_th", lambda v: clean_name(v, limit=500))
        standard_en = self.cell(cells, row, "standard_name_en", lambda v: clean_name(v, limit=500))
        group_th = self.cell(cells, row, "group_th", clean_name)
        group_en = self.cell(cells, row, "group_en", clean_name)
        item_number = self.required(
            cells, row, "item_number", lambda v: parse_number(v, limit=ITEM_NUMBER_MAX)
        )
        item_th = self.required(cells, row, "item_name_th", lambda v: clean_name(v, limit=500))
        item_en = self.cell(cells, row, "item_name_en", lambda v: clean_name(v, limit=500))
        if standard_number is None:
            return
        standard = self.standard(row, standard_number, standard_th, standard_en)
        if item_number is None:
            return
        if not item_number.startswith(f"{standard_number}."):
            self.fail(
                row,
                "item_number",
                ITEM_OUTSIDE_STANDARD,
                value=item_number,
                standard=standard_number,
            )
            return
        first = self.items.setdefault(item_number, row)
        if first != row:
            self.fail(row, "item_number", ITEM_DUPLICATE, value=item_number, other=first)
            return
        if standard is None or None in (item_th, item_en, group_th, group_en):
            return
        standard.items.append(
            ItemRow(row, item_number, item_th, item_en or "", group_th or "", group_en or "")
        )

    def standard(
        self, row: int, number: str, name_th: str | None, name_en: str | None
    ) -> StandardRows | None:
        """The standard a row belongs to: named on its first row, the same (or blank) after."""
        known = self.standards.get(number)
        if known is None:
            if name_th == "":
                self.fail(row, "standard_name_th", STANDARD_NAME_MISSING, standard=number)
                return None
            if name_th is None or name_en is None:
                return None
            known = StandardRows(number, name_th, name_en, row)
            self.standards[number] = known
            self.parsed.standards.append(known)
            return known
        for name, value, stored in (
            ("standard_name_th", name_th, known.name_th),
            ("standard_name_en", name_en, known.name_en),
        ):
            if value and value != stored:
                self.fail(
                    row, name, STANDARD_NAME_DIFFERS, standard=number, other=stored, first=known.row
                )
                return None
        if not known.name_en and name_en:
            known.name_en = name_en
        return known


def read_standards_file(source: IO[bytes], filename: str = "") -> Parsed:
    """Read and check a file of standards and items without writing anything."""
    parsed = Parsed()
    reader = _Reader(parsed)
    try:
        data = source.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise _Refused(FILE_TOO_LARGE, limit=MAX_BYTES // (1024 * 1024))
        parsed.file_format, rows = _open(data, filename)
        lines = enumerate(rows(), start=1)
        header = next(lines, None)
        if header is None or all(normalize_text(cell) == "" for cell in header[1]):
            raise _Refused(FILE_EMPTY)
        if not reader.header(header[1]):
            return parsed
        count = 0
        for number, cells in lines:
            if all(normalize_text(cell) == "" for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _Refused(FILE_TOO_MANY, limit=MAX_ROWS)
            reader.line(cells, number)
        if not count:
            raise _Refused(FILE_NO_DATA)
    except _Refused as exc:
        parsed.errors.add(exc.error)
    parsed.errors.items.sort(key=lambda e: (e.row is not None, e.row or 0))
    if parsed.errors:
        parsed.standards = []
    return parsed


def build_template(standards: Sequence[Any]) -> bytes:
    """An .xlsx with the Thai headers and the rows of `standards` (with their items) as example."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "มาตรฐาน"
    sheet.append([column.label for column in COLUMNS])
    for standard in standards:
        for item in standard.items.all():
            sheet.append(
                [
                    standard.number,
                    standard.name_th,
                    standard.name_en,
                    item.group_th,
                    item.group_en,
                    item.number,
                    item.name_th,
                    item.name_en,
                ]
            )
    widths = {"standard_number": 12, "item_number": 12}
    for position, column in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(position)
        sheet.column_dimensions[letter].width = widths.get(column.field, 40)
        sheet.cell(row=1, column=position).font = Font(bold=True)
        if column.field.endswith("_number"):
            # Text cells keep 1.10 from turning into the number 1.1.
            for cells in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                for cell in cells:
                    cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
