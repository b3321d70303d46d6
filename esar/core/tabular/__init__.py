"""One kit for every all-or-nothing import of a table from an .xlsx workbook or a CSV file.

The registry (LAOs and institutions), the external assessments and the standards are imported
with it. Its parts, in the order a file meets them:

- `files`: what the file is (from its bytes), and its tables read row by row (openpyxl
  read-only; CSV decoded chunk by chunk); a file that is no table is refused in the import's words.
- `columns`: a `Column` (field, Thai header of the template, other headers people write,
  required), the `Layout` of one table's header and the `Cells` of one row.
- `values`: parsers of typed values (text, codes, whole numbers, Buddhist-era dates, choices);
  each raises `Invalid` with the message that says why.
- `errors`: `RowError` names the sheet, row and column as Excel shows them; `ErrorList` keeps the
  first 500; `Unreadable` refuses the whole file.
- `reading`: `FileReader`, the check of a whole file without writing anything.
- `writing`: `write_all_or_nothing` (one transaction, or nothing at all), the result a job page
  and the management command show, bulk-writing helpers and the template workbook.
"""

from esar.core.tabular.columns import Cells, Column, Layout, header_lookup, knows_any, layout_of
from esar.core.tabular.errors import (
    CODE_HAS_SPACE,
    DATE_INVALID,
    FILE_CSV_BROKEN,
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_NO_DATA,
    FILE_OTHER_SPREADSHEET,
    FILE_TOO_MANY_ROWS,
    FILE_XLS,
    FILE_XLSX_BROKEN,
    HEADER_DUPLICATE,
    HEADER_MISSING,
    MAX_ERRORS,
    VALUE_REQUIRED,
    VALUE_TOO_LONG,
    ErrorList,
    Invalid,
    RowError,
    Unreadable,
)
from esar.core.tabular.files import FileWording, Table, file_format, open_tables, sniff
from esar.core.tabular.reading import MAX_ROWS, PROGRESS_EVERY, FileReader, Progress
from esar.core.tabular.values import (
    Choices,
    cell_text,
    choices_text,
    clean_text,
    code_text,
    code_without_space,
    digits_code,
    is_blank,
    is_blank_row,
    match_key,
    parse_date,
    text,
    whole_number,
)
from esar.core.tabular.writing import (
    AUDIT_SOURCE,
    CHUNK_ROWS,
    Counts,
    FileImportResult,
    TemplateSheet,
    apply_values,
    bulk_save,
    chunks,
    ensure_pks,
    import_event,
    template_workbook,
    write_all_or_nothing,
)

__all__ = [
    "AUDIT_SOURCE",
    "CHUNK_ROWS",
    "CODE_HAS_SPACE",
    "DATE_INVALID",
    "FILE_CSV_BROKEN",
    "FILE_EMPTY",
    "FILE_ENCODING",
    "FILE_NO_DATA",
    "FILE_OTHER_SPREADSHEET",
    "FILE_TOO_MANY_ROWS",
    "FILE_XLS",
    "FILE_XLSX_BROKEN",
    "HEADER_DUPLICATE",
    "HEADER_MISSING",
    "MAX_ERRORS",
    "MAX_ROWS",
    "PROGRESS_EVERY",
    "VALUE_REQUIRED",
    "VALUE_TOO_LONG",
    "Cells",
    "Choices",
    "Column",
    "Counts",
    "ErrorList",
    "FileImportResult",
    "FileReader",
    "FileWording",
    "Invalid",
    "Layout",
    "Progress",
    "RowError",
    "Table",
    "TemplateSheet",
    "Unreadable",
    "apply_values",
    "bulk_save",
    "cell_text",
    "choices_text",
    "chunks",
    "clean_text",
    "code_text",
    "code_without_space",
    "digits_code",
    "ensure_pks",
    "file_format",
    "header_lookup",
    "import_event",
    "is_blank",
    "is_blank_row",
    "knows_any",
    "layout_of",
    "match_key",
    "open_tables",
    "parse_date",
    "sniff",
    "template_workbook",
    "text",
    "whole_number",
    "write_all_or_nothing",
]
