"""The writing half of an all-or-nothing import: nothing when the file has any error, else every
row in one transaction, compared with the database a chunk at a time and written in bulk, with an
audit event per changed row and one for the file. A dry run does the same and rolls back.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import openpyxl
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext, gettext_noop, ngettext
from openpyxl.styles import Font

from esar.core import audit
from esar.core.models import AuditEvent
from esar.core.tabular.columns import Column
from esar.core.tabular.errors import RowError
from esar.core.tabular.reading import FileReader, Progress

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

# Rows looked up and written per round trip: big enough to be fast, small enough for SQLite.
CHUNK_ROWS = 1000
AUDIT_SOURCE = "import"

# Labels of the result, shown on the job page.
LABEL_CREATED = gettext_noop("Created (rows)")
LABEL_UPDATED = gettext_noop("Updated")
LABEL_UNCHANGED = gettext_noop("Unchanged")
LABEL_FILE = gettext_noop("File")
NOTE_DRY_RUN = gettext_noop("Checked only: nothing was saved.")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def add(self, *, created: int, updated: int) -> None:
        self.created += created
        self.updated += updated


@dataclass
class FileImportResult:
    """The outcome of an all-or-nothing file import; subclasses say what they counted."""

    # The audit event of the whole file, and the refusal when the database changed meanwhile.
    audit_action: ClassVar[str]
    changed_msgid: ClassVar[str]

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

    def audit_data(self) -> dict[str, Any]:
        """What the audit event of the whole file records besides the file and its format."""
        raise NotImplementedError

    def forget_writes(self) -> None:
        """The transaction was rolled back: what was counted as written was not."""
        raise NotImplementedError

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


def write_all_or_nothing(
    result: FileImportResult,
    reader: FileReader,
    write: Callable[[], None],
    *,
    rows: int,
    actor: AbstractBaseUser | None,  # None: an import from the command line
    progress: Progress | None = None,
) -> None:
    """Write nothing if the file has errors, else `write()` every row in one transaction.

    `rows` is how many rows were read, for the progress bar (reading was its first half). The
    transaction ends with the audit event `result.audit_action` of the whole file. A lost race
    with another import or an edit, between the check and the write, refuses the file with
    `result.changed_msgid`.
    """
    if reader.errors:
        result.errors = reader.errors.items
        result.error_count = reader.errors.count
        return
    if progress is not None:
        progress(rows, 2 * rows)
    try:
        with transaction.atomic():
            write()
            audit.record(
                action=result.audit_action,
                actor=actor,
                data={"file": result.filename, "format": result.file_format, **result.audit_data()},
            )
            if result.dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        result.forget_writes()
        result.errors = [RowError(result.changed_msgid)]
        result.error_count = 1


def chunks(items: Iterable[T], size: int = CHUNK_ROWS) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def apply_values(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the values that differ; return them as {field: [old, new]}."""
    changes = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


def ensure_pks(
    objs: Sequence[M], key: Callable[[M], Any], stored: Callable[[list[M]], Iterable[M]]
) -> None:
    """Databases that cannot return ids from a bulk insert leave pk unset: look them up by key."""
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        ids = {key(obj): obj.pk for obj in stored(missing)}
        for obj in missing:
            obj.pk = ids[key(obj)]


def bulk_save(
    model: type[M],
    new: list[M],
    changed: list[M],
    fields: Sequence[str],
    *,
    key: Callable[[M], Any],
    stored: Callable[[list[M]], Iterable[M]],
) -> None:
    """Insert the new rows (and learn their ids), update the fields of the changed ones."""
    model._default_manager.bulk_create(new)
    ensure_pks(new, key, stored)
    if changed:
        model._default_manager.bulk_update(changed, fields)


def import_event(
    action: str,
    obj: models.Model,
    *,
    actor: AbstractBaseUser | None,  # None: an import from the command line
    filename: str,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    """The unsaved audit event of one row an import created or changed ({field: [old, new]})."""
    data: dict[str, Any] = {"source": AUDIT_SOURCE, "file": filename}
    if changes:
        data["changes"] = {name: [str(v) for v in pair] for name, pair in changes.items()}
    return audit.build(action=action, actor=actor, obj=obj, data=data)


# --- The template people fill in --------------------------------------------------------------


@dataclass
class TemplateSheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    # Columns whose cells are text, so that codes, numbers such as 1.10 and Buddhist-era dates
    # stay exactly as typed.
    is_text: Callable[[Column], bool] = lambda column: True
    width: Callable[[Column], float] = lambda column: max(14, len(column.label) + 6)


def template_workbook(sheets: Sequence[TemplateSheet]) -> bytes:
    """An .xlsx with a bold, frozen header row of the Thai labels and the given rows below it."""
    workbook = openpyxl.Workbook()
    for number, spec in enumerate(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = spec.title
        sheet.append([column.label for column in spec.columns])
        for row in spec.rows:
            sheet.append(list(row))
        for position, column in enumerate(spec.columns, start=1):
            letter = openpyxl.utils.get_column_letter(position)
            sheet.column_dimensions[letter].width = spec.width(column)
            sheet.cell(row=1, column=position).font = Font(bold=True)
            if spec.is_text(column):
                for cells in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                    for cell in cells:
                        cell.number_format = "@"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
