"""Import of ONESQA's external assessments from an Excel .xlsx or a CSV file.

Built on the tabular kit (`esar.core.tabular`): the same streaming readers, the same refusals of
files that are not tables, the same errors named by sheet, row and column, and the same
all-or-nothing rule as the registry import. A row names its institution by MOE code or ONESQA
code and gives the date of the assessment; rows are matched to stored assessments by
(institution, date), so a file imported twice changes nothing. Views, the management command and
the Celery task all call `import_assessments`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, cast

from django.utils import timezone

from esar.accounts.scoping import visible
from esar.assessments.importing.columns import (
    ASSESSMENTS_CHANGED,
    CODE_COLUMNS,
    CODE_REQUIRED,
    CODES_DISAGREE,
    COLUMNS,
    DATE_IN_FUTURE,
    DUPLICATE_ASSESSMENT,
    DUPLICATE_ASSESSMENT_SHEET,
    FILE_NO_TABLE_ASSESSMENTS,
    FISCAL_YEAR_INVALID,
    FISCAL_YEAR_RANGE,
    HEADER_NO_CODE,
    HEADER_UNKNOWN_ASSESSMENTS,
    INSTITUTION_UNKNOWN,
    KIND,
    LABEL_ASSESSMENTS,
    LABEL_INSTITUTIONS,
    ONESQA_UNKNOWN,
    SHEET_TITLE,
    TEMPLATE_EXAMPLE,
    WORDING,
)
from esar.assessments.models import ExternalAssessment
from esar.core import tabular, thaidate
from esar.core.models import AuditEvent
from esar.core.tabular import (
    Cells,
    Counts,
    FileImportResult,
    Layout,
    RowError,
    Table,
    apply_values,
    chunks,
    import_event,
    layout_of,
    parse_date,
)
from esar.organizations.importing.values import parse_institution_code, parse_onesqa_code
from esar.organizations.models import Institution

if TYPE_CHECKING:
    from esar.accounts.models import User


# "xlsx" or "csv"; Unreadable, in the words of this import, for a file that is no table.
file_format = WORDING.file_format


# --- Values ---------------------------------------------------------------------------------------


def parse_fiscal_year(value: object) -> int:
    return tabular.whole_number(value, *FISCAL_YEAR_RANGE, FISCAL_YEAR_INVALID)


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


class AssessmentReader(tabular.FileReader):
    """A file of external assessments read and checked: its rows, ready to write, or its errors."""

    wording = WORDING
    columns = COLUMNS
    header_unknown = HEADER_UNKNOWN_ASSESSMENTS
    no_table = FILE_NO_TABLE_ASSESSMENTS

    def __init__(
        self,
        *,
        actor: User | None = None,  # None: an import from the command line, unscoped
        progress: tabular.Progress | None = None,
    ) -> None:
        super().__init__(progress=progress)
        self.rows: list[AssessmentRow] = []
        self.actor = actor
        self.today = timezone.localdate()
        # The headers of each good row's table, to name columns in errors found after reading.
        self.names: dict[tuple[str, int], dict[str, str]] = {}

    def layout(self, table: Table) -> Layout | None:
        layout = layout_of(KIND, COLUMNS, self.lookup, table.header, table.sheet, self.errors)
        if layout is not None and not any(name in layout.index for name in CODE_COLUMNS):
            code, onesqa = (column.label for column in COLUMNS[:2])
            self.errors.add(
                RowError(HEADER_NO_CODE, {"code": code, "onesqa": onesqa}, 1, "", table.sheet)
            )
            return None
        return layout

    def read_row(self, cells: Cells) -> None:
        moe_code = cells.get("code", parse_institution_code)
        onesqa_code = cells.get("onesqa_code", parse_onesqa_code)
        if all(cells.blank(name) for name in CODE_COLUMNS):
            cells.fail("code" if cells.present("code") else "onesqa_code", CODE_REQUIRED)
        assessed_on = cells.get("assessed_on", parse_date, required=True)
        if assessed_on is not None and assessed_on > self.today:
            cells.fail("assessed_on", DATE_IN_FUTURE, date=thaidate.format_input_date(assessed_on))
        values: dict[str, Any] = {}
        if cells.present("round"):
            values["round"] = cells.get("round", tabular.text(40)) or ""
        if cells.present("fiscal_year"):
            values["fiscal_year"] = cells.get("fiscal_year", parse_fiscal_year)
        if cells.present("result"):
            values["result"] = cells.get("result", tabular.text(255)) or ""
        if moe_code is not None or onesqa_code is not None:
            # Kept even with other errors, so that an unknown institution is reported too.
            self.rows.append(
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

    def after_rows(self, *, header_errors: bool) -> None:
        self.resolve()

    def discard(self) -> None:
        self.rows = []

    def _institutions(self) -> Any:
        queryset = Institution.objects.all()
        return visible(self.actor, queryset) if self.actor is not None else queryset

    def resolve(self) -> None:
        """Find each row's institution, then refuse a second row of the same institution and date."""
        rows = self.rows
        by_code: dict[str, int] = {}
        by_onesqa: dict[str, int] = {}
        for chunk in chunks(sorted({r.moe_code for r in rows if r.moe_code})):
            by_code.update(self._institutions().filter(code__in=chunk).values_list("code", "pk"))
        for chunk in chunks(sorted({r.onesqa_code for r in rows if r.onesqa_code})):
            by_onesqa.update(
                self._institutions().filter(onesqa_code__in=chunk).values_list("onesqa_code", "pk")
            )
        good: list[AssessmentRow] = []
        first: dict[tuple[int | None, dt.date | None], AssessmentRow] = {}
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
        self.rows = good


# --- Writing --------------------------------------------------------------------------------------


@dataclass
class ImportResult(FileImportResult):
    audit_action = "assessments.imported"
    changed_msgid = ASSESSMENTS_CHANGED

    assessments: Counts = field(default_factory=Counts)
    institutions: int = 0

    def counted(self) -> list[tuple[str, str, Counts]]:
        return [("assessments", LABEL_ASSESSMENTS, self.assessments)]

    def extra_facts(self) -> list[tuple[str, int]]:
        return [(LABEL_INSTITUTIONS, self.institutions)]

    def audit_data(self) -> dict[str, Any]:
        return {"assessments": self.assessments.as_dict(), "institutions": self.institutions}

    def forget_writes(self) -> None:
        self.assessments = Counts()


FIELDS = ["round", "fiscal_year", "result", "updated_at"]


def _key(assessment: ExternalAssessment) -> tuple[int, dt.date]:
    return (assessment.institution_id, assessment.assessed_on)


def _stored(assessments: list[ExternalAssessment]) -> Any:
    return ExternalAssessment.objects.filter(
        institution_id__in={a.institution_id for a in assessments},
        assessed_on__in={a.assessed_on for a in assessments},
    )


def _write(
    rows: list[AssessmentRow],
    *,
    actor: User | None,  # None: an import from the command line
    filename: str,
    counts: Counts,
) -> None:
    now = timezone.now()
    for chunk in chunks(rows):
        existing: dict[tuple[int | None, dt.date | None], ExternalAssessment] = {
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
                # A row that passed the check has its institution and date.
                assessment = ExternalAssessment(
                    institution_id=cast(int, row.institution_id),
                    assessed_on=cast(dt.date, row.assessed_on),
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
                import_event(
                    "external_assessment.updated",
                    assessment,
                    actor=actor,
                    filename=filename,
                    changes=changes,
                )
            )
        tabular.bulk_save(ExternalAssessment, new, changed, FIELDS, key=_key, stored=_stored)
        events.extend(
            import_event("external_assessment.created", assessment, actor=actor, filename=filename)
            for assessment in new
        )
        AuditEvent.objects.bulk_create(events)
        counts.add(created=len(new), updated=len(changed))


def import_assessments(
    *,
    source: IO[bytes],
    filename: str,
    actor: User | None,
    progress: tabular.Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check a file of external assessments and, if every row is good, create or update them.

    A file with any bad row changes nothing; a dry run checks and counts, then rolls back.
    """
    checked = AssessmentReader(actor=actor, progress=progress).read(source)
    result = ImportResult(filename=filename, dry_run=dry_run, file_format=checked.file_format)
    rows = checked.rows
    if not checked.errors:
        result.institutions = len({row.institution_id for row in rows})

    def write() -> None:
        _write(rows, actor=actor, filename=filename, counts=result.assessments)

    tabular.write_all_or_nothing(
        result, checked, write, rows=len(rows), actor=actor, progress=progress
    )
    return result


def build_template() -> bytes:
    """An .xlsx with the Thai headers and one example row."""
    return tabular.template_workbook(
        [
            tabular.TemplateSheet(
                title=SHEET_TITLE,
                columns=COLUMNS,
                rows=[[TEMPLATE_EXAMPLE.get(column.field, "") for column in COLUMNS]],
            )
        ]
    )
