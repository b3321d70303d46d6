"""Deliveries into e-SAR through the API: list and read them, deliver, acknowledge receipt.

The same services and scoping as the pages: a delivery outside the caller's part of the hierarchy
is 404 (ONESQA sees every delivery that reached e-SAR); an action the caller may not take is 403
(only the LAO's own e-SAR account delivers, only ONESQA acknowledges); a lost race or nothing new to
deliver is 409; a refused request is 422.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from esar.accounts.scoping import get_visible_or_404
from esar.api.pagination import Pagination
from esar.api.sar import WRITE_ERRORS
from esar.api.schemas import ErrorOut, ValidationErrorOut
from esar.core.audit import client_ip
from esar.cycles.models import AcademicYear
from esar.delivery import selectors, services
from esar.delivery.models import Channel, Delivery, DeliveryStatus
from esar.organizations.models import LocalAuthority

router = Router(tags=["delivery"])

ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _error(exc: services.SarError) -> Status[dict[str, Any]]:
    status = 400
    if isinstance(exc, services.NotAllowed):
        status = 403
    elif isinstance(exc, services.Conflict):
        status = 409
    elif isinstance(exc, services.Invalid):
        status = 422
    return Status(status, {"detail": exc.message, "details": exc.details})


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
    institution_code: str
    institution_name: str
    revision: int
    content_sha256: str


class ManifestFileOut(Schema):
    path: str
    kind: str
    name: str
    size: int
    sha256: str


class DeliveryDetailOut(DeliveryOut):
    sars: list[DeliveredSarOut]
    files: list[ManifestFileOut]

    @staticmethod
    def resolve_sars(obj: Delivery) -> list[dict[str, Any]]:
        return obj.manifest.get("sars", [])

    @staticmethod
    def resolve_files(obj: Delivery) -> list[dict[str, Any]]:
        return obj.manifest.get("files", [])


class ManifestOut(Schema):
    receipt_number: str
    manifest_sha256: str = Field(
        ..., description="SHA-256 of the manifest as canonical JSON (sorted keys, no spaces)."
    )
    manifest: dict[str, Any]


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


@router.get(
    "/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="Deliveries the caller may see, newest first",
)
@paginate(Pagination)
def delivery_list(request: HttpRequest, params: Query[DeliveryFilters]) -> QuerySet[Delivery]:
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
def delivery_pending(request: HttpRequest, params: Query[PendingQuery]) -> Any:
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
def delivery_detail(request: HttpRequest, delivery_id: int) -> Delivery:
    return selectors.delivery_for(request.user, delivery_id)


@router.get(
    "/deliveries/{delivery_id}/manifest",
    response={200: ManifestOut, **ERRORS},
    summary="The receipt number and the manifest: every file of the package with its SHA-256",
)
def delivery_manifest(request: HttpRequest, delivery_id: int) -> Delivery:
    return selectors.delivery_for(request.user, delivery_id)


@router.post(
    "/deliveries",
    response={201: DeliveryDetailOut, **WRITE_ERRORS},
    summary="Deliver the accepted SARs and the completed synthesis (the LAO's e-SAR account)",
)
def delivery_create(request: HttpRequest, body: DeliverIn) -> Any:
    lao = get_visible_or_404(request.user, LocalAuthority.objects.all(), code=body.lao)
    year = get_object_or_404(AcademicYear, pk=body.year)
    try:
        delivery = services.deliver(
            lao=lao, year=year, actor=request.user, expected=body.expected, ip=client_ip(request)
        )
    except services.SarError as exc:
        return _error(exc)
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
def delivery_acknowledge(request: HttpRequest, delivery_id: int) -> Any:
    delivery = selectors.delivery_for(request.user, delivery_id)
    try:
        services.acknowledge(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        return _error(exc)
    return selectors.delivery_for(request.user, delivery_id)


@router.post(
    "/deliveries/{delivery_id}/retry",
    response={200: DeliveryOut, **WRITE_ERRORS},
    summary="Send a failed delivery again, with the same idempotency key (the LAO's e-SAR account)",
)
def delivery_retry(request: HttpRequest, delivery_id: int) -> Any:
    delivery = selectors.delivery_for(request.user, delivery_id)
    try:
        services.retry(delivery=delivery, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        return _error(exc)
    return selectors.delivery_for(request.user, delivery_id)
