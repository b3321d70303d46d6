"""Background jobs through the API: the caller's imports, exports and issuances, as their pages show.

POST /imports/{kind} uploads a file as the import pages do (the same roles, else 403; the same
checks of the file, else 422 and no job) and answers 202 with the job that imports it.

The same scoping as the job pages (`esar.core.jobs.jobs_for`): the caller's own jobs, every job for
a DLA administrator; anyone else's job is 404. A job reports its state, its progress, the outcome
(the facts and counts of its page, in the caller's language), the rows it refused with their
reasons, and links to what it made: the file of an export, the issuance of a bulk issuance.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.api.pagination import Pagination
from esar.api.sar_schemas import ERRORS, WRITE_ERRORS, SarErrorOut
from esar.api.schemas import ErrorOut, ValidationErrorOut, file_answer
from esar.assessments import importing as assessment_importing
from esar.assessments import tasks as assessment_tasks
from esar.assessments import views as assessment_views
from esar.assessments.forms import AssessmentImportForm
from esar.core import job_views, jobs
from esar.core.models import Job
from esar.delivery.issuance import ISSUANCE_JOB_KIND
from esar.organizations import import_views
from esar.organizations import importing as registry_importing
from esar.organizations import tasks as registry_tasks
from esar.organizations.forms import ImportForm
from esar.organizations.import_views import queue_import

router = Router(tags=["jobs"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _translated(msgid: Any) -> str:
    return gettext(msgid) if isinstance(msgid, str) and msgid else ""


class ProgressOut(Schema):
    done: int
    total: int = Field(..., description="0 while the job does not know yet how much there is.")
    percent: int = Field(..., description="0 to 100; 100 once the job has succeeded.")
    stage: str = Field(..., description="What the job is doing now, in the starter's language.")


class FactOut(Schema):
    label: str
    value: int | str


class TableRowOut(Schema):
    label: str
    values: list[int]


class TableOut(Schema):
    columns: list[str]
    rows: list[TableRowOut]


class OutcomeOut(Schema):
    note: str = Field(..., description="A remark of the job page, e.g. that a check saved nothing.")
    dry_run: bool = Field(..., description="A check only: nothing was saved.")
    facts: list[FactOut]
    table: TableOut | None = Field(None, description="Counts per kind of record (imports).")
    counts: dict[str, dict[str, int]] = Field(
        ...,
        description="The same counts by key, e.g. {'laos': {'created': 3, 'updated': 0, …}}.",
    )


class JobErrorOut(Schema):
    row: int | None = Field(None, description="Row of the file (the header is row 1).")
    column: str
    sheet: str
    reason: str = Field(..., description="Why the row was refused, in the caller's language.")


class JobOut(Schema):
    id: int
    kind: str = Field(
        ..., description="registry_import, assessments_import, synthesis_province_export, …"
    )
    kind_label: str
    state: Job.Status = Field(..., alias="status")
    state_label: str
    finished: bool = Field(..., alias="is_finished")
    progress: ProgressOut
    input_name: str = Field(..., description="The uploaded file's name, or what the job makes.")
    started_by: str | None = Field(None, description="Username of whoever started it.")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error_count: int
    url: str = Field(..., description="This job in the API (poll it until `finished`).")
    page_url: str = Field(..., description="The job's page on the site.")
    file_url: str | None = Field(
        None, description="Download of the file the job made, once it has succeeded (exports)."
    )
    issuance_url: str | None = Field(
        None, description="The issuance of e-SAR accounts this job runs (bulk issuance)."
    )

    @staticmethod
    def resolve_kind_label(obj: Job) -> str:
        return str(jobs.kind_of(obj).label)

    @staticmethod
    def resolve_state_label(obj: Job) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_progress(obj: Job) -> dict[str, Any]:
        return {
            "done": obj.progress_done,
            "total": obj.progress_total,
            "percent": obj.percent,
            "stage": obj.stage,
        }

    @staticmethod
    def resolve_started_by(obj: Job) -> str | None:
        return obj.created_by.username if obj.created_by else None

    @staticmethod
    def resolve_error_count(obj: Job) -> int:
        return jobs.error_count(obj)

    @staticmethod
    def resolve_url(obj: Job) -> str:
        return reverse("api:job_detail", kwargs={"job_id": obj.pk})

    @staticmethod
    def resolve_page_url(obj: Job) -> str:
        return reverse("core:job_detail", args=[obj.pk])

    @staticmethod
    def resolve_issuance_url(obj: Job) -> str | None:
        if obj.kind != ISSUANCE_JOB_KIND:
            return None
        batch = getattr(obj, "issuance_batch", None)
        if batch is None:
            return None
        return reverse("api:issuance_detail", kwargs={"batch_id": batch.pk})

    @staticmethod
    def resolve_file_url(obj: Job) -> str | None:
        if jobs.result_file(obj) is None:
            return None
        return reverse("api:job_file", kwargs={"job_id": obj.pk})


class JobDetailOut(JobOut):
    outcome: OutcomeOut | None = Field(None, description="What a succeeded job did.")
    failed_text: str = Field(..., description="What the job page says of a failed job.")
    errors: list[JobErrorOut] = Field(..., description="The first errors (see `error_count`).")

    @staticmethod
    def resolve_outcome(obj: Job) -> dict[str, Any] | None:
        if obj.status != Job.Status.SUCCEEDED:
            return None
        result = obj.result or {}
        table = result.get("table")
        return {
            "note": _translated(result.get("note")),
            "dry_run": bool(result.get("dry_run")),
            "facts": [
                {"label": _translated(fact.get("label")), "value": fact.get("value", "")}
                for fact in result.get("facts") or []
            ],
            "table": {
                "columns": [_translated(column) for column in table.get("columns") or []],
                "rows": [
                    {"label": _translated(row.get("label")), "values": row.get("values") or []}
                    for row in table.get("rows") or []
                ],
            }
            if table
            else None,
            "counts": result.get("counts") or {},
        }

    @staticmethod
    def resolve_failed_text(obj: Job) -> str:
        if obj.status != Job.Status.FAILED:
            return ""
        return str(jobs.kind_of(obj).failed_text or gettext("The job failed."))

    @staticmethod
    def resolve_errors(obj: Job) -> list[dict[str, Any]]:
        return jobs.error_rows(obj)


class JobFilters(Schema):
    kind: str | None = Field(None, max_length=64, description="Only jobs of this kind.")
    state: Job.Status | None = Field(None, description="Only jobs in this state.")


@router.get(
    "/jobs",
    response={200: list[JobOut], **ERRORS},
    summary="The caller's background jobs, newest first (a DLA administrator: everyone's)",
)
@paginate(Pagination)
def job_list(request: AuthenticatedRequest, params: Query[JobFilters]) -> QuerySet[Job]:
    found = jobs.jobs_for(request.user).select_related("created_by", "issuance_batch")
    if params.kind:
        found = found.filter(kind=params.kind)
    if params.state:
        found = found.filter(status=params.state)
    return found.order_by("-created_at", "-id")


@router.get(
    "/jobs/{job_id}",
    url_name="job_detail",
    response={200: JobDetailOut, **ERRORS},
    summary="One job: state, progress, outcome, refused rows with their reasons",
)
def job_detail(request: AuthenticatedRequest, job_id: int) -> Job:
    return jobs.job_for(request.user, job_id)


@router.get(
    "/jobs/{job_id}/file",
    url_name="job_file",
    response={401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    openapi_extra=file_answer(
        "The file the job made (an Excel workbook of an export)", XLSX, "application/octet-stream"
    ),
    summary="Download the file a succeeded job made, as its page offers it",
)
def job_file(request: AuthenticatedRequest, job_id: int) -> FileResponse:
    return job_views.result_download(jobs.job_for(request.user, job_id))


# --- Imports: a file uploaded as on the import pages, imported by a job ------------------------


@dataclass(frozen=True)
class FileImport:
    form: type[ImportForm]
    job_kind: str
    task: Any
    perm: Perm
    refusal: Any  # what a caller without `perm` is told
    template: Callable[[], bytes]
    template_name: str


IMPORTS: dict[str, FileImport] = {
    "registry": FileImport(
        form=ImportForm,
        job_kind=registry_tasks.IMPORT_JOB_KIND,
        task=registry_tasks.run_registry_import,
        perm=Perm.REGISTRY_IMPORT,
        refusal=gettext_lazy("Only DLA administrators import the registry."),
        template=registry_importing.build_template,
        template_name=import_views.TEMPLATE_NAME,
    ),
    "assessments": FileImport(
        form=AssessmentImportForm,
        job_kind=assessment_tasks.IMPORT_JOB_KIND,
        task=assessment_tasks.run_assessment_import,
        perm=Perm.ASSESSMENTS_IMPORT,
        refusal=gettext_lazy(
            "Only DLA administrators and ONESQA reviewers import external assessments."
        ),
        template=assessment_importing.build_template,
        template_name=assessment_views.TEMPLATE_NAME,
    ),
}
ImportKind = Literal["registry", "assessments"]

IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "An Excel .xlsx workbook or a CSV file (UTF-8 or "
                            "Thai Windows), with the columns of the template.",
                        },
                        "dry_run": {
                            "type": "boolean",
                            "description": "Check only: the job reports what it would do and "
                            "saves nothing.",
                        },
                    },
                    "required": ["file"],
                }
            }
        },
    }
}


def _import_allowed(request: AuthenticatedRequest, kind: str) -> FileImport:
    spec = IMPORTS[kind]
    if not has_perm(request.user, spec.perm):
        raise _Refused(str(spec.refusal))
    return spec


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@router.post(
    "/imports/{kind}",
    response={202: JobOut, **WRITE_ERRORS},
    openapi_extra=IMPORT_BODY,
    summary="Upload a registry (LAOs and institutions) or external-assessment file; a job "
    "imports it",
)
def import_start(request: AuthenticatedRequest, kind: ImportKind) -> Any:
    """The import page's upload: the same roles, the same checks of the file, the same job.

    A file that is no table (a PDF, an image, an old .xls), empty or over the size limit is 422
    and queues nothing; the rows of a readable file are checked by the job, which imports all of
    them or nothing and lists the refused rows with their reasons (GET /jobs/{id}).
    """
    try:
        spec = _import_allowed(request, kind)
    except _Refused as exc:
        return Status(403, {"detail": exc.message, "details": []})
    form = spec.form(request.POST, request.FILES)
    if not form.is_valid():
        reasons = [str(message) for messages in form.errors.values() for message in messages]
        return Status(422, {"detail": reasons[0], "details": reasons})
    job = queue_import(form, kind=spec.job_kind, task=spec.task, actor=request.user)
    return Status(202, jobs.job_for(request.user, job.pk))


@router.get(
    "/imports/{kind}/template",
    response={401: ErrorOut, 403: SarErrorOut, 422: ValidationErrorOut},
    openapi_extra=file_answer("The .xlsx template of the import page, with an example row", XLSX),
    summary="The Excel template of an import, as its page offers it",
)
def import_template(request: AuthenticatedRequest, kind: ImportKind) -> Any:
    try:
        spec = _import_allowed(request, kind)
    except _Refused as exc:
        return Status(403, {"detail": exc.message, "details": []})
    response = HttpResponse(spec.template(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spec.template_name}"'
    return response
