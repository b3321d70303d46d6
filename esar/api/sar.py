"""The SAR cycle through the API: standards, years, drafts, files, submission, review, revisions.

The same services and scoping as the pages: a SAR outside the caller's part of the hierarchy is
404; an action the caller's role may not take is 403; a lost race is 409 and changes nothing.
A school that writes its SAR in another tool pushes it here with PATCH, the PDF upload and submit.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import get_visible_or_404
from esar.accounts.types import AuthenticatedRequest, User
from esar.api.errors import service_error
from esar.api.files import serve_verified
from esar.api.pagination import Pagination
from esar.api.sar_schemas import (
    ERRORS,
    WRITE_ERRORS,
    AcceptIn,
    DraftIn,
    FileOut,
    ReturnIn,
    RevisionDetailOut,
    RevisionOut,
    SarDetailOut,
    SarFilters,
    SarOpenIn,
    SarOut,
    StandardSetDetailOut,
    StandardSetOut,
    VersionIn,
)
from esar.api.schemas import ErrorOut, ValidationErrorOut, file_answer
from esar.assessments.selectors import in_target_group
from esar.core.audit import client_ip
from esar.core.errors import ServiceError
from esar.cycles.models import AcademicYear
from esar.delivery import selectors as delivery_selectors
from esar.organizations.models import Institution
from esar.sar import selectors
from esar.sar.files import UploadRefused, refuse_by_declared_length
from esar.sar.models import Revision, Sar, SarStatus
from esar.sar.services import drafts, revisions
from esar.standards.models import Standard, StandardSet

router = Router(tags=["sar"])


# --- Standards (the years are in esar.api.cycles) ---------------------------------------------------------------------


def _registry_reader(request: AuthenticatedRequest) -> None:
    if not has_perm(request.user, Perm.REGISTRY_VIEW):
        raise Http404


@router.get("/standard-sets", response={200: list[StandardSetOut], **ERRORS})
def standard_set_list(request: AuthenticatedRequest) -> QuerySet[StandardSet]:
    _registry_reader(request)
    return StandardSet.objects.all()


@router.get("/standard-sets/{code}", response={200: StandardSetDetailOut, **ERRORS})
def standard_set_detail(request: AuthenticatedRequest, code: str) -> StandardSet:
    _registry_reader(request)
    return get_object_or_404(
        StandardSet.objects.prefetch_related(
            "quality_levels",
            Prefetch("standards", queryset=Standard.objects.prefetch_related("items")),
        ),
        code=code,
    )


# --- SARs ------------------------------------------------------------------------------------


def _sars(user: User) -> QuerySet[Sar]:
    return selectors.sars_for(user)


def _sar(request: AuthenticatedRequest, sar_id: int) -> Sar:
    return selectors.sar_for(request.user, sar_id)


def _detail(sar: Sar) -> Sar:
    return Sar.objects.select_related(
        "institution__lao", "current_revision", "year", "document"
    ).get(pk=sar.pk)


@router.get("/sars", response={200: list[SarOut], **ERRORS}, summary="SARs the caller may see")
@paginate(Pagination)
def sar_list(request: AuthenticatedRequest, params: Query[SarFilters]) -> QuerySet[Sar]:
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
def sar_open(request: AuthenticatedRequest, body: SarOpenIn) -> Any:
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
def sar_detail(request: AuthenticatedRequest, sar_id: int) -> Sar:
    return _detail(_sar(request, sar_id))


@router.patch(
    "/sars/{sar_id}",
    response={200: SarDetailOut, **WRITE_ERRORS},
    summary="Save parts of the draft (basic data, some items, summary)",
)
def sar_save(request: AuthenticatedRequest, sar_id: int, body: DraftIn) -> Any:
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


def _upload(request: AuthenticatedRequest, sar_id: int, kind: str) -> Any:
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
def sar_document(request: AuthenticatedRequest, sar_id: int) -> Any:
    return _upload(request, sar_id, "document")


@router.post(
    "/sars/{sar_id}/evidence",
    response={200: FileOut, **WRITE_ERRORS},
    openapi_extra=UPLOAD_BODY,
    summary="Add an evidence file (a PDF) to the draft",
)
def sar_evidence_add(request: AuthenticatedRequest, sar_id: int) -> Any:
    return _upload(request, sar_id, "evidence")


@router.delete("/sars/{sar_id}/evidence/{attachment_id}", response={204: None, **WRITE_ERRORS})
def sar_evidence_remove(request: AuthenticatedRequest, sar_id: int, attachment_id: int) -> Any:
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
def sar_submit(request: AuthenticatedRequest, sar_id: int, body: VersionIn) -> Any:
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
def review_queue(request: AuthenticatedRequest) -> QuerySet[Sar]:
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
def revision_list(request: AuthenticatedRequest, sar_id: int) -> QuerySet[Revision]:
    return _revisions(_sar(request, sar_id)).order_by("number")


@router.get("/sars/{sar_id}/revisions/{number}", response={200: RevisionDetailOut, **ERRORS})
def revision_detail(request: AuthenticatedRequest, sar_id: int, number: int) -> Revision:
    return get_object_or_404(_revisions(_sar(request, sar_id)), number=number)


@router.post(
    "/sars/{sar_id}/revisions/{number}/accept",
    response={200: RevisionOut, **WRITE_ERRORS},
    summary="Accept a revision (the institution's LAO)",
)
def revision_accept(request: AuthenticatedRequest, sar_id: int, number: int, body: AcceptIn) -> Any:
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
def revision_return(request: AuthenticatedRequest, sar_id: int, number: int, body: ReturnIn) -> Any:
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
def file_download(request: AuthenticatedRequest, attachment_id: int) -> Any:
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
