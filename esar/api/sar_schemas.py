"""The bodies of the SAR cycle's API operations (`esar.api.sar`), and the error answers.

`ERRORS` (read operations) and `WRITE_ERRORS` (operations that call a service) are the answer
tables every router of the API shares; they are here because the SAR cycle defined them first.
"""

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from esar.api.schemas import ErrorOut, ValidationErrorOut
from esar.organizations.models import EducationLevel
from esar.sar.content import BasicData, ItemEntry, MissingCode, StandardEntry, Summary
from esar.sar.models import Attachment, Revision, RevisionStatus, Sar, SarStatus
from esar.sar.services.drafts import missing_before_submission

ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class MissingOut(Schema):
    code: MissingCode = Field(..., description="What is missing, for programs.")
    message: str = Field(..., description="The same, in words (Thai unless Accept-Language: en).")
    item_id: int | None = Field(None, description="For `item`: the item's id.")
    standard_id: int | None = Field(None, description="For `standard`: the standard's id.")
    education_level: EducationLevel | None = Field(
        None, description="For `basic_data.students`: the level without a count."
    )
    fields: list[str] = Field(
        [],
        description="For `item`, `standard` and `summary`: the fields left empty (level, target, "
        "how, results; level, strengths, improvements; strengths, improvements, plan).",
    )


class SarErrorOut(Schema):
    detail: str
    details: list[str] = []
    missing: list[MissingOut] | None = Field(
        None, description="For a submission refused as incomplete: what is missing, with codes."
    )


WRITE_ERRORS: dict[int, Any] = {
    **ERRORS,
    400: SarErrorOut,
    403: SarErrorOut,
    409: SarErrorOut,
    # Validation of the request (field errors) or of the report (details).
    422: SarErrorOut | ValidationErrorOut,
}


# --- Standards (the years are in esar.api.cycles) ---------------------------------------------------------------------


class QualityLevelOut(Schema):
    rank: int
    name_th: str
    name_en: str


class ItemOut(Schema):
    id: int
    number: str
    group_th: str
    name_th: str
    name_en: str


class StandardOut(Schema):
    id: int
    number: str
    name_th: str
    name_en: str
    items: list[ItemOut]


class StandardSetOut(Schema):
    code: str
    education_level: EducationLevel
    version: int
    effective_from_year: int
    name_th: str
    name_en: str
    is_active: bool


class StandardSetDetailOut(StandardSetOut):
    good_rank: int = Field(
        ...,
        description="The rank of the quality level that counts as good: a level below it is "
        "'below good' in the syntheses and dashboards.",
    )
    quality_levels: list[QualityLevelOut]
    standards: list[StandardOut]


# --- SARs ------------------------------------------------------------------------------------


class FileOut(Schema):
    id: int
    kind: str
    name: str = Field(..., alias="original_name")
    size: int
    sha256: str
    pages: int | None = Field(None, alias="page_count")
    uploaded_at: dt.datetime
    url: str

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return reverse("api:sar_file", kwargs={"attachment_id": obj.pk})


class SarOut(Schema):
    id: int
    institution_code: str = Field(..., alias="institution.code")
    institution_name: str = Field(..., alias="institution.name_th")
    lao_code: str = Field(..., alias="institution.lao.code")
    year: int = Field(..., alias="year_id")
    status: SarStatus
    version: int
    latest_revision: int | None = None
    updated_at: dt.datetime

    @staticmethod
    def resolve_latest_revision(obj: Sar) -> int | None:
        revision = obj.current_revision
        return revision.number if revision is not None else None


class ContentOut(Schema):
    basic_data: BasicData
    items: dict[str, ItemEntry]
    standards: dict[str, StandardEntry]
    summary: Summary


class SarDetailOut(SarOut):
    standard_sets: list[str]
    content: ContentOut
    document: FileOut | None
    evidence: list[FileOut]
    missing: list[MissingOut] = Field(
        ..., description="What must be filled in before submission (empty once sent)."
    )

    @staticmethod
    def resolve_standard_sets(obj: Sar) -> list[str]:
        return [s.code for s in obj.standard_sets.all()]

    @staticmethod
    def resolve_content(obj: Sar) -> dict[str, Any]:
        from esar.sar.content import parse

        return parse(obj.content).as_json()

    @staticmethod
    def resolve_evidence(obj: Sar) -> list[Attachment]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_missing(obj: Sar) -> list[dict[str, Any]]:
        if obj.status not in (SarStatus.DRAFT, SarStatus.RETURNED):
            return []
        return [entry.as_json() for entry in missing_before_submission(obj)]


class SarFilters(Schema):
    year: int | None = Field(None, ge=2500, le=2700)
    status: SarStatus | None = None
    institution: str | None = Field(None, max_length=10, description="MOE code.")
    lao: str | None = Field(None, max_length=7, description="LAO code.")
    province: str | None = Field(None, max_length=2, description="Province code.")
    target_group: bool | None = Field(
        None, description="Only institutions in (true) or out of (false) the year's target group."
    )


class SarOpenIn(Schema):
    institution: str = Field(
        ..., max_length=10, description="MOE code of the caller's institution."
    )
    year: int = Field(..., ge=2500, le=2700)


class DraftIn(Schema):
    version: int = Field(..., ge=1, description="The version the changes start from.")
    basic_data: BasicData | None = None
    items: dict[str, ItemEntry] | None = Field(None, description="Only the items to replace.")
    standards: dict[str, StandardEntry] | None = Field(
        None, description="Only the standards (as a whole) to replace, keyed by standard id."
    )
    summary: Summary | None = None


class VersionIn(Schema):
    version: int = Field(..., ge=1)


class ReasonIn(Schema):
    section: str = Field(..., max_length=20)
    item_id: int | None = None
    text: str = Field(..., max_length=5000)


class AcceptIn(Schema):
    note: str = Field("", max_length=5000)


class ReturnIn(Schema):
    reasons: list[ReasonIn] = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=5000)


class ReasonOut(Schema):
    section: str
    item_id: int | None
    text: str


class RevisionOut(Schema):
    number: int
    status: RevisionStatus
    submitted_at: dt.datetime
    submitted_by: str = Field(..., alias="submitted_by.username")
    is_late: bool
    content_sha256: str
    reviewed_at: dt.datetime | None
    review_note: str
    document: FileOut
    evidence: list[FileOut]
    reasons: list[ReasonOut]

    @staticmethod
    def resolve_evidence(obj: Revision) -> list[Attachment]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_reasons(obj: Revision) -> list[Any]:
        return list(obj.reasons.all())


class RevisionDetailOut(RevisionOut):
    content: ContentOut
