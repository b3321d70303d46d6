"""Reading a new version of a standard set from an .xlsx workbook or a CSV file.

One row per item: the standard's number and names, the item's group (optional), number and
names. Built on the tabular kit (`esar.core.tabular`): the whole file is checked before anything
is written, and every problem is reported with its row (as Excel numbers it) and column, so that
a file with any bad row creates nothing. Only the first sheet whose header names a column is read
(else the first sheet); what the file is comes from its bytes, never from its name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext_noop

from esar.core import tabular
from esar.core.tabular import Cells, Column, ErrorList, FileWording, Invalid, code_text

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

WORDING = FileWording(
    pdf=FILE_NOT_STANDARDS,
    image=FILE_NOT_STANDARDS,
    zip=FILE_NOT_STANDARDS,
    not_table=FILE_NOT_STANDARDS,
    named_xlsx=FILE_NAMED_XLSX,
    any_mimetype_is_spreadsheet=True,
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


def parse_number(value: object, *, limit: int) -> str:
    # Excel keeps "2" as the number 2.0 and "1.1" as 1.1.
    number = code_text(value)
    if len(number) > limit:
        raise Invalid(NUMBER_TOO_LONG, limit=limit)
    if not _NUMBER.match(number):
        raise Invalid(NUMBER_SHAPE, value=number)
    return number


_STANDARD_NAME = tabular.text(500)
_GROUP = tabular.text(255)


def _standard_number(value: object) -> str:
    return parse_number(value, limit=STANDARD_NUMBER_MAX)


def _item_number(value: object) -> str:
    return parse_number(value, limit=ITEM_NUMBER_MAX)


class StandardsReader(tabular.FileReader):
    wording = WORDING
    columns = COLUMNS
    header_unknown = FILE_NO_HEADER
    max_rows = MAX_ROWS
    too_many_rows = FILE_TOO_MANY
    max_bytes = MAX_BYTES
    too_large = FILE_TOO_LARGE
    one_table = True

    def __init__(self, parsed: Parsed) -> None:
        super().__init__()
        self.parsed = parsed
        self.errors = parsed.errors
        self.standards: dict[str, StandardRows] = {}
        self.items: dict[str, int] = {}

    def discard(self) -> None:
        self.parsed.standards = []

    def read_row(self, cells: Cells) -> None:
        standard_number = cells.get("standard_number", _standard_number, required=True)
        standard_th = cells.value("standard_name_th", _STANDARD_NAME)
        standard_en = cells.value("standard_name_en", _STANDARD_NAME)
        group_th = cells.value("group_th", _GROUP)
        group_en = cells.value("group_en", _GROUP)
        item_number = cells.get("item_number", _item_number, required=True)
        item_th = cells.get("item_name_th", _STANDARD_NAME, required=True)
        item_en = cells.value("item_name_en", _STANDARD_NAME)
        if standard_number is None:
            return
        standard = self.standard(cells, standard_number, standard_th, standard_en)
        if item_number is None:
            return
        if not item_number.startswith(f"{standard_number}."):
            cells.fail(
                "item_number", ITEM_OUTSIDE_STANDARD, value=item_number, standard=standard_number
            )
            return
        first = self.items.setdefault(item_number, cells.row)
        if first != cells.row:
            cells.fail("item_number", ITEM_DUPLICATE, value=item_number, other=first)
            return
        if standard is None or item_th is None or None in (item_en, group_th, group_en):
            return
        standard.items.append(
            ItemRow(cells.row, item_number, item_th, item_en or "", group_th or "", group_en or "")
        )

    def standard(
        self, cells: Cells, number: str, name_th: str | None, name_en: str | None
    ) -> StandardRows | None:
        """The standard a row belongs to: named on its first row, the same (or blank) after."""
        known = self.standards.get(number)
        if known is None:
            if name_th == "":
                cells.fail("standard_name_th", STANDARD_NAME_MISSING, standard=number)
                return None
            if name_th is None or name_en is None:
                return None
            known = StandardRows(number, name_th, name_en, cells.row)
            self.standards[number] = known
            self.parsed.standards.append(known)
            return known
        for name, value, stored in (
            ("standard_name_th", name_th, known.name_th),
            ("standard_name_en", name_en, known.name_en),
        ):
            if value and value != stored:
                cells.fail(
                    name, STANDARD_NAME_DIFFERS, standard=number, other=stored, first=known.row
                )
                return None
        if not known.name_en and name_en:
            known.name_en = name_en
        return known


def read_standards_file(source: IO[bytes], filename: str = "") -> Parsed:
    """Read and check a file of standards and items without writing anything."""
    parsed = Parsed()
    parsed.file_format = StandardsReader(parsed).read(source, filename).file_format
    return parsed


def build_template(standards: Sequence[Any]) -> bytes:
    """An .xlsx with the Thai headers and the rows of `standards` (with their items) as example."""
    widths = {"standard_number": 12, "item_number": 12}
    return tabular.template_workbook(
        [
            tabular.TemplateSheet(
                title="มาตรฐาน",
                columns=COLUMNS,
                rows=[
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
                    for standard in standards
                    for item in standard.items.all()
                ],
                # Text cells keep 1.10 from turning into the number 1.1.
                is_text=lambda column: column.field.endswith("_number"),
                width=lambda column: widths.get(column.field, 40),
            )
        ]
    )
