"""Circulars through the API; same selectors and scoping as the pages.

GET lists the circulars meant for the caller (DLA: every one, drafts included) with the caller's
read flag; reading one through the API marks nothing, POST /circulars/{id}/read does. A DLA
administrator writes a draft and publishes it. A circular not meant for the caller is 404; an
action the caller's role may not take is 403; a lost race is 409; a refused request is 422.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from esar.accounts.roles import Role
from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import service_error
from esar.api.pagination import Pagination
from esar.api.sar_schemas import ERRORS, WRITE_ERRORS
from esar.api.schemas import file_answer
from esar.circulars import qr, selectors, services
from esar.circulars.files import CONTENT_TYPES
from esar.circulars.models import Circular, CircularAttachment, CircularStatus
from esar.core.audit import client_ip

router = Router(tags=["circulars"])

NO_NUL = r"^[^\x00]*$"


class CircularOut(Schema):
    id: int
    number: str = Field(..., description="As printed on the letter, e.g. มท 0816.4/ว 1234.")
    title: str
    issued_on: dt.date
    year: int = Field(..., description="Buddhist-era year of `issued_on`.")
    status: CircularStatus
    provinces: list[str] = Field(..., description="Province codes; empty: the whole country.")
    roles: list[Role] = Field(..., description="Roles it is meant for; empty: every role.")
    published_at: dt.datetime | None
    is_read: bool = Field(..., description="Whether the caller has opened it.")
    read_at: dt.datetime | None
    url: str = Field(..., description="The circular's page (the address its QR code holds).")

    @staticmethod
    def resolve_provinces(obj: Circular) -> list[str]:
        return sorted(province.pk for province in obj.provinces.all())

    @staticmethod
    def resolve_roles(obj: Circular) -> list[str]:
        return sorted(row.role for row in obj.audience_roles.all())

    @staticmethod
    def resolve_url(obj: Circular) -> str:
        return qr.page_url(obj.pk)


class CircularFileOut(Schema):
    id: int
    name: str = Field(..., alias="original_name")
    content_type: str
    size: int
    sha256: str


class CircularDetailOut(CircularOut):
    body: str
    files: list[CircularFileOut]

    @staticmethod
    def resolve_files(obj: Circular) -> list[CircularAttachment]:
        return list(obj.attachments.all())


class CircularFilters(Schema):
    year: int | None = Field(None, ge=2500, le=2700, description="Buddhist-era year.")
    unread: bool | None = Field(None, description="Only unread (true) or only read (false).")
    status: CircularStatus | None = Field(None, description="DLA only sees drafts.")


class CircularIn(Schema):
    number: str = Field(..., min_length=1, max_length=services.NUMBER_MAX, pattern=NO_NUL)
    title: str = Field(..., min_length=1, max_length=services.TITLE_MAX, pattern=NO_NUL)
    issued_on: dt.date
    body: str = Field("", max_length=services.BODY_MAX, pattern=NO_NUL)
    provinces: list[str] = Field(
        [], max_length=100, description="Province codes; empty: the whole country."
    )
    roles: list[Role] = Field([], max_length=len(Role), description="Empty: every role.")


class PublishIn(Schema):
    version: int | None = Field(
        None, ge=1, le=2_147_483_647, description="Refuse if the draft changed since."
    )


def _fresh(request: AuthenticatedRequest, pk: int) -> Circular:
    return selectors.circular_or_404(request.user, pk)


@router.get(
    "/circulars",
    response={200: list[CircularOut], **ERRORS},
    summary="The circulars meant for the caller, unread first, then newest",
)
@paginate(Pagination)
def circular_list(
    request: AuthenticatedRequest, params: Query[CircularFilters]
) -> QuerySet[Circular]:
    rows = selectors.filter_circulars(
        selectors.visible_to(request.user),
        year=params.year,
        unread=params.unread,
        status=params.status,
    )
    return rows.prefetch_related("provinces", "audience_roles")


@router.get(
    "/circulars/{circular_id}",
    response={200: CircularDetailOut, **ERRORS},
    summary="One circular with its text and files (does not mark it read)",
)
def circular_detail(request: AuthenticatedRequest, circular_id: int) -> Circular:
    return _fresh(request, circular_id)


@router.post(
    "/circulars/{circular_id}/read",
    response={200: CircularOut, **ERRORS},
    summary="Mark a circular as read by the caller",
)
def circular_read(request: AuthenticatedRequest, circular_id: int) -> Circular:
    circular = _fresh(request, circular_id)
    if services.mark_read(circular=circular, user=request.user):
        circular = _fresh(request, circular_id)
    return circular


@router.post(
    "/circulars",
    response={201: CircularDetailOut, **WRITE_ERRORS},
    summary="Write a draft circular (DLA administrator)",
)
def circular_create(request: AuthenticatedRequest, body: CircularIn) -> Any:
    try:
        circular = services.create_draft(
            actor=request.user,
            number=body.number,
            title=body.title,
            issued_on=body.issued_on,
            body=body.body,
            provinces=body.provinces,
            roles=[role.value for role in body.roles],
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return service_error(exc)
    return Status(201, _fresh(request, circular.pk))


@router.post(
    "/circulars/{circular_id}/publish",
    response={200: CircularDetailOut, **WRITE_ERRORS},
    summary="Publish a draft to its audience (DLA administrator)",
)
def circular_publish(
    request: AuthenticatedRequest, circular_id: int, body: PublishIn | None = None
) -> Any:
    circular = _fresh(request, circular_id)
    try:
        services.publish(
            circular=circular,
            actor=request.user,
            expected_version=body.version if body else None,
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return service_error(exc)
    return _fresh(request, circular_id)


@router.get(
    "/circulars/{circular_id}/files/{file_id}",
    response={401: ERRORS[401], 404: ERRORS[404], 422: ERRORS[422]},
    openapi_extra=file_answer(
        "The file (SHA-256 in the X-Checksum-SHA256 header)", *CONTENT_TYPES.values()
    ),
    summary="Download a file of a circular the caller may open",
)
def circular_file(request: AuthenticatedRequest, circular_id: int, file_id: int) -> Any:
    attachment = selectors.attachment_or_404(request.user, circular_id, file_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Checksum-SHA256"] = attachment.sha256
    return response
