"""The shapes of the delivery API (`esar.api.delivery`): deliveries, their manifests and files,
the delivered SARs and synthesis, ONESQA's notes, and what a caller sends to deliver."""

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from esar.api.sar_schemas import ContentOut
from esar.api.synthesis import FiguresOut, IssueOut, SourceRevisionOut
from esar.delivery import services
from esar.delivery.models import Channel, Delivery, DeliveryStatus


class DeliveryOut(Schema):
    id: int
    receipt_number: str
    lao_code: str = Field(..., alias="lao.code")
    lao_name: str = Field(..., alias="lao.name_th")
    province_code: str = Field(..., alias="lao.province_id")
    year: int = Field(..., alias="year_id")
    status: DeliveryStatus
    channel: Channel
    account: str = Field(..., alias="account.user.username")
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    remote_receipt: str
    attempts: int
    last_error: str
    acknowledged_at: dt.datetime | None = Field(
        ..., description="When ONESQA acknowledged receipt."
    )
    sar_count: int
    synthesis_version: int | None = Field(None, alias="synthesis_number")
    manifest_sha256: str


class DeliveredSarOut(Schema):
    institution_code: str = Field(..., description="MOE code.")
    onesqa_code: str = ""
    institution_name: str
    revision: int = Field(..., description="The revision's number within its SAR.")
    content_sha256: str
    url: str = Field(..., description="The delivered revision: content, files and notes.")


class ManifestFileOut(Schema):
    path: str
    kind: str = Field(..., description="revision (revision.json), document, evidence or synthesis.")
    name: str
    content_type: str = ""
    size: int
    sha256: str
    attachment_id: int | None = Field(
        None, description="For a stored PDF: its id, also fetched by GET /files/{id}."
    )
    url: str = Field(
        ..., description="What fetches the file, checked against `sha256` before it is served."
    )


def file_url(delivery_id: int, path: str) -> str:
    return reverse("api:delivery_file", kwargs={"delivery_id": delivery_id, "path": path})


def sar_url(delivery_id: int, institution_code: str) -> str:
    return reverse(
        "api:delivered_sar",
        kwargs={"delivery_id": delivery_id, "institution_code": institution_code},
    )


def manifest_files(delivery: Delivery) -> list[dict[str, Any]]:
    """The manifest's file entries, each with the URL that fetches it."""
    return [
        {**entry, "url": file_url(delivery.pk, entry["path"])}
        for entry in delivery.manifest.get("files", [])
    ]


class DeliveryDetailOut(DeliveryOut):
    sars: list[DeliveredSarOut]
    synthesis_url: str | None = Field(
        None, description="The delivered synthesis version (null when none was delivered)."
    )
    files: list[ManifestFileOut]

    @staticmethod
    def resolve_sars(obj: Delivery) -> list[dict[str, Any]]:
        return [
            {**sar, "url": sar_url(obj.pk, sar["institution_code"])}
            for sar in obj.manifest.get("sars", [])
        ]

    @staticmethod
    def resolve_synthesis_url(obj: Delivery) -> str | None:
        if not obj.manifest.get("synthesis"):
            return None
        return reverse("api:delivered_synthesis", kwargs={"delivery_id": obj.pk})

    @staticmethod
    def resolve_files(obj: Delivery) -> list[dict[str, Any]]:
        return manifest_files(obj)


class ManifestOut(Schema):
    receipt_number: str
    manifest_sha256: str = Field(
        ...,
        description="SHA-256 of `manifest` as canonical JSON (UTF-8, sorted keys, no spaces, "
        "non-ASCII kept): recompute it to verify the manifest.",
    )
    manifest: dict[str, Any]
    files: list[ManifestFileOut] = Field(
        ..., description="The manifest's files, in its order, each with what fetches it."
    )

    @staticmethod
    def resolve_files(obj: Delivery) -> list[dict[str, Any]]:
        return manifest_files(obj)


class NoteOut(Schema):
    id: int
    text: str
    author: str = Field(..., alias="author.username")
    author_name: str = Field(..., alias="author.display_name")
    created_at: dt.datetime


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=services.NOTE_MAX_LENGTH)


class OtherDeliveryOut(Schema):
    receipt_number: str
    revision: int
    url: str


class DeliveredRevisionOut(Schema):
    delivery_id: int
    receipt_number: str
    institution_code: str = Field(..., description="MOE code.")
    onesqa_code: str
    institution_name: str
    lao_code: str
    year: int
    revision: int = Field(..., description="The revision's number within its SAR.")
    submitted_at: dt.datetime
    accepted_at: dt.datetime | None
    is_late: bool
    content_sha256: str
    content: ContentOut
    files: list[ManifestFileOut] = Field(
        ...,
        description="revision.json, the SAR document and the evidence, as the manifest lists them.",
    )
    other_deliveries: list[OtherDeliveryOut] = Field(
        ..., description="Other delivered revisions of the same SAR that the caller may see."
    )
    notes: list[NoteOut] | None = Field(
        ..., description="ONESQA's notes for the external assessment (null for everyone else)."
    )


class DeliveredSynthesisOut(Schema):
    delivery_id: int
    receipt_number: str
    lao_code: str
    year: int
    version: int
    completed_at: dt.datetime
    is_late: bool
    summary: str
    issues: list[IssueOut]
    figures: FiguresOut
    source_revisions: list[SourceRevisionOut]
    file: ManifestFileOut = Field(..., description="The synthesis JSON the manifest hashed.")


class DeliveryFilters(Schema):
    year: int | None = Field(None, ge=2500, le=2700)
    province: str | None = Field(None, max_length=2, description="Province code.")
    lao: str | None = Field(None, max_length=7, description="LAO code.")
    target_group: bool | None = Field(
        None,
        description="Deliveries holding SARs of institutions in (true) or out of (false) the "
        "year's target group; needs `year`.",
    )


class DeliverIn(Schema):
    lao: str = Field(..., max_length=7, description="Code of the caller's LAO.")
    year: int = Field(..., ge=2500, le=2700)
    expected: str | None = Field(
        None,
        max_length=20_000,
        description="`pending` of GET /deliveries/pending: refuse if more or less is waiting now.",
    )


class PendingQuery(Schema):
    lao: str = Field(..., max_length=7, description="LAO code.")
    year: int = Field(..., ge=2500, le=2700)


class PendingOut(Schema):
    pending: str
    revisions: int
    synthesis_version: int | None
