"""Checking and storing the PDF files of a SAR without holding them in memory.

Django's upload handlers write anything over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file in
chunks; here the file is hashed chunk by chunk, parsed as a PDF (pypdf seeks, it does not load the
file), and handed to the storage, which moves or streams it. A refused file leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

logger = logging.getLogger(__name__)

CHUNK = 1 << 16
MB = 1024 * 1024
# The trailer of a complete PDF ends with %%EOF within its last bytes (incremental updates too).
TAIL_BYTES = 2048


class UploadRefused(Exception):
    """A file that cannot be accepted; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedPdf:
    size: int
    sha256: str
    page_count: int


def too_large_message(limit_mb: int) -> str:
    return _("The file is larger than %(limit)s MB, the largest this year accepts.") % {
        "limit": limit_mb
    }


def refuse_by_declared_length(content_length: str | int | None, limit_mb: int) -> None:
    """Refuse before reading a body whose declared length is already over the limit."""
    try:
        length = int(content_length or 0)
    except (TypeError, ValueError):
        return
    # The multipart envelope adds a little; allow 1 MB for it.
    if length > (limit_mb + 1) * MB:
        raise UploadRefused(too_large_message(limit_mb))


def _hash(stream: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


def check_pdf(upload: UploadedFile, *, limit_mb: int) -> CheckedPdf:
    """Size, hash and a real parse; raises UploadRefused with the reason."""
    stream = upload.file
    size, sha256 = _hash(stream)
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > limit_mb * MB:
        raise UploadRefused(too_large_message(limit_mb))
    head = stream.read(1024)
    if b"%PDF-" not in head:
        raise UploadRefused(
            _("The file is not a PDF (whatever its name says). Save or export it as PDF.")
        )
    stream.seek(max(0, size - TAIL_BYTES))
    if b"%%EOF" not in stream.read(TAIL_BYTES):
        raise UploadRefused(
            _("The PDF is incomplete (it was cut off while copying or uploading). Upload it again.")
        )
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise UploadRefused(
                _("The PDF is protected with a password. Save it again without a password.")
            )
        pages = len(reader.pages)
    except UploadRefused:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.info("Refused an unreadable PDF: %s", exc)
        raise UploadRefused(
            _("The PDF is damaged and cannot be opened. Export it again.")
        ) from None
    finally:
        stream.seek(0)
    if pages == 0:
        raise UploadRefused(_("The PDF has no pages."))
    return CheckedPdf(size=size, sha256=sha256, page_count=pages)
