"""Academic years through the API: everyone reads them; DLA's administrators create a year and
edit its dates, deadlines and rules, as on the academic-year pages.

The same services as the pages (`esar.cycles.services.create_year` / `update_year`): the same
checks with the same Thai messages (422 naming each field), nothing saved when one is wrong, an
audit event naming the changes. Anyone who reads the years but may not manage them gets 403; a
save over a change made since the caller read the year (`version`) is 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import validation_error_body
from esar.api.sar import _registry_reader
from esar.api.schemas import ErrorOut, ValidationErrorOut
from esar.cycles import selectors, services
from esar.cycles.forms import EditYearForm
from esar.cycles.models import AcademicYear

router = Router(tags=["sar"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class YearOut(Schema):
    year: int
    semester1_start: dt.date
    sar_due: dt.date
    review_due: dt.date
    synthesis_due: dt.date
    delivery_due: dt.date
    target_group_years: int
    upload_limit_mb: int
    is_open: bool
    version: str = Field(
        ...,
        description=(
            "When the year's settings were last saved, to the microsecond: send it back as "
            "`version` with PATCH /years/{year}."
        ),
    )

    @staticmethod
    def resolve_version(obj: AcademicYear) -> str:
        return EditYearForm.version_of(obj)


@router.get("/years", response={200: list[YearOut], **READ_ERRORS})
def year_list(request: AuthenticatedRequest) -> QuerySet[AcademicYear]:
    _registry_reader(request)
    return AcademicYear.objects.all()


@router.get("/years/{year}", response={200: YearOut, **READ_ERRORS})
def year_detail(request: AuthenticatedRequest, year: int) -> AcademicYear:
    _registry_reader(request)
    return get_object_or_404(AcademicYear, year=year)


RESPONSES: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


class YearSettingsIn(Schema):
    target_group_years: int = Field(
        5,
        ge=1,
        le=20,
        description=(
            "Institutions never assessed by ONESQA, or last assessed this many years or more "
            "before semester 1 opened, are in the target group."
        ),
    )
    upload_limit_mb: int = Field(100, ge=1, le=2048, description="The largest file accepted.")
    is_open: bool = Field(True, description="Schools can write and send SARs for an open year.")


class YearCreateIn(YearSettingsIn):
    year: int = Field(..., description="In the Buddhist era, for example 2569.")
    semester1_start: dt.date
    sar_due: dt.date
    review_due: dt.date
    synthesis_due: dt.date
    delivery_due: dt.date


class YearChangeIn(Schema):
    version: dt.datetime | None = Field(
        None,
        description=(
            "The `version` the caller read: when someone saved the year since, nothing is saved "
            "(409). Without it the change applies to the year as it is."
        ),
    )
    semester1_start: dt.date | None = None
    sar_due: dt.date | None = None
    review_due: dt.date | None = None
    synthesis_due: dt.date | None = None
    delivery_due: dt.date | None = None
    target_group_years: int | None = Field(None, ge=1, le=20)
    upload_limit_mb: int | None = Field(None, ge=1, le=2048)
    is_open: bool | None = None


def _manager(request: AuthenticatedRequest) -> Status[dict[str, str]] | None:
    _registry_reader(request)  # the years are reference data: unseen without it (404)
    if not has_perm(request.user, Perm.YEARS_MANAGE):
        return Status(403, {"detail": _("Only DLA administrators create and edit academic years.")})
    return None


def _refused(exc: ValidationError) -> Status[dict[str, Any]]:
    return Status(
        422, validation_error_body(exc, detail=_("The academic year was not saved; see errors."))
    )


@router.post(
    "/years",
    response={201: YearOut, **RESPONSES},
    summary="Create an academic year (DLA administrators)",
    description=(
        "The year is in the Buddhist era; semester 1 opens in that year and each deadline falls "
        "on or after the one before it (422 naming the fields otherwise, or when the year exists)."
    ),
)
def year_create(request: AuthenticatedRequest, body: YearCreateIn) -> Any:
    refused = _manager(request)
    if refused is not None:
        return refused
    try:
        created = services.create_year(actor=request.user, **body.model_dump())
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, created)


@router.patch(
    "/years/{year}",
    response={200: YearOut, **RESPONSES},
    summary="Edit an academic year's dates, deadlines and rules (DLA administrators)",
    description=(
        "Only the fields sent change. The same checks as the page: semester 1 inside the year, "
        "each deadline on or after the one before it (422 naming the fields, nothing saved)."
    ),
)
def year_edit(request: AuthenticatedRequest, year: int, body: YearChangeIn) -> Any:
    refused = _manager(request)
    academic_year = selectors.year_or_404(year)
    if refused is not None:
        return refused
    values = body.model_dump(exclude={"version"})
    try:
        services.update_year(
            actor=request.user,
            year=academic_year,
            expected_updated_at=body.version,
            **values,
        )
    except services.Conflict as exc:
        return Status(exc.status, {"detail": exc.message})
    except ValidationError as exc:
        return _refused(exc)
    return AcademicYear.objects.get(pk=academic_year.pk)
