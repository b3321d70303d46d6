"""The HTTP answers that carry delivery's files, shared by the pages and the API.

A verified file of a delivery (checked against its manifest first), and a bulk issuance's letters
and lists (one-time passwords in clear: every download audited, never cached). Views and API
operations find the object the caller may see, then answer with one of these.
"""

from __future__ import annotations

import tempfile

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.delivery import account_selectors, distribution
from esar.delivery.models import IssuanceBatch
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


def _private_download(stored: distribution.StoredFile) -> FileResponse:
    response = FileResponse(
        default_storage.open(stored.path, "rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def issuance_file_download(
    request: AuthenticatedRequest, batch: IssuanceBatch, province: str, kind: str
) -> FileResponse:
    """A province's letters or list, audited, never cached (the page and the API); else 404."""
    part = account_selectors.batch_part(batch, province)
    stored = distribution.province_file(part, kind)
    if stored is None or not default_storage.exists(stored.path):
        raise Http404
    distribution.record_download(
        batch=batch, actor=request.user, what=stored.name, ip=client_ip(request)
    )
    return _private_download(stored)


def issuance_zip_download(request: AuthenticatedRequest, batch: IssuanceBatch) -> FileResponse:
    """Every province's letters and lists in one zip, audited, never cached; else 404."""
    if not (batch.is_finished and batch.has_files and batch.issued_count > 0):
        raise Http404
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - the response closes it
    distribution.write_zip(batch, out)
    out.seek(0)
    name = f"esar-accounts-{batch.pk}.zip"
    distribution.record_download(batch=batch, actor=request.user, what=name, ip=client_ip(request))
    response = FileResponse(out, as_attachment=True, filename=name, content_type=distribution.ZIP)
    response["Cache-Control"] = "private, no-store"
    return response
