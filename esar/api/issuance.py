"""Bulk issuance of the LAOs' e-SAR accounts through the API, as on the e-SAR accounts pages.

Only DLA administrators issue: anyone else is 403 on the plan, the start and the list, and 404 on
an issuance (as on its page). A batch runs as a background job (POST answers 202 with the batch
and its job; GET /jobs/{id} or GET /issuances/{id} follow it). Its letters (PDF) and lists (Excel)
hold the one-time passwords in clear: every download is audited as on the page and is sent with
Cache-Control: no-store; DELETE /issuances/{id}/files deletes them for good once handed over.
"""

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import service_error
from esar.api.jobs import JobOut
from esar.api.pagination import Pagination
from esar.api.sar_schemas import ERRORS, WRITE_ERRORS, SarErrorOut
from esar.api.schemas import ErrorOut, ValidationErrorOut, file_answer
from esar.core.audit import client_ip
from esar.delivery import account_selectors, distribution, downloads, issuance, services
from esar.delivery.accounts import can_issue_accounts
from esar.delivery.models import IssuanceBatch, IssuanceProvince
from esar.organizations.models import Province

router = Router(tags=["issuance"])

PROVINCE_CODE = r"^[0-9]{2}$"
READ_ERRORS: dict[int, Any] = {**ERRORS, 403: SarErrorOut}


def _province(code: str | None) -> Province | None:
    return get_object_or_404(Province, pk=code) if code else None


class ProvinceCountOut(Schema):
    code: str
    name: str
    active: int = Field(..., description="Active LAOs.")
    with_account: int = Field(..., description="Of which with an active e-SAR account.")
    to_issue: int


class PlanOut(Schema):
    province: str | None = Field(None, description="The province's code; null: the country.")
    active: int
    with_account: int
    to_issue: int = Field(..., description="Accounts a batch would issue now.")
    provinces: list[ProvinceCountOut]

    @staticmethod
    def resolve_province(obj: issuance.Plan) -> str | None:
        return obj.province.code if obj.province else None


class ConflictOut(Schema):
    lao: str
    username: str = Field(..., description="Taken by another account: rename it, issue again.")


class IssuanceProvinceOut(Schema):
    province_code: str = Field(..., alias="province_id")
    province_name: str = Field(..., alias="province.name_th")
    issued: int
    skipped: int = Field(..., description="LAOs that already had an account.")
    failed: bool = Field(..., description="Nothing was issued here: start the issuance again.")
    conflicts: list[ConflictOut]
    pdf_url: str | None = Field(None, description="The letters (PDF), one page per LAO.")
    pdf_size: int
    xlsx_url: str | None = Field(None, description="The list (Excel).")
    xlsx_size: int

    @staticmethod
    def resolve_pdf_url(obj: IssuanceProvince) -> str | None:
        return _file_url(obj, "pdf") if obj.pdf_path else None

    @staticmethod
    def resolve_xlsx_url(obj: IssuanceProvince) -> str | None:
        return _file_url(obj, "xlsx") if obj.xlsx_path else None


def _file_url(part: IssuanceProvince, kind: str) -> str:
    return reverse(
        "api:issuance_file",
        kwargs={"batch_id": part.batch_id, "province": part.province_id, "kind": kind},
    )


class IssuanceOut(Schema):
    id: int
    scope: IssuanceBatch.Scope
    province: str | None = Field(None, alias="province_id")
    started_by: str = Field(..., alias="started_by.username")
    created_at: dt.datetime
    finished: bool = Field(..., alias="is_finished")
    finished_at: dt.datetime | None
    expires_at: dt.datetime = Field(..., description="When the batch's one-time passwords expire.")
    provinces_total: int = Field(..., description="Provinces with accounts to issue.")
    provinces_done: int
    issued_count: int
    skipped_count: int = Field(..., description="LAOs that already had an account.")
    has_files: bool = Field(..., description="False once the letters and lists were deleted.")
    files_deleted_at: dt.datetime | None
    job: JobOut | None
    url: str
    page_url: str
    zip_url: str | None = Field(
        None, description="Every province's letters and lists in one zip, while they exist."
    )

    @staticmethod
    def resolve_url(obj: IssuanceBatch) -> str:
        return reverse("api:issuance_detail", kwargs={"batch_id": obj.pk})

    @staticmethod
    def resolve_page_url(obj: IssuanceBatch) -> str:
        return reverse("delivery:issuance_batch", args=[obj.pk])

    @staticmethod
    def resolve_zip_url(obj: IssuanceBatch) -> str | None:
        if not (obj.is_finished and obj.has_files and obj.issued_count > 0):
            return None
        return reverse("api:issuance_zip", kwargs={"batch_id": obj.pk})


class IssuanceDetailOut(IssuanceOut):
    parts: list[IssuanceProvinceOut] = Field(..., description="The provinces issued so far.")

    @staticmethod
    def resolve_parts(obj: IssuanceBatch) -> list[IssuanceProvince]:
        return list(obj.provinces.select_related("province"))


class PlanQuery(Schema):
    province: str | None = Field(
        None, pattern=PROVINCE_CODE, description="A province's code; none: the whole country."
    )


class StartIn(Schema):
    province: str | None = Field(
        None, pattern=PROVINCE_CODE, description="A province's code; none: the whole country."
    )


def _batch(request: AuthenticatedRequest, batch_id: int) -> IssuanceBatch:
    return account_selectors.batch_for(request.user, batch_id)


@router.get(
    "/issuances/plan",
    response={200: PlanOut, **READ_ERRORS},
    summary="How many LAOs of a province (or of the country) a batch would give an account",
)
def issuance_plan(request: AuthenticatedRequest, params: Query[PlanQuery]) -> Any:
    province = _province(params.province)
    try:
        return issuance.plan(actor=request.user, province=province)
    except services.SarError as exc:
        return service_error(exc)


@router.post(
    "/issuances",
    response={202: IssuanceOut, **WRITE_ERRORS},
    summary="Issue an account to every active LAO without one, of a province or of the country",
)
def issuance_start(request: AuthenticatedRequest, body: StartIn) -> Any:
    """A batch already under way for the same scope is answered again rather than doubled."""
    province = _province(body.province)
    try:
        batch = issuance.start(actor=request.user, province=province, ip=client_ip(request))
    except services.SarError as exc:
        return service_error(exc)
    return Status(202, _batch(request, batch.pk))


@router.get(
    "/issuances",
    response={200: list[IssuanceOut], **READ_ERRORS},
    summary="Issuances of e-SAR accounts, newest first",
)
@paginate(Pagination)
def issuance_list(request: AuthenticatedRequest) -> Any:
    if not can_issue_accounts(request.user):
        raise HttpError(403, _("Only DLA administrators issue e-SAR accounts."))
    batches: QuerySet[IssuanceBatch] = account_selectors.batches_for(request.user)
    return batches.select_related("job__created_by").order_by("-created_at", "-pk")


@router.get(
    "/issuances/{batch_id}",
    url_name="issuance_detail",
    response={200: IssuanceDetailOut, **ERRORS},
    summary="One issuance: progress per province, usernames taken, the files to hand over",
)
def issuance_detail(request: AuthenticatedRequest, batch_id: int) -> IssuanceBatch:
    return _batch(request, batch_id)


@router.get(
    "/issuances/{batch_id}/files/{province}.{kind}",
    url_name="issuance_file",
    response={401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    openapi_extra=file_answer(
        "The province's letters (PDF) or list (Excel), with the one-time "
        "passwords in clear; audited, Cache-Control: no-store",
        distribution.PDF,
        distribution.XLSX,
    ),
    summary="Download a province's letters or list",
)
def issuance_file(
    request: AuthenticatedRequest,
    batch_id: int,
    kind: Literal["pdf", "xlsx"],
    province: str = Path(..., pattern=PROVINCE_CODE),
) -> FileResponse:
    return downloads.issuance_file_download(request, _batch(request, batch_id), province, kind)


@router.get(
    "/issuances/{batch_id}/all.zip",
    url_name="issuance_zip",
    response={401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    openapi_extra=file_answer(
        "Every province's letters and lists; audited, Cache-Control: no-store", distribution.ZIP
    ),
    summary="Download every province's letters and lists in one zip",
)
def issuance_zip(request: AuthenticatedRequest, batch_id: int) -> FileResponse:
    return downloads.issuance_zip_download(request, _batch(request, batch_id))


@router.delete(
    "/issuances/{batch_id}/files",
    response={200: IssuanceDetailOut, **WRITE_ERRORS},
    summary="Delete the letters and lists for good once handed over (the accounts stay)",
)
def issuance_delete_files(request: AuthenticatedRequest, batch_id: int) -> Any:
    batch = _batch(request, batch_id)
    try:
        distribution.delete_files(batch=batch, actor=request.user, ip=client_ip(request))
    except services.SarError as exc:
        return service_error(exc)
    return _batch(request, batch_id)
