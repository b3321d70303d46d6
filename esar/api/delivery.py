"""Deliveries into e-SAR through the API: list and read them, deliver, acknowledge receipt.

The same services and scoping as the pages: a delivery outside the caller's part of the hierarchy
is 404 (ONESQA sees every delivery that reached e-SAR); an action the caller may not take is 403
(only the LAO's own e-SAR account delivers, only ONESQA acknowledges); a lost race or nothing new to
deliver is 409; a refused request is 422. What the operations answer and take is described in
`esar.api.delivery_schemas`.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from esar.accounts.scoping import get_visible_or_404
from esar.accounts.types import AuthenticatedRequest
from esar.api import synthesis as synthesis_api
from esar.api.delivery_schemas import (
    DeliveredRevisionOut,
    DeliveredSynthesisOut,
    DeliverIn,
    DeliveryDetailOut,
    DeliveryFilters,
    DeliveryOut,
    ManifestOut,
    NoteIn,
    NoteOut,
    PendingOut,
    PendingQuery,
    manifest_files,
    sar_url,
)
from esar.api.errors import service_error
from esar.api.files import serve_verified
from esar.api.pagination import Pagination
from esar.api.sar_schemas import WRITE_ERRORS
from esar.api.schemas import ErrorOut, ValidationErrorOut, file_answer
from esar.core.audit import client_ip
from esar.cycles.models import AcademicYear
from esar.delivery import selectors, services
from esar.delivery.models import Delivery
from esar.organizations.models import LocalAuthority
from esar.sar import content as sar_content

router = Router(tags=["delivery"])

ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


@router.get(
    "/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="Deliveries the caller may see, newest first",
)
@paginate(Pagination)
def delivery_list(
    request: AuthenticatedRequest, params: Query[DeliveryFilters]
) -> QuerySet[Delivery]:
    deliveries = selectors.deliveries_for(request.user)
    year = None
    if params.year is not None:
        year = AcademicYear.objects.filter(pk=params.year).first()
        if year is None:
            return deliveries.none()
    return selectors.filter_deliveries(
        deliveries,
        year=year,
        province=params.province,
        lao=params.lao,
        target_group=params.target_group,
    ).order_by("-created_at", "-pk")


@router.get(
    "/deliveries/pending",
    response={200: PendingOut, **ERRORS},
    summary="What the caller's LAO would deliver now (accepted SARs, completed synthesis)",
)
def delivery_pending(request: AuthenticatedRequest, params: Query[PendingQuery]) -> Any:
    found = selectors.lao_for(request.user, params.lao)
    academic_year = get_object_or_404(AcademicYear, pk=params.year)
    waiting = services.pending(found, academic_year)
    return {
        "pending": waiting.key,
        "revisions": len(waiting.revisions),
        "synthesis_version": waiting.synthesis_version.number
        if waiting.synthesis_version
        else None,
    }


@router.get("/deliveries/{delivery_id}", response={200: DeliveryDetailOut, **ERRORS})
def delivery_detail(request: AuthenticatedRequest, delivery_id: int) -> Delivery:
    return selectors.delivery_for(request.user, delivery_id)


@router.get(
    "/deliveries/{delivery_id}/manifest",
    response={200: ManifestOut, **ERRORS},
    summary="The receipt number and the manifest: every file of the package with its SHA-256",
)
def delivery_manifest(request: AuthenticatedRequest, delivery_id: int) -> Delivery:
    return selectors.delivery_for(request.user, delivery_id)


def _delivered_sar(
    request: AuthenticatedRequest, delivery_id: int, institution_code: str
) -> tuple[Delivery, dict[str, Any], Any]:
    """The delivery, its manifest's entry for the institution, and the delivered revision."""
    delivery = selectors.delivery_for(request.user, delivery_id)
    listed = next(
        (s for s in delivery.manifest.get("sars", []) if s["institution_code"] == institution_code),
        None,
    )
    if listed is None:
        raise Http404
    delivered = selectors.delivered_revision_for(request.user, delivery, listed["revision_id"])
    return delivery, listed, delivered


@router.get(
    "/deliveries/{delivery_id}/sars/{institution_code}",
    url_name="delivered_sar",
    response={200: DeliveredRevisionOut, **ERRORS},
    summary="A delivered SAR revision, frozen, with its files (and ONESQA's notes, for ONESQA)",
)
def delivered_sar(request: AuthenticatedRequest, delivery_id: int, institution_code: str) -> Any:
    delivery, listed, delivered = _delivered_sar(request, delivery_id, institution_code)
    revision = delivered.revision
    institution = revision.sar.institution
    files = [entry for entry in manifest_files(delivery) if entry["path"] in listed["files"]]
    notes = selectors.notes_for(request.user, delivered)
    others = selectors.earlier_versions(delivered)
    visible_ids = set(
        selectors.deliveries_for(request.user)
        .filter(pk__in=[other.delivery_id for other in others])
        .values_list("pk", flat=True)
    )
    return {
        "delivery_id": delivery.pk,
        "receipt_number": delivery.receipt_number,
        "institution_code": institution.code,
        "onesqa_code": institution.onesqa_code or "",
        "institution_name": institution.name_th,
        "lao_code": delivery.lao.code,
        "year": revision.sar.year_id,
        "revision": revision.number,
        "submitted_at": revision.submitted_at,
        "accepted_at": revision.reviewed_at,
        "is_late": revision.is_late,
        "content_sha256": revision.content_sha256,
        "content": sar_content.parse(revision.content).as_json(),
        "files": files,
        "other_deliveries": [
            {
                "receipt_number": other.delivery.receipt_number,
                "revision": other.revision.number,
                "url": sar_url(other.delivery_id, institution.code),
            }
            for other in others
            if other.delivery_id in visible_ids
        ],
        "notes": notes,
    }


@router.post(
    "/deliveries/{delivery_id}/sars/{institution_code}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Write a note on a delivered SAR for the external assessment (ONESQA; only ONESQA reads notes)",
)
def delivered_sar_note(
    request: AuthenticatedRequest, delivery_id: int, institution_code: str, body: NoteIn
) -> Any:
    _delivery, _listed, delivered = _delivered_sar(request, delivery_id, institution_code)
    try:
        note = services.add_note(
            delivered_revision=delivered, actor=request.user, text=body.text, ip=client_ip(request)
        )
    except services.SarError as exc:
        return service_error(exc)
    return Status(201, note)


@router.get(
    "/deliveries/{delivery_id}/synthesis",
    url_name="delivered_synthesis",
    response={200: DeliveredSynthesisOut, **ERRORS},
    summary="The synthesis version a delivery holds, frozen (404 when it holds none)",
)
def delivered_synthesis(request: AuthenticatedRequest, delivery_id: int) -> Any:
    delivery = selectors.delivery_for(request.user, delivery_id)
    version = selectors.delivered_synthesis(delivery)
    if version is None:
        raise Http404
    path = delivery.manifest["synthesis"]["path"]
    return {
        "delivery_id": delivery.pk,
        "receipt_number": delivery.receipt_number,
        "lao_code": delivery.lao.code,
        "year": delivery.year_id,
        **synthesis_api.version_body(version),
        "file": next(entry for entry in manifest_files(delivery) if entry["path"] == path),
    }


@router.get(
    "/deliveries/{delivery_id}/files/{path:path}",
    url_name="delivery_file",
    response={401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    openapi_extra=file_answer(
        "The file, byte for byte what the manifest hashed", "application/pdf", "application/json"
    ),
    summary="Download a file the delivery's manifest lists, by its path (SHA-256 in X-Checksum-SHA256; "
    "409 if the stored file no longer matches)",
)
def delivery_file(request: AuthenticatedRequest, delivery_id: int, path: str) -> Any:
    delivery = selectors.delivery_for(request.user, delivery_id)
    return serve_verified(request, delivery, path)


@router.post(
    "/deliveries",
    response={201: DeliveryDetailOut, **WRITE_ERRORS},
    summary="Deliver the accepted SARs and the completed synthesis (the LAO's e-SAR account)",
)
def delivery_create(request: AuthenticatedRequest, body: DeliverIn) -> Any:
    lao = get_visible_or_404(request.user, LocalAuthority.objects.all(), code=body.lao)
    year = get_object_or_404(AcademicYear, pk=body.year)
    try:
        delivery = services.deliver(
            lao=lao, year=year, actor=request.user, expected=body.expected, ip=client_ip(request)
        )
    except services.SarError as exc:
        return service_error(exc)
    if delivery is None:
        return Status(
            409,
            {
                "detail": _(
                    "Nothing new to deliver: every accepted SAR and the synthesis are already "
                    "delivered."
                ),
                "details": [],
            },
        )
    return Status(201, selectors.delivery_for(request.user, delivery.pk))


@router.post(
    "/deliveries/{delivery_id}/acknowledge",
    response={200: DeliveryOut, **WRITE_ERRORS},
    summary="Acknowledge receipt of a delivery (ONESQA)",
)
def delivery_acknowledge(request: AuthenticatedRequest, delivery_id: int) -> Any:
    delivery = selectors.delivery_for(request.user, delivery_id)
    try:
        services.acknowledge(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        return service_error(exc)
    return selectors.delivery_for(request.user, delivery_id)


@router.post(
    "/deliveries/{delivery_id}/retry",
    response={200: DeliveryOut, **WRITE_ERRORS},
    summary="Send a failed delivery again, with the same idempotency key (the LAO's e-SAR account)",
)
def delivery_retry(request: AuthenticatedRequest, delivery_id: int) -> Any:
    delivery = selectors.delivery_for(request.user, delivery_id)
    try:
        services.retry(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        return service_error(exc)
    return selectors.delivery_for(request.user, delivery_id)
