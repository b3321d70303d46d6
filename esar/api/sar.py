"""The SAR cycle through the API: standards, years, drafts, files, submission, review, revisions.

The same services and scoping as the pages: a SAR outside the caller's part of the hierarchy is
404; an action the caller's role may not take is 403; a lost race is 409 and changes nothing.
A school that writes its SAR in another tool pushes it here with PATCH, the PDF upload and submit.
"""

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import get_visible_or_404
from esar.api.errors import service_error
from esar.api.files import serve_verified
from esar.api.pagination import Pagination
from esar.api.schemas import ErrorOut, ValidationErrorOut, file_answer
from esar.assessments.selectors import in_target_group
from esar.core.audit import client_ip
from esar.core.errors import ServiceError
from esar.cycles.models import AcademicYear
from esar.delivery import selectors as delivery_selectors
from esar.organizations.models import EducationLevel, Institution
from esar.sar import selectors
from esar.sar.content import BasicData, ItemEntry, MissingCode, StandardEntry, Summary
from esar.sar.files import UploadRefused, refuse_by_declared_length
from esar.sar.models import Attachment, Revision, RevisionStatus, Sar, SarStatus
from esar.sar.services import drafts, revisions
from esar.standards.models import Standard, StandardSet

router = Router(tags=["sar"])

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


def _registry_reader(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.REGISTRY_VIEW):
        raise Http404


@router.get("/standard-sets", response={200: list[StandardSetOut], **ERRORS})
def standard_set_list(request: HttpRequest) -> QuerySet[StandardSet]:
    _registry_reader(request)
    return StandardSet.objects.all()


@router.get("/standard-sets/{code}", response={200: StandardSetDetailOut, **ERRORS})
def standard_set_detail(request: HttpRequest, code: str) -> StandardSet:
    _registry_reader(request)
    return get_object_or_404(
        StandardSet.objects.prefetch_related(
            "quality_levels",
            Prefetch("standards", queryset=Standard.objects.prefetch_related("items")),
        ),
        code=code,
    )


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
        return obj.current_revision.number if obj.current_revision_id else None


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
    def resolve_missing(obj: Sar) -> list[str]:
        if obj.status not in (SarStatus.DRAFT, SarStatus.RETURNED):
            return []
        return [entry.as_json() for entry in drafts.missing_before_submission(obj)]


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


def _sars(user: Any) -> QuerySet[Sar]:
    return selectors.sars_for(user)


def _sar(request: HttpRequest, sar_id: int) -> Sar:
    return selectors.sar_for(request.user, sar_id)


def _detail(sar: Sar) -> Sar:
    return Sar.objects.select_related(
        "institution__lao", "current_revision", "year", "document"
    ).get(pk=sar.pk)


@router.get("/sars", response={200: list[SarOut], **ERRORS}, summary="SARs the caller may see")
@paginate(Pagination)
def sar_list(request: HttpRequest, params: Query[SarFilters]) -> QuerySet[Sar]:
    sars = _sars(request.user)
    if params.year:
        sars = sars.filter(year_id=params.year)
    if params.status:
        sars = sars.filter(status=params.status)
    if params.institution:
        sars = sars.filter(institution__code=params.institution)
    if params.lao:
        sars = sars.filter(institution__lao__code=params.lao)
    if params.province:
        sars = sars.filter(institution__lao__province_id=params.province)
    if params.target_group is not None:
        if not params.year:
            return Sar.objects.none()  # a target group belongs to a year
        year = get_object_or_404(AcademicYear, year=params.year)
        sars = sars.filter(
            institution__in=in_target_group(Institution.objects.all(), year, params.target_group)
        )
    return sars.order_by("-year_id", "institution__code")


@router.post(
    "/sars",
    response={200: SarDetailOut, **WRITE_ERRORS},
    summary="Open (or get) the caller's institution's SAR for a year",
)
def sar_open(request: HttpRequest, body: SarOpenIn) -> Any:
    institution = get_visible_or_404(request.user, Institution.objects.all(), code=body.institution)
    year = get_object_or_404(AcademicYear, year=body.year)
    try:
        sar = drafts.open_sar(
            institution=institution, year=year, actor=request.user, ip=client_ip(request)
        )
    except ServiceError as exc:
        return service_error(exc)
    return _detail(sar)


@router.get("/sars/{sar_id}", response={200: SarDetailOut, **ERRORS})
def sar_detail(request: HttpRequest, sar_id: int) -> Sar:
    return _detail(_sar(request, sar_id))


@router.patch(
    "/sars/{sar_id}",
    response={200: SarDetailOut, **WRITE_ERRORS},
    summary="Save parts of the draft (basic data, some items, summary)",
)
def sar_save(request: HttpRequest, sar_id: int, body: DraftIn) -> Any:
    sar = _sar(request, sar_id)
    try:
        sar = drafts.save_draft(
            sar=sar,
            actor=request.user,
            expected_version=body.version,
            basic_data=body.basic_data.model_dump(mode="json") if body.basic_data else None,
            items={k: v.model_dump(mode="json") for k, v in body.items.items()}
            if body.items
            else None,
            standards={k: v.model_dump(mode="json") for k, v in body.standards.items()}
            if body.standards
            else None,
            summary=body.summary.model_dump(mode="json") if body.summary else None,
            ip=client_ip(request),
        )
    except ServiceError as exc:
        return service_error(exc)
    return _detail(sar)


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        },
    }
}


def _upload(request: HttpRequest, sar_id: int, kind: str) -> Any:
    sar = _sar(request, sar_id)
    try:
        # Before the body is read: a declared length over the limit is refused at once.
        refuse_by_declared_length(request.META.get("CONTENT_LENGTH"), sar.year.upload_limit_mb)
        upload = request.FILES.get("file")
        if upload is None:
            return Status(
                422, {"detail": _("Send the PDF in the multipart field 'file'."), "details": []}
            )
        attachment = drafts.attach_file(
            sar=sar, actor=request.user, upload=upload, kind=kind, ip=client_ip(request)
        )
    except UploadRefused as exc:
        return Status(422, {"detail": exc.message, "details": []})
    except ServiceError as exc:
        return service_error(exc)
    return attachment


@router.post(
    "/sars/{sar_id}/document",
    response={200: FileOut, **WRITE_ERRORS},
    openapi_extra=UPLOAD_BODY,
    summary="Upload the full SAR document (a PDF), replacing the draft's",
)
def sar_document(request: HttpRequest, sar_id: int) -> Any:
    return _upload(request, sar_id, "document")


@router.post(
    "/sars/{sar_id}/evidence",
    response={200: FileOut, **WRITE_ERRORS},
    openapi_extra=UPLOAD_BODY,
    summary="Add an evidence file (a PDF) to the draft",
)
def sar_evidence_add(request: HttpRequest, sar_id: int) -> Any:
    return _upload(request, sar_id, "evidence")


@router.delete("/sars/{sar_id}/evidence/{attachment_id}", response={204: None, **WRITE_ERRORS})
def sar_evidence_remove(request: HttpRequest, sar_id: int, attachment_id: int) -> Any:
    sar = _sar(request, sar_id)
    try:
        drafts.remove_evidence(
            sar=sar, actor=request.user, attachment_id=attachment_id, ip=client_ip(request)
        )
    except ServiceError as exc:
        return service_error(exc)
    return Status(204, None)


@router.post(
    "/sars/{sar_id}/submit",
    response={200: RevisionOut, **WRITE_ERRORS},
    summary="Send the draft to the LAO as a new revision",
)
def sar_submit(request: HttpRequest, sar_id: int, body: VersionIn) -> Any:
    sar = _sar(request, sar_id)
    try:
        return revisions.submit(
            sar=sar, actor=request.user, expected_version=body.version, ip=client_ip(request)
        )
    except ServiceError as exc:
        return service_error(exc)


@router.get(
    "/review-queue",
    response={200: list[SarOut], **ERRORS},
    summary="SARs waiting for the caller's review (LAO officers), oldest first",
)
@paginate(Pagination)
def review_queue(request: HttpRequest) -> QuerySet[Sar]:
    if not has_perm(request.user, Perm.SAR_REVIEW):
        return Sar.objects.none()
    return (
        _sars(request.user)
        .filter(status=SarStatus.SUBMITTED)
        .order_by("current_revision__submitted_at", "pk")
    )


def _revisions(sar: Sar) -> QuerySet[Revision]:
    return sar.revisions.select_related("submitted_by", "document").prefetch_related(
        "evidence", "reasons"
    )


@router.get("/sars/{sar_id}/revisions", response={200: list[RevisionOut], **ERRORS})
def revision_list(request: HttpRequest, sar_id: int) -> QuerySet[Revision]:
    return _revisions(_sar(request, sar_id)).order_by("number")


@router.get("/sars/{sar_id}/revisions/{number}", response={200: RevisionDetailOut, **ERRORS})
def revision_detail(request: HttpRequest, sar_id: int, number: int) -> Revision:
    return get_object_or_404(_revisions(_sar(request, sar_id)), number=number)


@router.post(
    "/sars/{sar_id}/revisions/{number}/accept",
    response={200: RevisionOut, **WRITE_ERRORS},
    summary="Accept a revision (the institution's LAO)",
)
def revision_accept(request: HttpRequest, sar_id: int, number: int, body: AcceptIn) -> Any:
    revision = get_object_or_404(_revisions(_sar(request, sar_id)), number=number)
    try:
        revisions.accept(
            revision=revision, actor=request.user, note=body.note, ip=client_ip(request)
        )
    except ServiceError as exc:
        return service_error(exc)
    return _revisions(revision.sar).get(pk=revision.pk)


@router.post(
    "/sars/{sar_id}/revisions/{number}/return",
    response={200: RevisionOut, **WRITE_ERRORS},
    summary="Return a revision to the school with reasons (the institution's LAO)",
)
def revision_return(request: HttpRequest, sar_id: int, number: int, body: ReturnIn) -> Any:
    revision = get_object_or_404(_revisions(_sar(request, sar_id)), number=number)
    try:
        revisions.return_for_revision(
            revision=revision,
            actor=request.user,
            reasons=[revisions.ReasonInput(r.section, r.text, r.item_id) for r in body.reasons],
            note=body.note,
            ip=client_ip(request),
        )
    except ServiceError as exc:
        return service_error(exc)
    return _revisions(revision.sar).get(pk=revision.pk)


@router.get(
    "/files/{attachment_id}",
    url_name="sar_file",
    response={401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    openapi_extra=file_answer("The PDF", "application/pdf"),
    summary="Download a stored PDF of a SAR the caller may see (SHA-256 in the X-Checksum-SHA256 header)",
)
def file_download(request: HttpRequest, attachment_id: int) -> Any:
    try:
        attachment = selectors.attachment_for(request.user, attachment_id)
    except Http404:
        # ONESQA reads no SAR, only what was delivered to it: the file of a delivered revision,
        # checked against that delivery's manifest.
        delivery, path = delivery_selectors.delivered_file_for(request.user, attachment_id)
        return serve_verified(request, delivery, path)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/pdf",
    )
    response["X-Checksum-SHA256"] = attachment.sha256
    return response
