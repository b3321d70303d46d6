"""The HTTP answer that carries a verified file of a delivery (the delivery page and the API)."""

from __future__ import annotations

from django.http import FileResponse

from esar.delivery.package import PackageFile


def file_response(found: PackageFile) -> FileResponse:
    """The file as an attachment, streamed, with its manifest SHA-256 and never cached."""
    entry = found.entry
    response = FileResponse(
        found.open(),
        as_attachment=True,
        filename=entry.get("name") or entry["path"].rsplit("/", 1)[-1],
        content_type=entry.get("content_type") or "application/pdf",
    )
    response["X-Checksum-SHA256"] = entry["sha256"]
    response["Cache-Control"] = "private, no-store"
    return response
