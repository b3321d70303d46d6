"""Checking and storing the PDF files of a SAR without holding them in memory.

Django's upload handlers write anything over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file in
chunks; here the file is hashed chunk by chunk, parsed as a PDF (pypdf seeks, it does not load the
file), and handed to the storage, which moves or streams it. A refused file leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import IO, cast

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

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


def check_pdf(upload: UploadedFile, *, limit_mb: int) -> CheckedPdf:
    """Size, hash and a real parse; raises UploadRefused with the reason."""
    stream = _stream(upload)
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
        active = active_content(reader)
        if active is not None:
            raise UploadRefused(ACTIVE_CONTENT_MESSAGES[active]())
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


# Actions that run something when the file is opened or clicked, rather than move within it.
_RUNNING_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/Rendition", "/SubmitForm"}
)
# What a reader needs to draw pages (content, fonts, images, appearances, structure) holds no
# action, and can be most of a 100 MB file: it is not read, so the check stays light.
_DRAWING_KEYS = frozenset(
    {
        "/Contents",
        "/Resources",
        "/Parent",
        "/Thumb",
        "/Metadata",
        "/StructTreeRoot",
        "/AP",
        "/Font",
        "/XObject",
        "/ColorSpace",
        "/OutputIntents",
    }
)
ACTIVE_CONTENT_MESSAGES = {
    "javascript": lambda: _(
        "The PDF contains a script (JavaScript), which e-SAR does not accept. "
        "Print or export it to PDF again without scripts."
    ),
    "launch": lambda: _(
        "The PDF tries to open another program or file, which e-SAR does not accept. "
        "Print or export it to PDF again."
    ),
    "embedded": lambda: _(
        "The PDF has other files embedded in it, which e-SAR does not accept. "
        "Upload each document as a PDF of its own."
    ),
    "form": lambda: _(
        "The PDF is an interactive (XFA) form, which can run scripts. Print it to PDF again."
    ),
}


def active_content(reader: PdfReader) -> str | None:
    """The kind of active content the PDF carries ("javascript", "launch", "embedded", "form"), or
    None: walks the document catalogue, the pages' actions and annotations, the outline and the
    forms, without reading page content or images."""
    stack: list[object] = [reader.trailer.get("/Root")]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            kind = _active_kind(node)
            if kind is not None:
                return kind
            stack.extend(value for name, value in node.items() if name not in _DRAWING_KEYS)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def _active_kind(node: DictionaryObject) -> str | None:
    action = node.get("/S")
    if "/JS" in node or action == "/JavaScript" or action == "/RichMediaExecute":
        return "javascript"
    if action in _RUNNING_ACTIONS:
        return "launch"
    if "/EF" in node or node.get("/Type") == "/EmbeddedFile" or "/EmbeddedFiles" in node:
        return "embedded"
    if node.get("/Subtype") in ("/FileAttachment", "/RichMedia"):
        return "embedded"
    if "/XFA" in node:
        return "form"
    return None
