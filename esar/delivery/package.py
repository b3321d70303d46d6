"""A delivery's package: the manifest (every file with its SHA-256) and the files it lists.

The manifest is built once, when the delivery is made, from the immutable revisions and the frozen
synthesis version; it is the reference every later check compares against (a download, a send to
the remote e-SAR). Files are read in chunks, never whole into memory.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from esar.sar.models import Attachment, Revision
from esar.synthesis.models import SynthesisVersion

MANIFEST_FORMAT = "esar-delivery/1"
CHUNK_SIZE = 1024 * 1024


def canonical_json(value: Any) -> bytes:
    """The bytes hashed and sent for a JSON document: independent of key order and spacing."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_stream(stream: IO[bytes], chunk_size: int = CHUNK_SIZE) -> tuple[str, int]:
    """(SHA-256, size) of a file read in chunks from its start."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class FileMismatch(Exception):
    """A stored file no longer matches the manifest: it was changed or lost after delivery."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        self.message = _(
            "The stored file %(name)s no longer matches what was delivered (SHA-256 %(sha)s…). "
            "It was not sent. Report this to the Department of Local Administration."
        ) % {"name": entry.get("name", ""), "sha": str(entry.get("sha256", ""))[:12]}
        super().__init__(self.message)


def verify_attachment(attachment: Attachment, entry: dict[str, Any]) -> None:
    """Recompute the stored file's SHA-256 in chunks; raise `FileMismatch` if it differs."""
    try:
        with attachment.file.open("rb") as stream:
            digest, size = sha256_of_stream(stream)
    except OSError as exc:
        raise FileMismatch(entry) from exc
    if digest != entry["sha256"] or size != entry["size"]:
        raise FileMismatch(entry)


def _file_entry(path: str, attachment: Attachment, kind: str) -> dict[str, Any]:
    return {
        "path": path,
        "kind": kind,
        "attachment_id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def revision_document(revision: Revision) -> dict[str, Any]:
    """What the package holds of a revision besides its PDFs: its frozen content and facts."""
    return {
        "institution": revision.sar.institution.code,
        "year": revision.sar.year_id,
        "revision": revision.number,
        "content": revision.content,
        "content_sha256": revision.content_sha256,
        "submitted_at": revision.submitted_at.isoformat(),
        "accepted_at": revision.reviewed_at.isoformat() if revision.reviewed_at else None,
        "is_late": revision.is_late,
    }


def synthesis_document(version: SynthesisVersion) -> dict[str, Any]:
    return {
        "lao": version.synthesis.lao.code,
        "year": version.synthesis.year_id,
        "version": version.number,
        "figures": version.figures,
        "summary": version.summary,
        "issues": version.issues,
        "completed_at": version.completed_at.isoformat(),
        "is_late": version.is_late,
    }


def build_manifest(
    *,
    receipt_number: str,
    idempotency_key: str,
    lao: Any,
    year: int,
    account_username: str,
    created_at: str,
    revisions: list[tuple[Revision, list[Attachment]]],
    synthesis_version: SynthesisVersion | None,
) -> dict[str, Any]:
    """The manifest: what was delivered, and every file of the package with its SHA-256."""
    files: list[dict[str, Any]] = []
    sars = []
    for revision, evidence in revisions:
        institution = revision.sar.institution
        base = f"sars/{institution.code}/r{revision.number}"
        content = canonical_json(revision_document(revision))
        entries = [
            {
                "path": f"{base}/revision.json",
                "kind": "revision",
                "name": "revision.json",
                "content_type": "application/json",
                "size": len(content),
                "sha256": sha256_hex(content),
            },
            _file_entry(f"{base}/document.pdf", revision.document, "document"),
            *(
                _file_entry(f"{base}/evidence/{n:03d}.pdf", attachment, "evidence")
                for n, attachment in enumerate(evidence, start=1)
            ),
        ]
        files.extend(entries)
        sars.append(
            {
                "institution_code": institution.code,
                "onesqa_code": institution.onesqa_code or "",
                "institution_name": institution.name_th,
                "revision_id": revision.pk,
                "revision": revision.number,
                "content_sha256": revision.content_sha256,
                "files": [entry["path"] for entry in entries],
            }
        )
    synthesis = None
    if synthesis_version is not None:
        content = canonical_json(synthesis_document(synthesis_version))
        path = f"synthesis/v{synthesis_version.number}.json"
        files.append(
            {
                "path": path,
                "kind": "synthesis",
                "name": path.rsplit("/", 1)[-1],
                "content_type": "application/json",
                "size": len(content),
                "sha256": sha256_hex(content),
            }
        )
        synthesis = {
            "version_id": synthesis_version.pk,
            "version": synthesis_version.number,
            "path": path,
        }
    return {
        "format": MANIFEST_FORMAT,
        "receipt_number": receipt_number,
        "idempotency_key": idempotency_key,
        "lao": {"code": lao.code, "name": lao.name_th, "province": lao.province_id},
        "year": year,
        "account": account_username,
        "created_at": created_at,
        "sars": sars,
        "synthesis": synthesis,
        "files": files,
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return canonical_json(manifest)


@dataclass(frozen=True)
class PackageFile:
    """One file of a package, ready to be streamed: its manifest entry and how to open it."""

    entry: dict[str, Any]
    attachment: Attachment | None = None
    data: bytes | None = None

    def open(self) -> IO[bytes]:
        if self.attachment is not None:
            return self.attachment.file.open("rb")
        return io.BytesIO(self.data or b"")

    def verify(self) -> None:
        if self.attachment is not None:
            verify_attachment(self.attachment, self.entry)
        elif sha256_hex(self.data or b"") != self.entry["sha256"]:
            raise FileMismatch(self.entry)


def package_files(manifest: dict[str, Any]) -> Iterator[PackageFile]:
    """Every file the manifest lists, in its order, from the stored rows (one query per kind)."""
    entries = manifest.get("files", [])
    attachments = Attachment.objects.in_bulk(
        [entry["attachment_id"] for entry in entries if "attachment_id" in entry]
    )
    revisions = Revision.objects.select_related("sar__institution").in_bulk(
        [sar["revision_id"] for sar in manifest.get("sars", [])]
    )
    documents: dict[str, bytes] = {}
    for sar in manifest.get("sars", []):
        revision = revisions.get(sar["revision_id"])
        if revision is not None:
            documents[sar["files"][0]] = canonical_json(revision_document(revision))
    synthesis = manifest.get("synthesis")
    if synthesis:
        version = (
            SynthesisVersion.objects.select_related("synthesis__lao")
            .filter(pk=synthesis["version_id"])
            .first()
        )
        if version is not None:
            documents[synthesis["path"]] = canonical_json(synthesis_document(version))
    for entry in entries:
        if "attachment_id" in entry:
            attachment = attachments.get(entry["attachment_id"])
            if attachment is None:
                raise FileMismatch(entry)
            yield PackageFile(entry, attachment=attachment)
        else:
            data = documents.get(entry["path"])
            if data is None:
                raise FileMismatch(entry)
            yield PackageFile(entry, data=data)


def package_file(manifest: dict[str, Any], path: str) -> PackageFile | None:
    """The one file of the manifest at `path`, ready to verify and stream (None: not listed).

    A stored PDF is opened from storage; `revision.json` and the synthesis JSON are rebuilt from
    the immutable revision and the frozen version, byte for byte what the manifest hashed. A file
    that is listed but gone raises `FileMismatch`.
    """
    entry = next((e for e in manifest.get("files", []) if e.get("path") == path), None)
    if entry is None:
        return None
    if "attachment_id" in entry:
        attachment = Attachment.objects.filter(pk=entry["attachment_id"]).first()
        if attachment is None:
            raise FileMismatch(entry)
        return PackageFile(entry, attachment=attachment)
    data = None
    if entry.get("kind") == "revision":
        sar = next((s for s in manifest.get("sars", []) if path in s.get("files", [])), None)
        revision = (
            Revision.objects.select_related("sar__institution")
            .filter(pk=sar["revision_id"])
            .first()
            if sar
            else None
        )
        if revision is not None:
            data = canonical_json(revision_document(revision))
    elif entry.get("kind") == "synthesis":
        synthesis = manifest.get("synthesis") or {}
        version_id = synthesis.get("version_id")
        version = (
            SynthesisVersion.objects.select_related("synthesis__lao").filter(pk=version_id).first()
            if version_id is not None
            else None
        )
        if version is not None and synthesis.get("path") == path:
            data = canonical_json(synthesis_document(version))
    if data is None:
        raise FileMismatch(entry)
    return PackageFile(entry, data=data)
