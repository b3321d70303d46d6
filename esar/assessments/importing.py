"""Import of ONESQA's external assessments from an Excel .xlsx or a CSV file.

Built on the registry import (`esar.organizations.importing`): the same streaming readers, the
same refusals of files that are not tables, the same errors named by sheet, row and column, and
the same all-or-nothing rule. A row names its institution by MOE code or ONESQA code and gives the
date of the assessment; rows are matched to stored assessments by (institution, date), so a file
imported twice changes nothing. Views, the management command and the Celery task all call
`import_assessments`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import openpyxl
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from openpyxl.styles import Font

from esar.accounts.scoping import visible
from esar.assessments.models import ExternalAssessment
from esar.core import audit, thaidate
from esar.core.models import AuditEvent
from esar.core.text import normalize_code
from esar.organizations.importing import (
    FILE_EMPTY,
    FILE_IMAGE,
    FILE_NO_DATA,
    FILE_NOT_TABLE,
    FILE_PDF,
    FILE_TOO_MANY_ROWS,
    FILE_ZIP,
    MAX_ROWS,
    PROGRESS_EVERY,
    Cells,
    Column,
    Counts,
    ErrorList,
    FileImportResult,
    Invalid,
    Layout,
    RowError,
    Table,
    Unreadable,
    apply_values,
    cell_text,
    chunks,
    clean_name,
    header_lookup,
    is_blank,
    is_blank_row,
    layout_of,
    match_key,
    no_op,
    open_tables,
    parse_date,
    parse_institution_code,
    parse_onesqa_code,
)
from esar.organizations.importing import (
    file_format as registry_file_format,
)
from esar.organizations.models import Institution

if TYPE_CHECKING:
    from esar.accounts.models import User

Progress = Callable[[int, int], None]
KIND = "external_assessment"
AUDIT_SOURCE = "import"
FISCAL_YEAR_RANGE = (2500, 2700)

COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "รหัสสถานศึกษา",
        (
            "code",
            "moe_code",
            "school_code",
            "institution_code",
            "รหัสสถานศึกษา",
            "รหัสโรงเรียน",
            "รหัส 10 หลัก",
        ),
    ),
    Column("onesqa_code", "รหัส สมศ.", ("onesqa_code", "onesqa", "รหัส สมศ.", "รหัสสถานศึกษา สมศ.")),
    Column("round", "รอบการประเมิน", ("round", "รอบ", "รอบที่", "รอบการประเมิน")),
    Column("fiscal_year", "ปีงบประมาณ", ("fiscal_year", "fiscal year", "ปีงบประมาณ", "ปีงบ")),
    Column(
        "assessed_on",
        "วันที่ประเมิน",
        ("assessed_on", "assessment_date", "date", "วันที่ประเมิน", "วันที่รับการประเมิน", "วันที่"),
        required=True,
    ),
    Column("result", "ผลการประเมิน", ("result", "ผลการประเมิน", "ผล", "ระดับคุณภาพ")),
)
CODE_COLUMNS = ("code", "onesqa_code")
SHEET_TITLE = "การประเมินภายนอก"
TEMPLATE_EXAMPLE = {
    "code": "3050000001",
    "onesqa_code": "",
    "round": "4",
    "fiscal_year": "2561",
    "assessed_on": "20/1/2561",
    "result": "ดีมาก",
}
_HEADERS = header_lookup(COLUMNS)

# --- Messages: English msgids, translated when shown ----------------------------------------------

FILE_PDF_ASSESSMENTS = gettext_noop(
    "This is a PDF file, not a table. Upload the external assessments as .xlsx or .csv."
)
FILE_IMAGE_ASSESSMENTS = gettext_noop(
    "This is an image, not a table. Upload the external assessments as .xlsx or .csv."
)
FILE_ZIP_ASSESSMENTS = gettext_noop(
    "This is a zip archive, not a table. Upload the external assessments as .xlsx or .csv."
)
FILE_NOT_TABLE_ASSESSMENTS = gettext_noop(
    "This file is neither an Excel .xlsx workbook nor a CSV text file. Save the external "
    "assessments as .xlsx or .csv."
)
FILE_NO_TABLE_ASSESSMENTS = gettext_noop(
    "No sheet has the header of an external-assessment table in row 1. Use the column names of "
    "the template."
)
HEADER_UNKNOWN_ASSESSMENTS = gettext_noop(
    "The header in row 1 is not that of an external-assessment table. Use the column names of "
    "the template."
)
HEADER_NO_CODE = gettext_noop(
    "The header in row 1 has neither a column “%(code)s” nor a column “%(onesqa)s”. Add one of "
    "them to name the institutions."
)
CODE_REQUIRED = gettext_noop("Give the institution's MOE code or its ONESQA code.")
INSTITUTION_UNKNOWN = gettext_noop("No institution in the registry has the MOE code %(value)s.")
ONESQA_UNKNOWN = gettext_noop("No institution in the registry has the ONESQA code %(value)s.")
CODES_DISAGREE = gettext_noop(
    "The MOE code %(code)s and the ONESQA code %(value)s belong to two different institutions."
)
FISCAL_YEAR_INVALID = gettext_noop(
    "“%(value)s” is not a fiscal year. Write the year in the Buddhist era, for example 2566."
)
DATE_IN_FUTURE = gettext_noop("The assessment date %(date)s has not come yet.")
DUPLICATE_ASSESSMENT = gettext_noop(
    "The assessment of this institution on %(date)s is also in row %(other)s."
)
DUPLICATE_ASSESSMENT_SHEET = gettext_noop(
    "The assessment of this institution on %(date)s is also in sheet “%(sheet)s”, row %(other)s."
)
ASSESSMENTS_CHANGED = gettext_noop(
    "The external assessments changed while this file was being imported. Nothing was saved: "
    "import the file again."
)

LABEL_ASSESSMENTS = gettext_noop("External assessments")
LABEL_INSTITUTIONS = gettext_noop("Institutions in the file")
LABEL_CREATED = gettext_noop("Created")
LABEL_UPDATED = gettext_noop("Updated")
LABEL_UNCHANGED = gettext_noop("Unchanged")
LABEL_FILE = gettext_noop("File")

# The reader's refusals speak of "the registry"; here the file holds assessments.
_REWORDED = {
    FILE_PDF: FILE_PDF_ASSESSMENTS,
    FILE_IMAGE: FILE_IMAGE_ASSESSMENTS,
    FILE_ZIP: FILE_ZIP_ASSESSMENTS,
    FILE_NOT_TABLE: FILE_NOT_TABLE_ASSESSMENTS,
}


def file_format(source: IO[bytes]) -> str:
    """`esar.organizations.importing.file_format`, its refusals speaking of assessments."""
    try:
        return registry_file_format(source)
    except Unreadable as exc:
        error = exc.error
        raise Unreadable(_REWORDED.get(error.msgid, error.msgid), **error.params) from None


# --- Values ---------------------------------------------------------------------------------------


def parse_fiscal_year(value: object) -> int:
    text = normalize_code(cell_text(value))
    if not (text.isascii() and text.isdigit()):
        raise Invalid(FISCAL_YEAR_INVALID, value=text)
    year = int(text)
    if not FISCAL_YEAR_RANGE[0] <= year <= FISCAL_YEAR_RANGE[1]:
        raise Invalid(FISCAL_YEAR_INVALID, value=text)
    return year


def _clean_text(limit: int) -> Callable[[object], str]:
    return lambda value: clean_name(value, limit=limit)


# --- Rows -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class AssessmentRow:
    sheet: str
    row: int
    assessed_on: dt.date | None
    moe_code: str | None
    onesqa_code: str | None
    # Only the columns the file has: a column left out keeps the stored values.
    values: dict[str, Any]
    ok: bool = True  # False: the row has errors already and is only checked for its institution
    institution_id: int | None = None


@dataclass
class Checked:
    file_format: str = ""
    rows: list[AssessmentRow] = field(default_factory=list)
    errors: ErrorList = field(default_factory=ErrorList)


def _knows_any(header: Sequence[object]) -> bool:
    return any(match_key(cell) in _HEADERS for cell in header)


def _layout(header: Sequence[object], sheet: str, errors: ErrorList) -> Layout | None:
    layout = layout_of(KIND, COLUMNS, _HEADERS, header, sheet, errors)
    if layout is not None and not any(name in layout.index for name in CODE_COLUMNS):
        code, onesqa = (column.label for column in COLUMNS[:2])
        errors.add(RowError(HEADER_NO_CODE, {"code": code, "onesqa": onesqa}, 1, "", sheet))
        return None
    return layout


class _Checker:
    def __init__(self, actor: Any, progress: Progress | None) -> None:
        self.checked = Checked()
        self.errors = self.checked.errors
        self.actor = actor
        self.progress = progress
        self.total = 0
        self.done = 0
        self.today = timezone.localdate()
        # The headers of each good row's table, to name columns in errors found after reading.
        self.names: dict[tuple[str, int], dict[str, str]] = {}

    def tick(self) -> None:
        self.done += 1
        if self.done > MAX_ROWS:
            raise Unreadable(FILE_TOO_MANY_ROWS, limit=MAX_ROWS)
        if self.progress is not None and self.done % PROGRESS_EVERY == 0:
            self.progress(self.done, 2 * max(self.total, self.done))

    def read_row(self, cells: Cells) -> None:
        moe_code = cells.get("code", parse_institution_code)
        onesqa_code = cells.get("onesqa_code", parse_onesqa_code)
        blank_codes = all(
            not cells.present(name) or is_blank(cells.raw(name)) for name in CODE_COLUMNS
        )
        if blank_codes:
            cells.fail("code" if cells.present("code") else "onesqa_code", CODE_REQUIRED)
        assessed_on = cells.get("assessed_on", parse_date, required=True)
        if assessed_on is not None and assessed_on > self.today:
            cells.fail("assessed_on", DATE_IN_FUTURE, date=thaidate.format_input_date(assessed_on))
        values: dict[str, Any] = {}
        if cells.present("round"):
            values["round"] = cells.get("round", _clean_text(40)) or ""
        if cells.present("fiscal_year"):
            values["fiscal_year"] = cells.get("fiscal_year", parse_fiscal_year)
        if cells.present("result"):
            values["result"] = cells.get("result", _clean_text(255)) or ""
        if moe_code is not None or onesqa_code is not None:
            # Kept even with other errors, so that an unknown institution is reported too.
            self.checked.rows.append(
                AssessmentRow(
                    cells.sheet,
                    cells.row,
                    assessed_on,
                    moe_code,
                    onesqa_code,
                    values=values,
                    ok=cells.ok,
                )
            )
            self.names[(cells.sheet, cells.row)] = cells.layout.names

    def read_table(self, table: Table, layout: Layout) -> int:
        rows = 0
        for number, cells in enumerate(table.rows(), start=2):
            if is_blank_row(cells):
                continue
            rows += 1
            self.tick()
            self.read_row(Cells(layout, cells, number, table.sheet, self.errors))
        return rows

    def _institutions(self) -> Any:
        queryset = Institution.objects.all()
        return visible(self.actor, queryset) if self.actor is not None else queryset

    def resolve(self) -> None:
        """Find each row's institution, then refuse a second row of the same institution and date."""
        rows = self.checked.rows
        by_code: dict[str, int] = {}
        by_onesqa: dict[str, int] = {}
        for chunk in chunks(sorted({r.moe_code for r in rows if r.moe_code})):
            by_code.update(self._institutions().filter(code__in=chunk).values_list("code", "pk"))
        for chunk in chunks(sorted({r.onesqa_code for r in rows if r.onesqa_code})):
            by_onesqa.update(
                self._institutions().filter(onesqa_code__in=chunk).values_list("onesqa_code", "pk")
            )
        good: list[AssessmentRow] = []
        first: dict[tuple[int, dt.date], AssessmentRow] = {}
        for row in rows:
            names = self.names[(row.sheet, row.row)]
            found_by_code = by_code.get(row.moe_code) if row.moe_code else None
            found_by_onesqa = by_onesqa.get(row.onesqa_code) if row.onesqa_code else None
            problem: RowError | None = None
            if row.moe_code and found_by_code is None:
                problem = RowError(
                    INSTITUTION_UNKNOWN, {"value": row.moe_code}, row.row, names["code"], row.sheet
                )
            elif row.onesqa_code and found_by_onesqa is None:
                problem = RowError(
                    ONESQA_UNKNOWN,
                    {"value": row.onesqa_code},
                    row.row,
                    names["onesqa_code"],
                    row.sheet,
                )
            elif found_by_code and found_by_onesqa and found_by_code != found_by_onesqa:
                problem = RowError(
                    CODES_DISAGREE,
                    {"code": row.moe_code, "value": row.onesqa_code},
                    row.row,
                    names["onesqa_code"],
                    row.sheet,
                )
            if problem is not None:
                self.errors.add(problem)
                continue
            row.institution_id = found_by_code or found_by_onesqa
            if not row.ok:
                continue
            key = (row.institution_id, row.assessed_on)
            earlier = first.setdefault(key, row)
            if earlier is not row:
                date = thaidate.format_input_date(row.assessed_on)
                if earlier.sheet == row.sheet:
                    self.errors.add(
                        RowError(
                            DUPLICATE_ASSESSMENT,
                            {"date": date, "other": earlier.row},
                            row.row,
                            names["assessed_on"],
                            row.sheet,
                        )
                    )
                else:
                    self.errors.add(
                        RowError(
                            DUPLICATE_ASSESSMENT_SHEET,
                            {"date": date, "other": earlier.row, "sheet": earlier.sheet},
                            row.row,
                            names["assessed_on"],
                            row.sheet,
                        )
                    )
                continue
            good.append(row)
        self.checked.rows = good


def check_file(
    source: IO[bytes], *, actor: Any = None, progress: Progress | None = None
) -> Checked:
    """Read and check a whole file of external assessments without writing anything."""
    checker = _Checker(actor, progress)
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
                    blank = is_blank_row(table.header)
                    raise Unreadable(FILE_EMPTY if blank else HEADER_UNKNOWN_ASSESSMENTS)
                continue  # a sheet of notes beside the table
            recognised += 1
            layout = _layout(table.header, table.sheet, errors)
            if layout is not None:
                layouts.append((table, layout))
        if not recognised:
            all_empty = all(is_blank_row(table.header) for table in tables)
            raise Unreadable(FILE_EMPTY if all_empty else FILE_NO_TABLE_ASSESSMENTS)
        checker.total = sum(table.estimate for table, _layout in layouts)
        rows = sum(checker.read_table(table, layout) for table, layout in layouts)
        if not rows and not errors:
            raise Unreadable(FILE_NO_DATA)
        checker.resolve()
    except Unreadable as exc:
        error = exc.error
        errors.add(RowError(_REWORDED.get(error.msgid, error.msgid), error.params))
    finally:
        close()
    if errors:
        checked.rows = []
    errors.items.sort(key=lambda e: (e.row is not None, sheets.get(e.sheet, 0), e.row or 0))
    return checked


# --- Writing --------------------------------------------------------------------------------------


@dataclass
class ImportResult(FileImportResult):
    assessments: Counts = field(default_factory=Counts)
    institutions: int = 0

    def counted(self) -> list[tuple[str, str, Counts]]:
        return [("assessments", LABEL_ASSESSMENTS, self.assessments)]

    def extra_facts(self) -> list[tuple[str, int]]:
        return [(LABEL_INSTITUTIONS, self.institutions)]


def _event(action: str, obj: ExternalAssessment, actor: Any, filename: str, **data: Any) -> Any:
    return audit.build(
        action=action,
        actor=actor,
        obj=obj,
        data={"source": AUDIT_SOURCE, "file": filename, **data},
    )


def _write(rows: list[AssessmentRow], *, actor: Any, filename: str, counts: Counts) -> None:
    now = timezone.now()
    for chunk in chunks(rows):
        existing = {
            (a.institution_id, a.assessed_on): a
            for a in ExternalAssessment.objects.filter(
                institution_id__in={r.institution_id for r in chunk},
                assessed_on__in={r.assessed_on for r in chunk},
            )
        }
        new: list[ExternalAssessment] = []
        changed: list[ExternalAssessment] = []
        events: list[AuditEvent] = []
        for row in chunk:
            assessment = existing.get((row.institution_id, row.assessed_on))
            if assessment is None:
                assessment = ExternalAssessment(
                    institution_id=row.institution_id,
                    assessed_on=row.assessed_on,
                    created_at=now,
                    updated_at=now,
                )
                apply_values(assessment, row.values)
                new.append(assessment)
                continue
            changes = apply_values(assessment, row.values)
            if not changes:
                counts.unchanged += 1
                continue
            assessment.updated_at = now
            changed.append(assessment)
            events.append(
                _event(
                    "external_assessment.updated",
                    assessment,
                    actor,
                    filename,
                    changes={name: [str(v) for v in pair] for name, pair in changes.items()},
                )
            )
        ExternalAssessment.objects.bulk_create(new)
        if any(a.pk is None for a in new):
            # Databases that cannot return ids from a bulk insert leave pk unset.
            ids = {
                (a.institution_id, a.assessed_on): a.pk
                for a in ExternalAssessment.objects.filter(
                    institution_id__in={a.institution_id for a in new},
                    assessed_on__in={a.assessed_on for a in new},
                )
            }
            for assessment in new:
                assessment.pk = ids[(assessment.institution_id, assessment.assessed_on)]
        events.extend(
            _event("external_assessment.created", assessment, actor, filename) for assessment in new
        )
        if changed:
            ExternalAssessment.objects.bulk_update(
                changed, ["round", "fiscal_year", "result", "updated_at"]
            )
        AuditEvent.objects.bulk_create(events)
        counts.created += len(new)
        counts.updated += len(changed)


def import_assessments(
    *,
    source: IO[bytes],
    filename: str,
    actor: User | None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check a file of external assessments and, if every row is good, create or update them.

    A file with any bad row changes nothing; a dry run checks and counts, then rolls back.
    """
    checked = check_file(source, actor=actor, progress=progress)
    result = ImportResult(filename=filename, dry_run=dry_run, file_format=checked.file_format)
    if checked.errors:
        result.errors = checked.errors.items
        result.error_count = checked.errors.count
        return result
    rows = checked.rows
    result.institutions = len({row.institution_id for row in rows})
    if progress is not None:
        progress(len(rows), 2 * len(rows))
    try:
        with transaction.atomic():
            _write(rows, actor=actor, filename=filename, counts=result.assessments)
            audit.record(
                action="assessments.imported",
                actor=actor,
                data={
                    "file": filename,
                    "format": checked.file_format,
                    "assessments": result.assessments.as_dict(),
                    "institutions": result.institutions,
                },
            )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        # Another import or an edit won a race between the check and the write.
        result.assessments = Counts()
        result.errors = [RowError(ASSESSMENTS_CHANGED)]
        result.error_count = 1
    return result


def build_template() -> bytes:
    """An .xlsx with the Thai headers and one example row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([column.label for column in COLUMNS])
    sheet.append([TEMPLATE_EXAMPLE.get(column.field, "") for column in COLUMNS])
    for position, column in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(position)
        sheet.column_dimensions[letter].width = max(14, len(column.label) + 6)
        sheet.cell(row=1, column=position).font = Font(bold=True)
        # Text cells keep codes and Buddhist-era dates exactly as typed.
        sheet.cell(row=2, column=position).number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
