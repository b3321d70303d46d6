"""Checking the files attached to a circular: PDF, Word (.docx) or Excel (.xlsx), nothing else.

The upload is read in chunks to hash it (Django already wrote anything large to a temporary file);
a PDF is parsed by the same check as a SAR's, an Office file must be the zip package its name
says. A refused file raises `UploadRefused` with the reason and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from esar.sar.files import MB, UploadRefused, check_pdf

CHUNK = 1 << 16
DEFAULT_LIMIT_MB = 20
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The part every real package of that kind holds.
_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

__all__ = ["CONTENT_TYPES", "CheckedFile", "UploadRefused", "check_attachment", "limit_mb"]


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def limit_mb() -> int:
    return int(getattr(settings, "ESAR_CIRCULAR_UPLOAD_LIMIT_MB", DEFAULT_LIMIT_MB))


def clean_name(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(char for char in base if ord(char) >= 32 and ord(char) != 127).strip()
    return base[-255:] or "file"


def _stream(upload: UploadedFile) -> IO[bytes]:
    """The bytes of an upload; the stubs allow a File without one, which an upload never is."""
    return cast("IO[bytes]", upload.file)


def _hash(stream: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


def _check_office(stream: IO[bytes], extension: str) -> None:
    what = _("a Word file (.docx)") if extension == "docx" else _("an Excel file (.xlsx)")
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        names = set()
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names or _MAIN_PART[extension] not in names:
        raise UploadRefused(
            _(
                "The file is not %(what)s, whatever its name says (it may be damaged, "
                "password-protected or an old .doc/.xls file). Save it again as %(what)s or as PDF."
            )
            % {"what": what}
        )


def check_attachment(upload: UploadedFile, *, limit: int | None = None) -> CheckedFile:
    """The checked facts of an upload, or `UploadRefused` saying why it cannot be attached."""
    limit = limit_mb() if limit is None else limit
    name = clean_name(upload.name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CONTENT_TYPES:
        raise UploadRefused(
            _("Only PDF, Word (.docx) and Excel (.xlsx) files can be attached; “%(name)s” is not.")
            % {"name": name}
        )
    size, sha256 = _hash(_stream(upload))
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > limit * MB:
        raise UploadRefused(
            _("The file is larger than %(limit)s MB, the largest a circular accepts.")
            % {"limit": limit}
        )
    if extension == "pdf":
        check_pdf(upload, limit_mb=limit)
    else:
        _check_office(_stream(upload), extension)
    return CheckedFile(
        name=name,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=sha256,
    )
