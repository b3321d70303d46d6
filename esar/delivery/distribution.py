"""The files a bulk issuance hands over: each province's letters (PDF) and list (Excel).

They hold the one-time passwords in clear. They are written in the province's transaction
(`esar.delivery.issuance.issue_province`, which deletes them again if it rolls back), downloaded
one by one or in one zip (every download audited), and deleted for good once handed over.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts.models import User
from esar.core import audit
from esar.core.errors import Conflict
from esar.delivery import letters as documents
from esar.delivery.accounts import require_issuer
from esar.delivery.models import IssuanceBatch, IssuanceProvince
from esar.helpdesk.models import HelpdeskContact

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def document_name(batch_id: int, province_code: str, extension: str) -> str:
    return f"esar-accounts-{batch_id}-province-{province_code}.{extension}"


def _save(path: str, out: IO[bytes], saved: list[str]) -> tuple[str, int]:
    size = out.tell()
    out.seek(0)
    stored = default_storage.save(path, File(out))
    saved.append(stored)
    return stored, size


def write_documents(
    part: IssuanceProvince,
    letters: list[documents.Letter],
    contact: HelpdeskContact | None,
    saved: list[str],
) -> None:
    """Write the province's letters and list, set their paths and sizes on `part` (unsaved) and
    append the stored paths to `saved`, for the caller to delete should its transaction fail."""
    batch = part.batch
    common = documents.Batch(
        number=batch.pk,
        province=part.province,
        issued_at=batch.created_at,
        expires_at=batch.expires_at,
    )
    folder = f"esar-accounts/issuance-{batch.pk}/"
    code = part.province.code
    with tempfile.TemporaryFile() as out:
        documents.write_letters_pdf(common, letters, out, contact=contact)
        part.pdf_path, part.pdf_size = _save(
            folder + document_name(batch.pk, code, "pdf"), out, saved
        )
    with tempfile.TemporaryFile() as out:
        documents.write_list_xlsx(common, letters, out)
        part.xlsx_path, part.xlsx_size = _save(
            folder + document_name(batch.pk, code, "xlsx"), out, saved
        )


@dataclass(frozen=True)
class StoredFile:
    path: str
    name: str
    content_type: str


def province_file(part: IssuanceProvince, kind: str) -> StoredFile | None:
    if kind == "pdf" and part.pdf_path:
        return StoredFile(part.pdf_path, document_name(part.batch_id, part.province_id, "pdf"), PDF)
    if kind == "xlsx" and part.xlsx_path:
        return StoredFile(
            part.xlsx_path, document_name(part.batch_id, part.province_id, "xlsx"), XLSX
        )
    return None


def record_download(*, batch: IssuanceBatch, actor: User, what: str, ip: str | None) -> None:
    audit.record(
        action="esar_account.distribution_downloaded",
        actor=actor,
        obj=batch,
        data={"file": what},
        ip_address=ip,
    )


def write_zip(batch: IssuanceBatch, out: IO[bytes]) -> None:
    """Every province's letters and list in one zip (stored: PDFs and xlsx are compressed)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for part in batch.provinces.all():
            for kind in ("pdf", "xlsx"):
                stored = province_file(part, kind)
                if stored is None or not default_storage.exists(stored.path):
                    continue
                with (
                    default_storage.open(stored.path, "rb") as source,
                    archive.open(stored.name, "w") as target,
                ):
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)


def delete_files(*, batch: IssuanceBatch, actor: User, ip: str | None = None) -> IssuanceBatch:
    """Delete the batch's letters and lists once handed over: the passwords are gone for good."""
    require_issuer(actor)
    with transaction.atomic():
        batch = IssuanceBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.finished_at is None:
            raise Conflict(_("Wait until the issuance has finished."))
        if batch.files_deleted_at is not None:
            raise Conflict(_("The files of this issuance were already deleted."))
        parts = list(batch.provinces.all())
        for part in parts:
            for path in (part.pdf_path, part.xlsx_path):
                if path:
                    default_storage.delete(path)
        IssuanceProvince.objects.filter(batch=batch).update(
            pdf_path="", xlsx_path="", pdf_size=0, xlsx_size=0
        )
        batch.files_deleted_at = timezone.now()
        batch.files_deleted_by = actor
        batch.save(update_fields=["files_deleted_at", "files_deleted_by"])
        audit.record(
            action="esar_account.distribution_deleted",
            actor=actor,
            obj=batch,
            data={"provinces": [part.province_id for part in parts if part.issued]},
            ip_address=ip,
        )
    return batch
