"""The helpdesk through the API: an LAO reports a problem with e-SAR and follows its reports; the
helpdesk reads every report and updates its status.

The same selectors and services as the helpdesk pages (`esar.helpdesk`): an LAO officer (the LAO's
e-SAR delivery account included) sees its own LAO's reports, the helpdesk sees all of them, and a
report outside that is 404, as is any report for anyone else. Reports are named by the reference
the pages show (HD-2569-00012). A role that may not report, or may not update a report it sees,
gets 403; an update over a newer one is 409; refused values are 422 naming the field.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import field_errors_body
from esar.api.pagination import Pagination
from esar.api.schemas import ErrorOut, ValidationErrorOut
from esar.core.audit import client_ip
from esar.helpdesk import selectors, services
from esar.helpdesk.models import Report, ReportCategory, ReportStatus, ReportUpdate

router = Router(tags=["helpdesk"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorOut, 409: ErrorOut}


class ReportOut(Schema):
    reference: str = Field(..., description="HD-<Buddhist year>-<number>, as the pages show it.")
    status: ReportStatus
    status_label: str
    category: ReportCategory
    category_label: str
    lao_code: str = Field(..., alias="lao.code")
    lao_name: str = Field(..., alias="lao.name_th")
    province_code: str = Field(..., alias="lao.province_id")
    reporter: str = Field(..., alias="reporter.username")
    reporter_name: str = Field(..., alias="reporter.display_name")
    page_url: str = Field(..., description="The e-SAR page where it happened (a local path).")
    page_title: str
    description: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = Field(..., description="Send it back with a status update.")
    next_statuses: list[ReportStatus] = Field(
        ..., description="The statuses the helpdesk may move it to."
    )

    @staticmethod
    def resolve_status_label(obj: Report) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category_label(obj: Report) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_next_statuses(obj: Report) -> list[str]:
        return list(obj.next_statuses)


class ReportUpdateOut(Schema):
    at: dt.datetime
    author: str = Field(..., alias="author.username")
    author_name: str = Field(..., alias="author.display_name")
    from_status: ReportStatus | None
    to_status: ReportStatus
    message: str

    @staticmethod
    def resolve_from_status(obj: ReportUpdate) -> str | None:
        return obj.from_status or None


class ReportDetailOut(ReportOut):
    history: list[ReportUpdateOut] = Field(..., description="Oldest first, the submission first.")

    @staticmethod
    def resolve_history(obj: Report) -> list[ReportUpdate]:
        return list(selectors.history(obj))


class ReportFilters(Schema):
    status: ReportStatus | None = None
    category: ReportCategory | None = None
    province: str | None = Field(None, max_length=2, description="Province code.")


class ReportIn(Schema):
    category: ReportCategory
    description: str = Field(
        ...,
        min_length=1,
        max_length=services.DESCRIPTION_MAX,
        description="What the officer did and what happened.",
    )
    page_url: str = Field(
        "",
        max_length=services.PAGE_URL_MAX,
        description="The e-SAR page where it happened, a path such as /sar/12/ (or empty).",
    )
    page_title: str = Field("", max_length=services.PAGE_TITLE_MAX)


class StatusIn(Schema):
    status: ReportStatus = Field(..., description="The same status to add only a message.")
    message: str = Field("", max_length=services.MESSAGE_MAX, description="To the LAO.")
    version: int = Field(..., ge=1, description="The report's `version` the caller read.")


def _invalid(exc: services.Invalid) -> Status[dict[str, Any]]:
    errors = {field: [message] for field, message in exc.errors.items()} or {
        "__all__": [exc.message]
    }
    return Status(422, field_errors_body(errors, detail=exc.message))


@router.get(
    "/helpdesk/reports",
    response={200: list[ReportOut], **READ_ERRORS},
    summary="The caller's LAO's problem reports, or every report for the helpdesk; newest first",
)
@paginate(Pagination)
def report_list(request: AuthenticatedRequest, filters: Query[ReportFilters]) -> QuerySet[Report]:
    if not selectors.can_view(request.user):
        raise HttpError(403, _("Only LAO officers and the helpdesk follow problem reports."))
    return selectors.filter_reports(
        selectors.reports_for(request.user), **filters.model_dump(exclude_none=True)
    )


@router.post(
    "/helpdesk/reports",
    response={201: ReportDetailOut, **WRITE_ERRORS},
    summary="Report a problem with e-SAR on behalf of the caller's LAO (LAO officers)",
    description=(
        "The helpdesk is told and the contact DLA set gets it by e-mail. The answer's "
        "`reference` names the report from then on."
    ),
)
def report_create(request: AuthenticatedRequest, body: ReportIn) -> Any:
    try:
        report = services.submit_report(
            actor=request.user, ip=client_ip(request), **body.model_dump()
        )
    except services.NotAllowed as exc:
        return Status(403, {"detail": exc.message})
    except services.Invalid as exc:
        return _invalid(exc)
    return Status(201, selectors.report_by_reference_or_404(request.user, report.reference))


@router.get(
    "/helpdesk/reports/{reference}",
    response={200: ReportDetailOut, **READ_ERRORS},
    summary="A problem report and its history",
)
def report_detail(request: AuthenticatedRequest, reference: str) -> Any:
    return selectors.report_by_reference_or_404(request.user, reference)


@router.post(
    "/helpdesk/reports/{reference}/status",
    response={200: ReportDetailOut, **WRITE_ERRORS},
    summary="Move a report to another status, or write to the LAO (the helpdesk)",
    description=(
        "The LAO's reporter is told. Allowed moves: open → in progress, resolved or closed; in "
        "progress → resolved or closed; resolved → in progress or closed; closed → in progress "
        "(422 otherwise, and for the same status without a message)."
    ),
)
def report_status(request: AuthenticatedRequest, reference: str, body: StatusIn) -> Any:
    report = selectors.report_by_reference_or_404(request.user, reference)
    try:
        services.update_status(
            report=report,
            actor=request.user,
            status=body.status,
            message=body.message,
            expected_version=body.version,
            ip=client_ip(request),
        )
    except services.NotAllowed as exc:
        return Status(403, {"detail": exc.message})
    except services.Conflict as exc:
        return Status(409, {"detail": exc.message})
    except services.Invalid as exc:
        return _invalid(exc)
    return selectors.report_by_reference_or_404(request.user, reference)
