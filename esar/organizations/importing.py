"""Registry import: local authorities (LAOs) and institutions from an Excel .xlsx or a CSV file.

The file is read as a stream (openpyxl read-only; CSV decoded chunk by chunk) and every row is
checked into a compact record before anything is written, so a file with any bad row changes
nothing. Good rows are then compared with the database by code, a chunk at a time, and created or
updated in bulk inside one transaction. Views, the management command and the Celery task all
call `import_registry`.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, TypeVar

import openpyxl
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from openpyxl.styles import Font

from esar.core import audit, thaidate
from esar.core.models import AuditEvent
from esar.core.text import normalize_code, normalize_text
from esar.organizations.models import (
    EducationLevel,
    Institution,
    InstitutionKind,
    LaoType,
    LaoTypeChange,
    LocalAuthority,
    Province,
)

if TYPE_CHECKING:
    from esar.accounts.models import User

Progress = Callable[[int, int], None]
T = TypeVar("T")

MAX_ERRORS = 500
MAX_ROWS = 200_000
# Rows looked up and written per round trip: big enough to be fast, small enough for SQLite.
CHUNK_ROWS = 1000
READ_BYTES = 1 << 16
PROGRESS_EVERY = 1000
AUDIT_SOURCE = "import"


class RowKind(StrEnum):
    LAO = "lao"
    INSTITUTION = "institution"


# --- What the file may say: the one place for column names and value aliases ---------------------


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the header of the template, and the name given when the column is missing
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS: dict[RowKind, tuple[Column, ...]] = {
    RowKind.LAO: (
        Column(
            "code",
            "รหัส อปท.",
            ("code", "lao_code", "รหัส อปท.", "รหัสองค์กรปกครองส่วนท้องถิ่น"),
            required=True,
        ),
        Column(
            "name_th",
            "ชื่อ อปท.",
            ("name_th", "name", "ชื่อ อปท.", "ชื่อองค์กรปกครองส่วนท้องถิ่น", "ชื่อ", "ชื่อภาษาไทย"),
            required=True,
        ),
        Column("name_en", "ชื่อภาษาอังกฤษ", ("name_en", "english name", "ชื่อภาษาอังกฤษ")),
        Column(
            "province",
            "จังหวัด",
            ("province", "province_code", "จังหวัด", "รหัสจังหวัด"),
            required=True,
        ),
        Column(
            "lao_type",
            "ประเภท อปท.",
            ("lao_type", "type", "ประเภท", "ประเภท อปท.", "ประเภทองค์กรปกครองส่วนท้องถิ่น"),
            required=True,
        ),
        Column("district", "อำเภอ", ("district", "amphoe", "อำเภอ")),
        Column(
            "type_effective_date",
            "วันที่เปลี่ยนประเภท",
            ("type_effective_date", "effective_date", "วันที่เปลี่ยนประเภท", "วันที่มีผล"),
        ),
    ),
    RowKind.INSTITUTION: (
        Column(
            "code",
            "รหัสสถานศึกษา",
            ("code", "moe_code", "school_code", "รหัสสถานศึกษา", "รหัสโรงเรียน", "รหัส 10 หลัก"),
            required=True,
        ),
        Column("onesqa_code", "รหัส สมศ.", ("onesqa_code", "onesqa", "รหัส สมศ.")),
        Column(
            "name_th",
            "ชื่อสถานศึกษา",
            ("name_th", "name", "ชื่อสถานศึกษา", "ชื่อโรงเรียน", "ชื่อ", "ชื่อภาษาไทย"),
            required=True,
        ),
        Column("name_en", "ชื่อภาษาอังกฤษ", ("name_en", "english name", "ชื่อภาษาอังกฤษ")),
        Column(
            "kind",
            "ประเภทสถานศึกษา",
            ("kind", "institution_kind", "ประเภทสถานศึกษา"),
            required=True,
        ),
        Column(
            "lao_code",
            "รหัส อปท. ต้นสังกัด",
            ("lao_code", "lao", "รหัส อปท. ต้นสังกัด", "รหัส อปท.", "ต้นสังกัด"),
            required=True,
        ),
        Column(
            "levels",
            "ระดับที่เปิดสอน",
            ("levels", "level", "ระดับที่เปิดสอน", "ระดับการศึกษา", "ระดับ"),
            required=True,
        ),
        Column("district", "อำเภอ", ("district", "amphoe", "อำเภอ")),
    ),
}

LAO_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    LaoType.PAO: ("อบจ.", "องค์การบริหารส่วนจังหวัด", "PAO", "Provincial Administrative Organisation"),
    LaoType.CITY_MUNICIPALITY: ("เทศบาลนคร", "ทน.", "City municipality"),
    LaoType.TOWN_MUNICIPALITY: ("เทศบาลเมือง", "ทม.", "Town municipality"),
    LaoType.SUBDISTRICT_MUNICIPALITY: ("เทศบาลตำบล", "ทต.", "Subdistrict municipality"),
    LaoType.SAO: (
        "อบต.",
        "องค์การบริหารส่วนตำบล",
        "SAO",
        "Subdistrict Administrative Organisation",
    ),
    LaoType.BANGKOK: ("กทม.", "กรุงเทพมหานคร", "BMA", "Bangkok Metropolitan Administration"),
    LaoType.PATTAYA: ("เมืองพัทยา", "Pattaya City"),
}
INSTITUTION_KIND_ALIASES: dict[str, tuple[str, ...]] = {
    InstitutionKind.SCHOOL: ("โรงเรียน", "School"),
    InstitutionKind.COLLEGE: ("วิทยาลัย", "College"),
    InstitutionKind.CHILD_CENTRE: ("ศูนย์พัฒนาเด็กเล็ก", "ศพด.", "Child development centre"),
}
EDUCATION_LEVEL_ALIASES: dict[str, tuple[str, ...]] = {
    EducationLevel.EARLY_CHILDHOOD: ("ปฐมวัย", "การศึกษาปฐมวัย", "Early childhood"),
    EducationLevel.BASIC: ("ขั้นพื้นฐาน", "การศึกษาขั้นพื้นฐาน", "Basic education"),
    EducationLevel.VOCATIONAL: ("อาชีวศึกษา", "การอาชีวศึกษา", "Vocational education"),
}
# Province names come from the database; these are the extra ways people write them.
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {"10": ("กรุงเทพฯ", "กทม.", "Bangkok Metropolis")}
PROVINCE_PREFIXES = ("จังหวัด", "จ.")

SHEET_TITLES = {RowKind.LAO: "อปท.", RowKind.INSTITUTION: "สถานศึกษา"}
TEMPLATE_EXAMPLES: dict[RowKind, dict[str, str]] = {
    RowKind.LAO: {
        "code": "6500199",
        "name_th": "องค์การบริหารส่วนตำบลตัวอย่าง",
        "name_en": "Tambon Tuayang SAO",
        "province": "เชียงใหม่",
        "lao_type": "อบต.",
        "district": "เมืองเชียงใหม่",
        "type_effective_date": "1/10/2566",
    },
    RowKind.INSTITUTION: {
        "code": "3050099999",
        "onesqa_code": "",
        "name_th": "ศูนย์พัฒนาเด็กเล็กบ้านตัวอย่าง",
        "name_en": "Ban Tuayang Child Development Centre",
        "kind": "ศูนย์พัฒนาเด็กเล็ก",
        "lao_code": "6500199",
        "levels": "ปฐมวัย",
        "district": "เมืองเชียงใหม่",
    },
}

# --- Messages: English msgids, translated when shown ----------------------------------------------

FILE_EMPTY = gettext_noop("The file is empty.")
FILE_PDF = gettext_noop("This is a PDF file, not a table. Upload the registry as .xlsx or .csv.")
FILE_IMAGE = gettext_noop("This is an image, not a table. Upload the registry as .xlsx or .csv.")
FILE_XLS = gettext_noop(
    "This is an old Excel 97-2003 (.xls) file. Open it in Excel, save it as "
    "“Excel Workbook (.xlsx)” and upload that file."
)
FILE_OTHER_SPREADSHEET = gettext_noop(
    "This spreadsheet is not in the .xlsx format. Save it as “Excel Workbook (.xlsx)” and "
    "upload that file."
)
FILE_ZIP = gettext_noop("This is a zip archive, not a table. Upload the registry as .xlsx or .csv.")
FILE_XLSX_BROKEN = gettext_noop(
    "The Excel file cannot be read; it may be damaged. Open it in Excel, save it again as .xlsx "
    "and upload it again."
)
FILE_NOT_TABLE = gettext_noop(
    "This file is neither an Excel .xlsx workbook nor a CSV text file. Save the registry as "
    ".xlsx or .csv."
)
FILE_ENCODING = gettext_noop(
    "The CSV file is neither UTF-8 nor Thai Windows (TIS-620) text. In Excel, save it as "
    "“CSV UTF-8”."
)
FILE_CSV_BROKEN = gettext_noop(
    "The CSV file cannot be read from row %(row)s (a quote is not closed or a cell is too long)."
)
FILE_NO_DATA = gettext_noop("The file has a header but no rows of data below it.")
FILE_NO_TABLE = gettext_noop(
    "No sheet has the header of an LAO table or an institution table in row 1. Use the column "
    "names of the template."
)
FILE_TOO_MANY_ROWS = gettext_noop(
    "The file has more than %(limit)s rows. Split it into smaller files."
)
HEADER_UNKNOWN = gettext_noop(
    "The header in row 1 is neither that of an LAO table nor of an institution table. Use the "
    "column names of the template."
)
HEADER_MISSING = gettext_noop(
    "The header in row 1 has no column “%(expected)s” (or one of: %(aliases)s). Add it."
)
HEADER_DUPLICATE = gettext_noop(
    "This column repeats the column “%(other)s”. Keep only one of them."
)
REGISTRY_CHANGED = gettext_noop(
    "The registry changed while this file was being imported. Nothing was saved: import the "
    "file again."
)

VALUE_REQUIRED = gettext_noop("A value is required.")
VALUE_TOO_LONG = gettext_noop("The text is too long: at most %(limit)s characters.")
CODE_HAS_SPACE = gettext_noop("The code “%(value)s” has a space inside. Type the digits only.")
LAO_CODE_SHAPE = gettext_noop("“%(value)s” is not an LAO code: it must have 7 digits.")
LAO_CODE_PROVINCE = gettext_noop(
    "The LAO code “%(value)s” must hold a province code in digits 2-3, but “%(digits)s” is not a "
    "province."
)
INSTITUTION_CODE_SHAPE = gettext_noop(
    "“%(value)s” is not a Ministry of Education code: it must have 10 digits."
)
ONESQA_CODE_SHAPE = gettext_noop(
    "“%(value)s” is not an ONESQA code: only letters and digits, at most 20 of them."
)
PROVINCE_UNKNOWN = gettext_noop(
    "“%(value)s” is not a province. Write its 2-digit code or its name."
)
LAO_TYPE_UNKNOWN = gettext_noop("“%(value)s” is not a type of LAO. Write one of: %(choices)s.")
KIND_UNKNOWN = gettext_noop("“%(value)s” is not a kind of institution. Write one of: %(choices)s.")
LEVEL_UNKNOWN = gettext_noop(
    "“%(value)s” is not a level of education. Write one or more of: %(choices)s."
)
DATE_INVALID = gettext_noop(
    "“%(value)s” is not a date. Write day/month/year in the Buddhist era, for example 1/10/2566."
)
DUPLICATE_CODE = gettext_noop("The code %(value)s is also in row %(other)s.")
DUPLICATE_CODE_SHEET = gettext_noop(
    "The code %(value)s is also in sheet “%(sheet)s”, row %(other)s."
)
DUPLICATE_ONESQA = gettext_noop("The ONESQA code %(value)s is also in row %(other)s.")
DUPLICATE_ONESQA_SHEET = gettext_noop(
    "The ONESQA code %(value)s is also in sheet “%(sheet)s”, row %(other)s."
)
ONESQA_TAKEN = gettext_noop("The ONESQA code %(value)s already belongs to %(other)s.")
LAO_NOT_FOUND = gettext_noop("The LAO %(value)s is neither in the registry nor in this file.")

# Labels of the result, shown on the job page.
LABEL_LAOS = gettext_noop("Local authorities")
LABEL_INSTITUTIONS = gettext_noop("Institutions")
LABEL_CREATED = gettext_noop("Created (rows)")
LABEL_UPDATED = gettext_noop("Updated")
LABEL_UNCHANGED = gettext_noop("Unchanged")
LABEL_TYPE_CHANGES = gettext_noop("LAO type changes recorded")
LABEL_FILE = gettext_noop("File")
NOTE_DRY_RUN = gettext_noop("Checked only: nothing was saved.")


# --- Errors ---------------------------------------------------------------------------------------


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


class Invalid(Exception):
    """A value that cannot be accepted, with the message that says why."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


class Unreadable(Exception):
    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.error = RowError(msgid, params)


# --- Values ---------------------------------------------------------------------------------------

_KEY_DROP = str.maketrans("", "", " ._-*:")


def match_key(value: object) -> str:
    """How a header or a label is compared: case, spaces and dots do not matter."""
    return normalize_text(value).casefold().translate(_KEY_DROP)


def header_lookup(columns: Iterable[Column]) -> dict[str, Column]:
    """Every way of writing the header of each column, as `match_key` compares them."""
    return {
        match_key(alias): column for column in columns for alias in (column.field, *column.aliases)
    }


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, names in aliases.items():
        for name in (str(value), *names):
            table[match_key(name)] = str(value)
    return table


_LAO_TYPES = _lookup(LAO_TYPE_ALIASES)
_KINDS = _lookup(INSTITUTION_KIND_ALIASES)
_LEVELS = _lookup(EDUCATION_LEVEL_ALIASES)
_HEADERS: dict[RowKind, dict[str, Column]] = {
    kind: header_lookup(columns) for kind, columns in COLUMNS.items()
}


def choices_text(aliases: dict[str, tuple[str, ...]]) -> str:
    """The first (Thai) name of each choice, for messages and help."""
    return ", ".join(names[0] for names in aliases.values())


def is_blank(value: object) -> bool:
    return value is None or normalize_text(value) == ""


def cell_text(value: object) -> object:
    # Excel keeps long codes as numbers; 3050000001.0 must read as the code it was typed as.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def clean_name(value: object, *, limit: int = 255) -> str:
    text = normalize_text(value)
    if len(text) > limit:
        raise Invalid(VALUE_TOO_LONG, limit=limit)
    return text


def _digits_code(value: object, length: int, shape_msgid: str) -> str:
    code = normalize_code(cell_text(value))
    if " " in code:
        raise Invalid(CODE_HAS_SPACE, value=code)
    if len(code) != length or not code.isascii() or not code.isdigit():
        raise Invalid(shape_msgid, value=code)
    return code


def parse_lao_code(value: object, province_codes: Iterable[str]) -> str:
    code = _digits_code(value, 7, LAO_CODE_SHAPE)
    if code[1:3] not in province_codes:
        raise Invalid(LAO_CODE_PROVINCE, value=code, digits=code[1:3])
    return code


def parse_institution_code(value: object) -> str:
    return _digits_code(value, 10, INSTITUTION_CODE_SHAPE)


_ONESQA_RE = re.compile(r"^[0-9A-Za-z]{1,20}$")


def parse_onesqa_code(value: object) -> str:
    code = normalize_code(cell_text(value))
    if " " in code:
        raise Invalid(CODE_HAS_SPACE, value=code)
    if not _ONESQA_RE.match(code):
        raise Invalid(ONESQA_CODE_SHAPE, value=code)
    return code


def province_lookup(provinces: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Every way of writing a province (code, Thai or English name) to its code."""
    table: dict[str, str] = {}
    for code, name_th, name_en in provinces:
        for name in (code, name_th, name_en, *PROVINCE_ALIASES.get(code, ())):
            table[match_key(name)] = code
    return table


def parse_province(value: object, lookup: dict[str, str]) -> str:
    key = match_key(normalize_code(cell_text(value)))
    if key in lookup:
        return lookup[key]
    for prefix in PROVINCE_PREFIXES:
        stripped = match_key(prefix)
        if key.startswith(stripped) and key[len(stripped) :] in lookup:
            key = key[len(stripped) :]
            break
    if key not in lookup:
        raise Invalid(PROVINCE_UNKNOWN, value=normalize_text(value))
    return lookup[key]


def parse_lao_type(value: object) -> str:
    found = _LAO_TYPES.get(match_key(value))
    if found is None:
        raise Invalid(
            LAO_TYPE_UNKNOWN, value=normalize_text(value), choices=choices_text(LAO_TYPE_ALIASES)
        )
    return found


def parse_kind(value: object) -> str:
    found = _KINDS.get(match_key(value))
    if found is None:
        raise Invalid(
            KIND_UNKNOWN,
            value=normalize_text(value),
            choices=choices_text(INSTITUTION_KIND_ALIASES),
        )
    return found


_LEVEL_SEPARATORS = re.compile(r"[,;/|+]+")


def parse_levels(value: object) -> frozenset[str]:
    """Levels separated by commas or spaces; a level may itself be several words."""
    found: set[str] = set()
    for part in _LEVEL_SEPARATORS.split(normalize_text(value)):
        words = part.split()
        start = 0
        while start < len(words):
            # The longest run of words that names a level, so "Early childhood" is one level.
            for end in range(len(words), start, -1):
                level = _LEVELS.get(match_key("".join(words[start:end])))
                if level is not None:
                    found.add(level)
                    start = end
                    break
            else:
                raise Invalid(
                    LEVEL_UNKNOWN, value=words[start], choices=choices_text(EDUCATION_LEVEL_ALIASES)
                )
    if not found:
        raise Invalid(VALUE_REQUIRED)
    return frozenset(found)


def parse_date(value: object) -> dt.date:
    """A date as Thai offices write it (1/10/2566, Buddhist era) or ISO (2023-10-01)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # Thai users type Buddhist-era years, and Excel keeps them as if they were Common-era years.
        text = f"{value.day}/{value.month}/{value.year}"
    else:
        text = normalize_code(value)
    try:
        return thaidate.parse_date(text)
    except ValueError:
        raise Invalid(DATE_INVALID, value=normalize_text(value)) from None


# --- Rows -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class LaoRow:
    sheet: str
    row: int
    code: str
    name_th: str
    province: str
    lao_type: str
    # None: the file has no such column, so the stored value stays as it is.
    name_en: str | None = None
    district: str | None = None
    effective_date: dt.date | None = None


@dataclass(slots=True)
class InstitutionRow:
    sheet: str
    row: int
    code: str
    name_th: str
    kind: str
    lao_code: str
    levels: frozenset[str]
    onesqa_code: str | None = None
    name_en: str | None = None
    district: str | None = None


@dataclass
class Layout:
    """Where each field sits in the rows of one table, and its header as written in the file."""

    kind: Any  # a RowKind here; other imports name their own kinds
    index: dict[str, int]
    names: dict[str, str]


def classify_header(header: Sequence[object]) -> RowKind | None:
    """The kind of table a header announces, by the columns only one kind has."""
    scores = dict.fromkeys(RowKind, 0)
    for cell in header:
        key = match_key(cell)
        owners = [kind for kind in RowKind if key and key in _HEADERS[kind]]
        if len(owners) == 1:
            scores[owners[0]] += 1
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


def _knows_any(header: Sequence[object]) -> bool:
    return any(match_key(cell) in _HEADERS[kind] for cell in header for kind in RowKind)


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
        text = normalize_text(cell)
        if column.field in index:
            errors.add(RowError(HEADER_DUPLICATE, {"other": names[column.field]}, 1, text, sheet))
            ok = False
            continue
        index[column.field] = position
        names[column.field] = text
    for column in columns:
        if column.required and column.field not in index:
            aliases = ", ".join(a for a in column.aliases if a != column.label)
            errors.add(
                RowError(
                    HEADER_MISSING, {"expected": column.label, "aliases": aliases}, 1, "", sheet
                )
            )
            ok = False
    return Layout(kind, index, names) if ok else None


def read_layout(
    kind: RowKind, header: Sequence[object], sheet: str, errors: ErrorList
) -> Layout | None:
    return layout_of(kind, COLUMNS[kind], _HEADERS[kind], header, sheet, errors)


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

    def optional_text(self, name: str, *, limit: int) -> str | None:
        if not self.present(name):
            return None
        return self.get(name, lambda v: clean_name(v, limit=limit)) or ""


def is_blank_row(cells: Sequence[object]) -> bool:
    return all(is_blank(cell) for cell in cells)


# --- Files ----------------------------------------------------------------------------------------

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_CONTROL_BYTES = frozenset(range(0, 32)) - {9, 10, 13}


def sniff(head: bytes) -> str:
    """What a file is, from its first bytes: the name and the browser's word are not trusted."""
    if not head:
        return "empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE2):
        return "xls"
    if head.lstrip(b"\r\n\t ").startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith(b"BM") and len(head) >= 14 and head[6:10] == b"\0\0\0\0":
        return "image"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if any(byte in _CONTROL_BYTES for byte in head[:4096]):
        return "binary"
    return "text"


@dataclass
class Table:
    sheet: str
    header: Sequence[object]
    rows: Callable[[], Iterator[Sequence[object]]]  # the data rows, from row 2
    estimate: int


def _guarded(rows: Iterator[Sequence[object]], msgid: str) -> Iterator[Sequence[object]]:
    """Rows of a damaged file end in one clear error instead of the library's exception."""
    row = 1
    while True:
        row += 1
        try:
            item = next(rows)
        except StopIteration:
            return
        except Unreadable:
            raise
        except UnicodeDecodeError:
            raise Unreadable(FILE_ENCODING) from None
        except csv.Error:
            raise Unreadable(FILE_CSV_BROKEN, row=row) from None
        except Exception:  # openpyxl raises many kinds of errors on a damaged sheet
            raise Unreadable(msgid, row=row) from None
        yield item


def _scan_text(source: IO[bytes]) -> tuple[str | None, int]:
    """The encoding of a CSV file and its number of lines, from one streamed pass."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    thai = codecs.getincrementaldecoder("cp874")()
    utf8_ok = thai_ok = True
    lines = 0
    while chunk := source.read(READ_BYTES):
        lines += chunk.count(b"\n")
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
        if thai_ok:
            try:
                thai.decode(chunk)
            except UnicodeDecodeError:
                thai_ok = False
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    source.seek(0)
    if utf8_ok:
        return "utf-8-sig", lines
    return ("cp874" if thai_ok else None), lines


def _text_lines(source: IO[bytes], encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    while chunk := source.read(READ_BYTES):
        pending += decoder.decode(chunk)
        *lines, pending = pending.split("\n")
        for line in lines:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _csv_tables(source: IO[bytes]) -> list[Table]:
    encoding, lines = _scan_text(source)
    if encoding is None:
        raise Unreadable(FILE_ENCODING)
    text = _guarded(iter(_text_lines(source, encoding)), FILE_ENCODING)
    first = next(text, "")
    if not normalize_text(first):
        raise Unreadable(FILE_EMPTY)
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    rows = _guarded(reader, FILE_CSV_BROKEN)
    header = next(rows, [])
    return [Table("", header, lambda: rows, max(lines - 1, 0))]


def _xlsx_tables(source: IO[bytes]) -> tuple[list[Table], Callable[[], None]]:
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # a damaged workbook fails in zipfile, XML parsing or openpyxl itself
        raise Unreadable(FILE_XLSX_BROKEN) from None
    tables = []
    for sheet in workbook.worksheets:
        estimate = max((sheet.max_row or 1) - 1, 0)
        # The size recorded in the file is not always right; without it every row is read.
        sheet.reset_dimensions()
        first = _guarded(sheet.iter_rows(min_row=1, max_row=1, values_only=True), FILE_XLSX_BROKEN)
        header = next(first, ())
        tables.append(
            Table(
                sheet.title,
                header,
                lambda sheet=sheet: _guarded(
                    sheet.iter_rows(min_row=2, values_only=True), FILE_XLSX_BROKEN
                ),
                estimate,
            )
        )
    return tables, workbook.close


def file_format(source: IO[bytes]) -> str:
    """ "xlsx" or "csv", from the first bytes and a zip's index; Unreadable for anything else.

    Cheap enough to run on an upload before any job is queued (the import pages and the API do),
    so that a PDF or an image is refused at once; the import runs it again on the stored file.
    """
    head = source.read(4096)
    source.seek(0)
    kind = sniff(head)
    if kind == "empty":
        raise Unreadable(FILE_EMPTY)
    if kind == "pdf":
        raise Unreadable(FILE_PDF)
    if kind == "image":
        raise Unreadable(FILE_IMAGE)
    if kind == "xls":
        raise Unreadable(FILE_XLS)
    if kind == "utf16":
        raise Unreadable(FILE_ENCODING)
    if kind == "binary":
        raise Unreadable(FILE_NOT_TABLE)
    if kind == "zip":
        try:
            with zipfile.ZipFile(source) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            raise Unreadable(FILE_XLSX_BROKEN) from None
        finally:
            source.seek(0)
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names or b"spreadsheet" in mimetype:
            raise Unreadable(FILE_OTHER_SPREADSHEET)
        raise Unreadable(FILE_ZIP)
    return "csv"


def open_tables(source: IO[bytes]) -> tuple[str, list[Table], Callable[[], None]]:
    if file_format(source) == "xlsx":
        tables, close = _xlsx_tables(source)
        return "xlsx", tables, close
    return "csv", _csv_tables(source), no_op


def no_op() -> None:
    return None


# --- Reading and checking the whole file ----------------------------------------------------------


@dataclass
class Checked:
    """A file read and checked: its rows, ready to write, or its errors."""

    file_format: str = ""
    laos: list[LaoRow] = field(default_factory=list)
    institutions: list[InstitutionRow] = field(default_factory=list)
    errors: ErrorList = field(default_factory=ErrorList)
    # Institutions of the file whose current ONESQA code passes to another row of the file.
    onesqa_released: set[str] = field(default_factory=set)


def chunks(items: Iterable[T], size: int = CHUNK_ROWS) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class _Checker:
    def __init__(self, progress: Progress | None) -> None:
        self.checked = Checked()
        self.errors = self.checked.errors
        self.progress = progress
        self.total = 0
        self.done = 0
        provinces = list(Province.objects.values_list("code", "name_th", "name_en"))
        self.province_codes = frozenset(code for code, _th, _en in provinces)
        self.provinces = province_lookup(provinces)
        self.lao_rows: dict[str, tuple[str, int]] = {}
        self.institution_rows: dict[str, tuple[str, int]] = {}
        self.onesqa_rows: dict[str, tuple[str, str, int, str]] = {}
        self.onesqa_of: dict[str, str] = {}
        self.lao_refs: dict[str, list[tuple[str, int, str]]] = defaultdict(list)

    def tick(self) -> None:
        self.done += 1
        if self.done > MAX_ROWS:
            raise Unreadable(FILE_TOO_MANY_ROWS, limit=MAX_ROWS)
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            # Reading is the first half of the work; writing is the second.
            self.progress(self.done, 2 * max(self.total, self.done))

    def duplicate(
        self, cells: Cells, name: str, value: str, first: tuple[str, int], kind: str
    ) -> None:
        sheet, row = first
        if sheet == cells.sheet:
            msgid = DUPLICATE_CODE if kind == "code" else DUPLICATE_ONESQA
            cells.fail(name, msgid, value=value, other=row)
        else:
            msgid = DUPLICATE_CODE_SHEET if kind == "code" else DUPLICATE_ONESQA_SHEET
            cells.fail(name, msgid, value=value, other=row, sheet=sheet)

    def read_lao(self, cells: Cells) -> None:
        code = cells.get("code", lambda v: parse_lao_code(v, self.province_codes), required=True)
        name_th = cells.get("name_th", clean_name, required=True)
        province = cells.get("province", lambda v: parse_province(v, self.provinces), required=True)
        lao_type = cells.get("lao_type", parse_lao_type, required=True)
        name_en = cells.optional_text("name_en", limit=255)
        district = cells.optional_text("district", limit=100)
        effective_date = cells.get("type_effective_date", parse_date)
        if code is not None:
            first = self.lao_rows.setdefault(code, (cells.sheet, cells.row))
            if first != (cells.sheet, cells.row):
                self.duplicate(cells, "code", code, first, "code")
        if cells.ok:
            self.checked.laos.append(
                LaoRow(
                    cells.sheet,
                    cells.row,
                    code,
                    name_th,
                    province,
                    lao_type,
                    name_en=name_en,
                    district=district,
                    effective_date=effective_date,
                )
            )

    def read_institution(self, cells: Cells) -> None:
        code = cells.get("code", parse_institution_code, required=True)
        onesqa_code = cells.get("onesqa_code", parse_onesqa_code)
        if (
            onesqa_code is None
            and cells.present("onesqa_code")
            and is_blank(cells.raw("onesqa_code"))
        ):
            onesqa_code = ""
        name_th = cells.get("name_th", clean_name, required=True)
        kind = cells.get("kind", parse_kind, required=True)
        lao_code = cells.get(
            "lao_code", lambda v: _digits_code(v, 7, LAO_CODE_SHAPE), required=True
        )
        levels = cells.get("levels", parse_levels, required=True)
        name_en = cells.optional_text("name_en", limit=255)
        district = cells.optional_text("district", limit=100)
        if code is not None:
            first = self.institution_rows.setdefault(code, (cells.sheet, cells.row))
            if first != (cells.sheet, cells.row):
                self.duplicate(cells, "code", code, first, "code")
            if onesqa_code is not None:
                self.onesqa_of[code] = onesqa_code
        if onesqa_code and code is not None:
            column = cells.layout.names["onesqa_code"]
            claim = self.onesqa_rows.setdefault(onesqa_code, (code, cells.sheet, cells.row, column))
            if claim[0] != code:
                self.duplicate(cells, "onesqa_code", onesqa_code, (claim[1], claim[2]), "onesqa")
        if lao_code is not None and lao_code not in self.lao_rows:
            self.lao_refs[lao_code].append((cells.sheet, cells.row, cells.layout.names["lao_code"]))
        if cells.ok:
            self.checked.institutions.append(
                InstitutionRow(
                    cells.sheet,
                    cells.row,
                    code,
                    name_th,
                    kind,
                    lao_code,
                    levels,
                    onesqa_code=onesqa_code,
                    name_en=name_en,
                    district=district,
                )
            )

    def read_table(self, table: Table, layout: Layout) -> int:
        reader = self.read_lao if layout.kind is RowKind.LAO else self.read_institution
        rows = 0
        for number, cells in enumerate(table.rows(), start=2):
            if is_blank_row(cells):
                continue
            rows += 1
            self.tick()
            reader(Cells(layout, cells, number, table.sheet, self.errors))
        return rows

    def check_lao_references(self) -> None:
        """Institutions whose LAO is in neither the file nor the database."""
        for chunk in chunks(list(self.lao_refs)):
            known = set(
                LocalAuthority.objects.filter(code__in=chunk).values_list("code", flat=True)
            )
            for code in chunk:
                if code in known:
                    continue
                for sheet, row, column in self.lao_refs[code]:
                    self.errors.add(RowError(LAO_NOT_FOUND, {"value": code}, row, column, sheet))

    def check_onesqa_codes(self) -> None:
        """An ONESQA code claimed in the file but held by another institution that keeps it."""
        for chunk in chunks(list(self.onesqa_rows)):
            holders = Institution.objects.filter(onesqa_code__in=chunk).values_list(
                "onesqa_code", "code", "name_th"
            )
            for onesqa_code, holder, holder_name in holders:
                claimant, sheet, row, column = self.onesqa_rows[onesqa_code]
                if holder == claimant:
                    continue
                if holder in self.onesqa_of and self.onesqa_of[holder] != onesqa_code:
                    self.checked.onesqa_released.add(holder)
                    continue
                self.errors.add(
                    RowError(
                        ONESQA_TAKEN,
                        {"value": onesqa_code, "other": f"{holder} {holder_name}"},
                        row,
                        column,
                        sheet,
                    )
                )


def check_file(source: IO[bytes], *, progress: Progress | None = None) -> Checked:
    """Read and check a whole registry file without writing anything."""
    checker = _Checker(progress)
    checked, errors = checker.checked, checker.errors
    close: Callable[[], None] = no_op
    sheets: dict[str, int] = {}
    try:
        checked.file_format, tables, close = open_tables(source)
        sheets = {table.sheet: number for number, table in enumerate(tables)}
        layouts: list[tuple[Table, Layout]] = []
        recognised = 0
        for table in tables:
            if not _knows_any(table.header):
                if checked.file_format == "csv":
                    raise Unreadable(FILE_EMPTY if is_blank_row(table.header) else HEADER_UNKNOWN)
                continue  # a sheet of notes or lookups beside the registry
            recognised += 1
            kind = classify_header(table.header)
            if kind is None:
                errors.add(RowError(HEADER_UNKNOWN, row=1, sheet=table.sheet))
                continue
            layout = read_layout(kind, table.header, table.sheet, errors)
            if layout is not None:
                layouts.append((table, layout))
        if not recognised:
            all_empty = all(is_blank_row(table.header) for table in tables)
            raise Unreadable(FILE_EMPTY if all_empty else FILE_NO_TABLE)
        # Sheets with a good header are still read, so that one upload shows every error.
        header_errors = bool(errors)
        checker.total = sum(table.estimate for table, _layout in layouts)
        # LAOs first, so that institutions may name LAOs created by the same file.
        layouts.sort(key=lambda item: item[1].kind is not RowKind.LAO)
        rows = sum(checker.read_table(table, layout) for table, layout in layouts)
        if not rows and not errors:
            raise Unreadable(FILE_NO_DATA)
        if not header_errors:
            # With an unreadable LAO sheet every institution would miss its LAO: one error is enough.
            checker.check_lao_references()
        checker.check_onesqa_codes()
    except Unreadable as exc:
        errors.add(exc.error)
    finally:
        close()
    errors.items.sort(key=lambda e: (e.row is not None, sheets.get(e.sheet, 0), e.row or 0))
    return checked


# --- Writing --------------------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class FileImportResult:
    """The outcome of an all-or-nothing file import; subclasses say what they counted."""

    filename: str
    dry_run: bool = False
    file_format: str = ""
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def counted(self) -> list[tuple[str, str, Counts]]:
        """(key, label msgid, counts) of each kind of row written."""
        raise NotImplementedError

    def extra_facts(self) -> list[tuple[str, int]]:
        """(label msgid, number) shown besides the counts."""
        return []

    def summary_lines(self) -> list[str]:
        """What happened, in the active language: for the command and the logs."""
        if not self.ok:
            return [
                ngettext(
                    "The file %(file)s was refused: %(count)s error. Nothing was changed.",
                    "The file %(file)s was refused: %(count)s errors. Nothing was changed.",
                    self.error_count,
                )
                % {"file": self.filename, "count": self.error_count}
            ]
        lines = [gettext(NOTE_DRY_RUN)] if self.dry_run else []
        for _key, label, counts in self.counted():
            lines.append(
                gettext(
                    "%(what)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
                )
                % {"what": gettext(label), **counts.as_dict()}
            )
        for label, value in self.extra_facts():
            lines.append(gettext("%(what)s: %(n)s") % {"what": gettext(label), "n": value})
        return lines

    def as_job_result(self) -> dict[str, Any]:
        """The result as a job page shows it: labels are msgids, translated when shown."""
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "note": NOTE_DRY_RUN if self.dry_run and self.ok else "",
            "format": self.file_format,
            "table": {
                "columns": [LABEL_CREATED, LABEL_UPDATED, LABEL_UNCHANGED],
                "rows": [
                    {"label": label, "values": list(counts.as_dict().values())}
                    for _key, label, counts in self.counted()
                ],
            },
            "facts": [
                {"label": LABEL_FILE, "value": self.filename},
                *({"label": label, "value": value} for label, value in self.extra_facts()),
            ],
            "counts": {key: counts.as_dict() for key, _label, counts in self.counted()},
            "error_count": self.error_count,
        }


@dataclass
class ImportResult(FileImportResult):
    laos: Counts = field(default_factory=Counts)
    institutions: Counts = field(default_factory=Counts)
    type_changes: int = 0

    def counted(self) -> list[tuple[str, str, Counts]]:
        return [
            ("laos", LABEL_LAOS, self.laos),
            ("institutions", LABEL_INSTITUTIONS, self.institutions),
        ]

    def extra_facts(self) -> list[tuple[str, int]]:
        return [(LABEL_TYPE_CHANGES, self.type_changes)]


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def apply_values(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the values that differ; return them as {field: [old, new]}."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


def _ensure_pks(model: Any, objs: list[Any]) -> None:
    # Databases that cannot return ids from a bulk insert leave pk unset.
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        ids = dict(
            model.objects.filter(code__in=[o.code for o in missing]).values_list("code", "pk")
        )
        for obj in missing:
            obj.pk = ids[obj.code]


class _Writer:
    def __init__(self, *, actor: Any, filename: str, result: ImportResult) -> None:
        self.actor = _person(actor)
        self.filename = filename
        self.result = result
        self.now = timezone.now()

    def event(
        self, action: str, obj: Any, changes: dict[str, list[Any]] | None = None
    ) -> AuditEvent:
        data: dict[str, Any] = {"source": AUDIT_SOURCE, "file": self.filename}
        if changes:
            data["changes"] = {name: [str(v) for v in pair] for name, pair in changes.items()}
        return audit.build(action=action, actor=self.actor, obj=obj, data=data)

    def type_change(self, lao: LocalAuthority, from_type: str, row: LaoRow) -> LaoTypeChange:
        return LaoTypeChange(
            lao=lao,
            from_type=from_type,
            to_type=row.lao_type,
            effective_date=row.effective_date,
            recorded_at=self.now,
            recorded_by=self.actor,
            source=AUDIT_SOURCE,
        )

    def write_laos(self, rows: list[LaoRow]) -> None:
        counts = self.result.laos
        fields = ["name_th", "name_en", "lao_type", "province_id", "district", "updated_at"]
        for chunk in chunks(rows):
            existing = LocalAuthority.objects.in_bulk([r.code for r in chunk], field_name="code")
            new: list[tuple[LocalAuthority, LaoRow]] = []
            changed: list[LocalAuthority] = []
            history: list[LaoTypeChange] = []
            events: list[AuditEvent] = []
            for row in chunk:
                values: dict[str, Any] = {
                    "name_th": row.name_th,
                    "lao_type": row.lao_type,
                    "province_id": row.province,
                }
                if row.name_en is not None:
                    values["name_en"] = row.name_en
                if row.district is not None:
                    values["district"] = row.district
                lao = existing.get(row.code)
                if lao is None:
                    lao = LocalAuthority(code=row.code, created_at=self.now, updated_at=self.now)
                    apply_values(lao, values)
                    new.append((lao, row))
                    continue
                old_type = lao.lao_type
                changes = apply_values(lao, values)
                if not changes:
                    counts.unchanged += 1
                    continue
                if "lao_type" in changes:
                    history.append(self.type_change(lao, old_type, row))
                lao.updated_at = self.now
                changed.append(lao)
                events.append(self.event("lao.updated", lao, changes))
            LocalAuthority.objects.bulk_create([lao for lao, _row in new])
            _ensure_pks(LocalAuthority, [lao for lao, _row in new])
            for lao, row in new:
                history.append(self.type_change(lao, "", row))
                events.append(self.event("lao.created", lao))
            if changed:
                LocalAuthority.objects.bulk_update(changed, fields)
            LaoTypeChange.objects.bulk_create(history)
            AuditEvent.objects.bulk_create(events)
            counts.created += len(new)
            counts.updated += len(changed)
            self.result.type_changes += sum(1 for h in history if h.from_type)

    def release_onesqa_codes(self, codes: set[str]) -> dict[str, str]:
        """Clear codes that move between institutions, so that no moment holds one code twice."""
        released: dict[str, str] = {}
        for chunk in chunks(sorted(codes)):
            released.update(
                Institution.objects.filter(code__in=chunk).values_list("code", "onesqa_code")
            )
            Institution.objects.filter(code__in=chunk).update(onesqa_code="")
        return released

    def write_institutions(self, rows: list[InstitutionRow], released: dict[str, str]) -> None:
        counts = self.result.institutions
        fields = [
            "name_th",
            "name_en",
            "onesqa_code",
            "kind",
            "lao_id",
            "teaches_early_childhood",
            "teaches_basic",
            "teaches_vocational",
            "district",
            "updated_at",
        ]
        for chunk in chunks(rows):
            lao_ids = dict(
                LocalAuthority.objects.filter(code__in={r.lao_code for r in chunk}).values_list(
                    "code", "pk"
                )
            )
            existing = {
                inst.code: inst
                for inst in Institution.objects.filter(code__in=[r.code for r in chunk]).annotate(
                    current_lao_code=F("lao__code")
                )
            }
            new: list[Institution] = []
            changed: list[Institution] = []
            events: list[AuditEvent] = []
            for row in chunk:
                values: dict[str, Any] = {
                    "name_th": row.name_th,
                    "kind": row.kind,
                    "lao_id": lao_ids[row.lao_code],
                    "teaches_early_childhood": EducationLevel.EARLY_CHILDHOOD in row.levels,
                    "teaches_basic": EducationLevel.BASIC in row.levels,
                    "teaches_vocational": EducationLevel.VOCATIONAL in row.levels,
                }
                for name in ("onesqa_code", "name_en", "district"):
                    if getattr(row, name) is not None:
                        values[name] = getattr(row, name)
                inst = existing.get(row.code)
                if inst is None:
                    inst = Institution(code=row.code, created_at=self.now, updated_at=self.now)
                    apply_values(inst, values)
                    new.append(inst)
                    continue
                if row.code in released:
                    inst.onesqa_code = released[row.code]
                changes = apply_values(inst, values)
                if not changes:
                    counts.unchanged += 1
                    continue
                if "lao_id" in changes:
                    changes["lao"] = [inst.current_lao_code, row.lao_code]
                    del changes["lao_id"]
                inst.updated_at = self.now
                changed.append(inst)
                events.append(self.event("institution.updated", inst, changes))
            Institution.objects.bulk_create(new)
            _ensure_pks(Institution, new)
            events.extend(self.event("institution.created", inst) for inst in new)
            if changed:
                Institution.objects.bulk_update(changed, fields)
            AuditEvent.objects.bulk_create(events)
            counts.created += len(new)
            counts.updated += len(changed)


def import_registry(
    *,
    source: IO[bytes],
    filename: str,
    actor: User | None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check a registry file and, if every row is good, create or update its LAOs and institutions.

    A file with any bad row changes nothing; a dry run checks and counts, then rolls back.
    """
    checked = check_file(source, progress=progress)
    result = ImportResult(filename=filename, dry_run=dry_run, file_format=checked.file_format)
    if checked.errors:
        result.errors = checked.errors.items
        result.error_count = checked.errors.count
        return result
    if progress is not None:
        rows = len(checked.laos) + len(checked.institutions)
        progress(rows, 2 * rows)
    writer = _Writer(actor=actor, filename=filename, result=result)
    try:
        with transaction.atomic():
            writer.write_laos(checked.laos)
            released = writer.release_onesqa_codes(checked.onesqa_released)
            writer.write_institutions(checked.institutions, released)
            audit.record(
                action="registry.imported",
                actor=actor,
                data={
                    "file": filename,
                    "format": checked.file_format,
                    "laos": result.laos.as_dict(),
                    "institutions": result.institutions.as_dict(),
                    "type_changes": result.type_changes,
                },
            )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        # Another import or an edit won a race between the check and the write.
        result.laos, result.institutions, result.type_changes = Counts(), Counts(), 0
        result.errors = [RowError(REGISTRY_CHANGED)]
        result.error_count = 1
    return result


def build_template() -> bytes:
    """An .xlsx with one sheet per kind: the Thai headers and one example row each."""
    workbook = openpyxl.Workbook()
    for number, kind in enumerate(RowKind):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = SHEET_TITLES[kind]
        columns = COLUMNS[kind]
        sheet.append([column.label for column in columns])
        sheet.append([TEMPLATE_EXAMPLES[kind].get(column.field, "") for column in columns])
        for position, column in enumerate(columns, start=1):
            letter = openpyxl.utils.get_column_letter(position)
            sheet.column_dimensions[letter].width = max(14, len(column.label) + 6)
            sheet.cell(row=1, column=position).font = Font(bold=True)
            if "code" in column.field or column.field == "type_effective_date":
                # Text cells keep codes and Buddhist-era dates exactly as typed.
                sheet.cell(row=2, column=position).number_format = "@"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
