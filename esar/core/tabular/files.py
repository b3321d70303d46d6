"""Reading .xlsx workbooks and CSV files as tables, streamed row by row.

What a file is comes from its bytes, never from its name or the browser's word. A workbook is
read with openpyxl in read-only mode, one row at a time; a CSV file is decoded chunk by chunk
(UTF-8, else Thai Windows), its lines split as `open(newline="")` would. A damaged file ends in
one clear error (`Unreadable`) instead of the library's exception.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import openpyxl

from esar.core.tabular.errors import (
    FILE_CSV_BROKEN,
    FILE_EMPTY,
    FILE_ENCODING,
    FILE_OTHER_SPREADSHEET,
    FILE_XLS,
    FILE_XLSX_BROKEN,
    Unreadable,
)
from esar.core.text import normalize_text

READ_BYTES = 1 << 16

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_CONTROL_BYTES = frozenset(range(0, 32)) - {9, 10, 13}
_LINE_END = re.compile(r"\r\n|\r|\n")
R = TypeVar("R")


@dataclass(frozen=True)
class FileWording:
    """What an import says of a file that is no table: each message names what it should hold."""

    pdf: str
    image: str
    zip: str
    not_table: str
    # A file named .xlsx that is no workbook, when the import says so rather than read it as CSV.
    named_xlsx: str = ""
    # Whether any zip with a "mimetype" entry (OpenDocument, EPUB) is called another spreadsheet,
    # or only one whose mimetype says "spreadsheet".
    any_mimetype_is_spreadsheet: bool = False

    def file_format(self, source: IO[bytes], filename: str = "") -> str:
        """`file_format` in these words: what an import page runs on an upload."""
        return file_format(source, self, filename)


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


def _zip_format(source: IO[bytes], wording: FileWording) -> str:
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            if wording.any_mimetype_is_spreadsheet:
                spreadsheet = "mimetype" in names
            else:
                spreadsheet = "mimetype" in names and b"spreadsheet" in archive.read("mimetype")
    except (zipfile.BadZipFile, OSError, KeyError):
        raise Unreadable(FILE_XLSX_BROKEN) from None
    finally:
        source.seek(0)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names or spreadsheet:
        raise Unreadable(FILE_OTHER_SPREADSHEET)
    raise Unreadable(wording.zip)


def file_format(source: IO[bytes], wording: FileWording, filename: str = "") -> str:
    """ "xlsx" or "csv", from the first bytes and a zip's index; Unreadable for anything else.

    Cheap enough to run on an upload before any job is queued (the import pages and the API do),
    so that a PDF or an image is refused at once; the import runs it again on the stored file.
    """
    head = source.read(4096)
    source.seek(0)
    kind = sniff(head)
    if kind == "empty":
        raise Unreadable(FILE_EMPTY)
    if kind == "xls":
        raise Unreadable(FILE_XLS)
    if kind == "zip":
        return _zip_format(source, wording)
    if wording.named_xlsx and filename.lower().endswith(".xlsx"):
        raise Unreadable(wording.named_xlsx)
    refusal = {
        "pdf": wording.pdf,
        "image": wording.image,
        "utf16": FILE_ENCODING,
        "binary": wording.not_table,
    }.get(kind)
    if refusal is not None:
        raise Unreadable(refusal)
    return "csv"


@dataclass
class Table:
    sheet: str  # "" for a CSV file
    header: Sequence[object]
    rows: Callable[[], Iterator[Sequence[object]]]  # the data rows, from row 2
    estimate: int  # how many data rows the file says it has; not always right


def _guarded(rows: Iterator[R], msgid: str) -> Iterator[R]:
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
    """Lines with their ends (\\r\\n, \\n or a lone \\r), as the csv module wants them."""
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    while chunk := source.read(READ_BYTES):
        pending += decoder.decode(chunk)
        start = 0
        for match in _LINE_END.finditer(pending):
            if match.group() == "\r" and match.end() == len(pending):
                break  # perhaps the first half of a \r\n split between chunks
            yield pending[start : match.end()]
            start = match.end()
        pending = pending[start:]
    pending += decoder.decode(b"", final=True)
    start = 0
    for match in _LINE_END.finditer(pending):
        yield pending[start : match.end()]
        start = match.end()
    if pending[start:]:
        yield pending[start:]


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
    rows: Iterator[Sequence[object]] = _guarded(reader, FILE_CSV_BROKEN)
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
        tables.append(Table(sheet.title, header, _data_rows(sheet), estimate))
    return tables, workbook.close


def _data_rows(sheet: Any) -> Callable[[], Iterator[Sequence[object]]]:
    return lambda: _guarded(sheet.iter_rows(min_row=2, values_only=True), FILE_XLSX_BROKEN)


def no_op() -> None:
    return None


def open_tables(
    source: IO[bytes], wording: FileWording, filename: str = ""
) -> tuple[str, list[Table], Callable[[], None]]:
    """The file's format, its tables (one for a CSV file, one a sheet) and how to close it."""
    if file_format(source, wording, filename) == "xlsx":
        tables, close = _xlsx_tables(source)
        return "xlsx", tables, close
    return "csv", _csv_tables(source), no_op
