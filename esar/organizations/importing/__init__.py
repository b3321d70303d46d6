"""Registry import: local authorities (LAOs) and institutions from an Excel .xlsx or a CSV file.

Built on the tabular kit (`esar.core.tabular`): the file is read as a stream and every row is
checked (`checking`) before anything is written, so a file with any bad row changes nothing.
Good rows are then compared with the database by code and created or updated in bulk inside one
transaction (`writing`). What the file may say — columns, aliases, messages — is in `columns`,
the registry's own values in `values`. Views, the management command and the Celery task all
call `import_registry`.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from esar.core import tabular
from esar.organizations.importing.checking import RegistryReader
from esar.organizations.importing.columns import (
    COLUMNS,
    SHEET_TITLES,
    TEMPLATE_EXAMPLES,
    WORDING,
    RowKind,
)
from esar.organizations.importing.writing import ImportResult, Writer

if TYPE_CHECKING:
    from esar.accounts.models import User


# "xlsx" or "csv"; Unreadable, in the registry's words, for a file that is no table.
file_format = WORDING.file_format


def import_registry(
    *,
    source: IO[bytes],
    filename: str,
    actor: User | None,
    progress: tabular.Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check a registry file and, if every row is good, create or update its LAOs and institutions.

    A file with any bad row changes nothing; a dry run checks and counts, then rolls back.
    """
    checked = RegistryReader(progress=progress).read(source)
    result = ImportResult(filename=filename, dry_run=dry_run, file_format=checked.file_format)
    writer = Writer(actor=actor, filename=filename, result=result)

    def write() -> None:
        writer.write_laos(checked.laos)
        released = writer.release_onesqa_codes(checked.onesqa_released)
        writer.write_institutions(checked.institutions, released)

    rows = len(checked.laos) + len(checked.institutions)
    tabular.write_all_or_nothing(result, checked, write, rows=rows, actor=actor, progress=progress)
    return result


def build_template() -> bytes:
    """An .xlsx with one sheet per kind: the Thai headers and one example row each."""
    return tabular.template_workbook(
        [
            tabular.TemplateSheet(
                title=SHEET_TITLES[kind],
                columns=COLUMNS[kind],
                rows=[[TEMPLATE_EXAMPLES[kind].get(c.field, "") for c in COLUMNS[kind]]],
                # Text cells keep codes and Buddhist-era dates exactly as typed.
                is_text=lambda c: "code" in c.field or c.field == "type_effective_date",
            )
            for kind in RowKind
        ]
    )
