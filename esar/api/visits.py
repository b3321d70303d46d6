"""Supervision visits through the API: list and read visits and their follow-up actions, record a
visit, correct it, add, close and reopen follow-up actions.

The same services and scoping as the pages: DLA reads every visit, a province supervisor those of
their province, an LAO officer those to the LAO and its institutions, a school officer those to
the school. A visit, an action or a place outside the caller's part is 404; an action the caller's
role may not take (anyone but the province's supervisor writing) is 403; a stale version or an
action already closed is 409; refused input is 422 and changes nothing.
"""

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from esar.accounts.scoping import get_visible_or_404
from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import service_error
from esar.api.pagination import Pagination
from esar.api.sar_schemas import ERRORS, WRITE_ERRORS
from esar.core.audit import client_ip
from esar.organizations.models import Institution, LocalAuthority
from esar.supervision import selectors, services
from esar.supervision.models import FollowUp, FollowUpStatus, Visit

router = Router(tags=["visits"])

PROVINCE_CODE = r"^\d{2}$"
LAO_CODE = r"^\d{7}$"
TARGET_CODE = r"^(\d{7}|\d{10})$"


# --- Output -----------------------------------------------------------------------------------


class FollowUpOut(Schema):
    id: int
    visit_id: int
    action: str
    responsible: str
    due_date: dt.date
    status: FollowUpStatus
    overdue: bool = Field(..., description="Open and its due date has passed (Thai time).")
    created_at: dt.datetime
    closed_at: dt.datetime | None
    closed_by: str | None = Field(..., description="Username of who closed it.")
    closing_note: str

    @staticmethod
    def resolve_overdue(obj: FollowUp) -> bool:
        annotated = getattr(obj, "overdue", None)
        return bool(annotated) if annotated is not None else obj.is_overdue()

    @staticmethod
    def resolve_closed_by(obj: FollowUp) -> str | None:
        return obj.closed_by.get_username() if obj.closed_by is not None else None


class FollowUpRowOut(FollowUpOut):
    province: str = Field(..., description="Province code of the visit.")
    lao: str = Field(..., description="Code of the LAO visited (or of the institution's LAO).")
    lao_name: str
    institution: str | None = Field(..., description="MOE code, when an institution was visited.")
    institution_name: str | None
    visit_date: dt.date

    @staticmethod
    def resolve_province(obj: FollowUp) -> str:
        return obj.visit.province_id

    @staticmethod
    def resolve_lao(obj: FollowUp) -> str:
        return obj.visit.lao.code

    @staticmethod
    def resolve_lao_name(obj: FollowUp) -> str:
        return obj.visit.lao.name_th

    @staticmethod
    def resolve_institution(obj: FollowUp) -> str | None:
        institution = obj.visit.target_institution
        return institution.code if institution else None

    @staticmethod
    def resolve_institution_name(obj: FollowUp) -> str | None:
        institution = obj.visit.target_institution
        return institution.name_th if institution else None

    @staticmethod
    def resolve_visit_date(obj: FollowUp) -> dt.date:
        return obj.visit.visit_date


class VisitOut(Schema):
    id: int
    target: Literal["lao", "institution"] = Field(..., description="What was visited.")
    province: str = Field(..., alias="province_id", description="Province code.")
    province_name: str = Field(..., alias="province.name_th")
    lao: str = Field(..., alias="lao.code", description="The LAO visited, or the institution's.")
    lao_name: str = Field(..., alias="lao.name_th")
    institution: str | None = Field(..., description="MOE code, when an institution was visited.")
    institution_name: str | None
    visit_date: dt.date
    visitors: list[str] = Field(..., description="The supervision team: name and position.")
    findings: str
    recommendations: str
    recorded_by: str = Field(..., alias="recorded_by.username")
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = Field(..., description="Send it back with PATCH: a stale version is 409.")
    follow_ups_total: int = Field(..., alias="follow_up_count")
    follow_ups_open: int = Field(..., alias="open_count")
    follow_ups_overdue: int = Field(..., alias="overdue_count")

    @staticmethod
    def resolve_target(obj: Visit) -> str:
        return "institution" if obj.is_to_institution else "lao"

    @staticmethod
    def resolve_institution(obj: Visit) -> str | None:
        return obj.target_institution.code if obj.target_institution else None

    @staticmethod
    def resolve_institution_name(obj: Visit) -> str | None:
        return obj.target_institution.name_th if obj.target_institution else None

    @staticmethod
    def resolve_visitors(obj: Visit) -> list[str]:
        return obj.visitors.splitlines()


class VisitDetailOut(VisitOut):
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(obj: Visit) -> list[FollowUp]:
        return list(selectors.follow_ups_of(obj))


# --- Input ------------------------------------------------------------------------------------


class VisitFilters(Schema):
    province: str | None = Field(None, pattern=PROVINCE_CODE, description="Province code.")
    lao: str | None = Field(
        None, pattern=LAO_CODE, description="LAO code: its visits and those to its institutions."
    )
    year: int | None = Field(
        None, ge=2543, le=2700, description="Buddhist-era calendar year of the visit date."
    )
    date_from: dt.date | None = Field(None, description="Visits on or after this date.")
    date_to: dt.date | None = Field(None, description="Visits on or before this date.")


class FollowUpFilters(Schema):
    status: Literal["open", "closed", "all"] = "open"
    province: str | None = Field(None, pattern=PROVINCE_CODE, description="Province code.")
    lao: str | None = Field(None, pattern=LAO_CODE, description="LAO code.")
    overdue: bool | None = Field(
        None, description="true: only overdue actions; false: only those not overdue."
    )


class FollowUpIn(Schema):
    action: str = Field(..., max_length=services.ACTION_MAX)
    responsible: str = Field(
        ..., max_length=services.RESPONSIBLE_MAX, description="Who does it, e.g. the LAO."
    )
    due_date: dt.date = Field(..., description="Not before the visit.")


class VisitIn(Schema):
    target: str = Field(
        ...,
        pattern=TARGET_CODE,
        description="The place visited: a 7-digit LAO code or a 10-digit institution (MOE) code.",
    )
    visit_date: dt.date = Field(..., description="Not in the future.")
    visitors: list[str] = Field(
        ...,
        min_length=1,
        max_length=30,
        description="The supervision team, one entry a person: name and position.",
    )
    findings: str = Field(..., max_length=services.TEXT_MAX)
    recommendations: str = Field("", max_length=services.TEXT_MAX)
    follow_ups: list[FollowUpIn] = Field([], max_length=services.FOLLOW_UPS_MAX)


class VisitPatchIn(Schema):
    version: int = Field(..., ge=1, description="The version the changes start from.")
    visit_date: dt.date | None = None
    visitors: list[str] | None = Field(None, min_length=1, max_length=30)
    findings: str | None = Field(None, max_length=services.TEXT_MAX)
    recommendations: str | None = Field(None, max_length=services.TEXT_MAX)


class CloseIn(Schema):
    note: str = Field(..., max_length=services.NOTE_MAX, description="How it was done.")


class FollowUpReopenIn(Schema):
    reason: str = Field(..., max_length=services.NOTE_MAX, description="Why it is not done.")


def _team(visitors: list[str]) -> str:
    return "\n".join(" ".join(person.split()) for person in visitors)


# --- Visits -----------------------------------------------------------------------------------


@router.get(
    "/visits",
    response={200: list[VisitOut], **ERRORS},
    summary="Supervision visits the caller may see, newest first",
)
@paginate(Pagination)
def visit_list(request: AuthenticatedRequest, params: Query[VisitFilters]) -> QuerySet[Visit]:
    return selectors.filter_visits(
        selectors.visits_for(request.user),
        province=params.province,
        lao=params.lao,
        year=params.year,
        date_from=params.date_from,
        date_to=params.date_to,
    )


@router.get(
    "/visits/{visit_id}",
    response={200: VisitDetailOut, **ERRORS},
    summary="A visit with its follow-up actions (open first, overdue first among them)",
)
def visit_detail(request: AuthenticatedRequest, visit_id: int) -> Visit:
    return selectors.visit_or_404(request.user, visit_id)


@router.post(
    "/visits",
    response={201: VisitDetailOut, **WRITE_ERRORS},
    summary="Record a visit to an LAO or an institution of the caller's province (its supervisor)",
)
def visit_create(request: AuthenticatedRequest, body: VisitIn) -> Any:
    user = request.user
    lao = institution = None
    # One field names the place, so a request cannot name two places or none.
    if len(body.target) == 7:
        lao = get_visible_or_404(user, LocalAuthority.objects.all(), code=body.target)
    else:
        institution = get_visible_or_404(
            user, Institution.objects.select_related("lao"), code=body.target
        )
    try:
        visit = services.record_visit(
            actor=user,
            lao=lao,
            institution=institution,
            visit_date=body.visit_date,
            visitors=_team(body.visitors),
            findings=body.findings,
            recommendations=body.recommendations,
            follow_ups=[
                services.FollowUpInput(item.action, item.responsible, item.due_date)
                for item in body.follow_ups
            ],
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return service_error(exc)
    return Status(201, selectors.visit_or_404(user, visit.pk))


@router.patch(
    "/visits/{visit_id}",
    response={200: VisitDetailOut, **WRITE_ERRORS},
    summary="Correct a visit's date, team, findings or recommendations (the province's supervisor)",
)
def visit_update(request: AuthenticatedRequest, visit_id: int, body: VisitPatchIn) -> Any:
    user = request.user
    visit = selectors.visit_or_404(user, visit_id)
    try:
        services.update_visit(
            visit=visit,
            actor=user,
            visit_date=body.visit_date if body.visit_date is not None else visit.visit_date,
            visitors=_team(body.visitors) if body.visitors is not None else visit.visitors,
            findings=body.findings if body.findings is not None else visit.findings,
            recommendations=body.recommendations
            if body.recommendations is not None
            else visit.recommendations,
            expected_version=body.version,
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return service_error(exc)
    return selectors.visit_or_404(user, visit_id)


# --- Follow-up actions ------------------------------------------------------------------------


@router.post(
    "/visits/{visit_id}/follow-ups",
    response={201: FollowUpOut, **WRITE_ERRORS},
    summary="Add a follow-up action to a visit (the province's supervisor)",
)
def follow_up_create(request: AuthenticatedRequest, visit_id: int, body: FollowUpIn) -> Any:
    user = request.user
    visit = selectors.visit_or_404(user, visit_id)
    try:
        follow_up = services.add_follow_up(
            visit=visit,
            actor=user,
            action=body.action,
            responsible=body.responsible,
            due_date=body.due_date,
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return service_error(exc)
    return Status(201, selectors.follow_up_or_404(user, follow_up.pk))


@router.get(
    "/follow-ups",
    response={200: list[FollowUpRowOut], **ERRORS},
    summary="Follow-up actions the caller may see (open by default), overdue first",
)
@paginate(Pagination)
def follow_up_list(
    request: AuthenticatedRequest, params: Query[FollowUpFilters]
) -> QuerySet[FollowUp]:
    return selectors.filter_follow_ups(
        selectors.follow_ups_for(request.user),
        status=params.status,
        province=params.province,
        lao=params.lao,
        overdue=params.overdue,
    )


@router.post(
    "/follow-ups/{follow_up_id}/close",
    response={200: FollowUpOut, **WRITE_ERRORS},
    summary="Close an open follow-up action with a note on how it was done",
)
def follow_up_close(request: AuthenticatedRequest, follow_up_id: int, body: CloseIn) -> Any:
    user = request.user
    follow_up = selectors.follow_up_or_404(user, follow_up_id)
    try:
        services.close_follow_up(
            follow_up=follow_up, actor=user, note=body.note, ip=client_ip(request)
        )
    except services.SarError as exc:
        return service_error(exc)
    return selectors.follow_up_or_404(user, follow_up_id)


@router.post(
    "/follow-ups/{follow_up_id}/reopen",
    response={200: FollowUpOut, **WRITE_ERRORS},
    summary="Reopen a closed follow-up action, with the reason",
)
def follow_up_reopen(
    request: AuthenticatedRequest, follow_up_id: int, body: FollowUpReopenIn
) -> Any:
    user = request.user
    follow_up = selectors.follow_up_or_404(user, follow_up_id)
    try:
        services.reopen_follow_up(
            follow_up=follow_up, actor=user, reason=body.reason, ip=client_ip(request)
        )
    except services.SarError as exc:
        return service_error(exc)
    return selectors.follow_up_or_404(user, follow_up_id)
