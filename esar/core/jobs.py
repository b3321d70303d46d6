"""Background jobs: the row a long task writes its progress and result to, and who may read it.

Every change is a conditional UPDATE on the expected state, so a task delivered twice by the
broker runs once, and a finished job never goes back to running.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from esar.core import access
from esar.core.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    label: str | Promise
    # Where to start the same kind of work again, shown on the job page.
    again_url_name: str = ""
    again_text: str | Promise = ""
    failed_text: str | Promise = ""


JOB_KINDS: dict[str, JobKind] = {
    "registry_import": JobKind(
        _("Registry import"),
        "organizations:import",
        _("Import another file"),
        _(
            "The file was refused and nothing was changed. Correct the rows below and import it again."
        ),
    ),
    "assessments_import": JobKind(
        _("Import of external assessments"),
        "assessments:import",
        _("Import another file"),
        _(
            "The file was refused and nothing was changed. Correct the rows below and import it again."
        ),
    ),
    "synthesis_province_export": JobKind(
        _("Excel of the syntheses of a province"),
        "synthesis:list",
        _("Back to the syntheses"),
        _("The workbook could not be made. Try again; if it fails again, tell the helpdesk."),
    ),
    "esar_accounts_issuance": JobKind(
        _("Issuance of e-SAR accounts"),
        "delivery:issuance_batches",
        _("The issuances and their letters"),
        _("The issuance did not finish. Start it again: it issues only what is missing."),
    ),
}


def kind_of(job: Job) -> JobKind:
    return JOB_KINDS.get(job.kind, JobKind(job.kind))


def create_job(
    *,
    kind: str,
    user: AbstractBaseUser | AnonymousUser | None,  # None, or anonymous: a job of no one's
    input_name: str = "",
    input_path: str = "",
    params: dict[str, Any] | None = None,
) -> Job:
    return Job.objects.create(
        kind=kind,
        # By id: the field points to settings.AUTH_USER_MODEL, which the type checker names
        # accounts' User, a model the kernel may not import.
        created_by_id=user.pk if user is not None and user.is_authenticated else None,
        input_name=input_name[:255],
        input_path=input_path,
        params=params or {},
    )


def start_job(job_id: int) -> bool:
    """Claim a queued job; False if it already started (a redelivered task must not run twice)."""
    return bool(
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=timezone.now()
        )
    )


def set_progress(job_id: int, *, done: int, total: int, stage: str | None = None) -> None:
    total = max(total, done, 0)
    fields: dict[str, Any] = {"progress_done": max(done, 0), "progress_total": total}
    if stage is not None:
        fields["stage"] = stage[:200]
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**fields)


def finish_job(
    job_id: int,
    *,
    result: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
    failed: bool = False,
) -> bool:
    """Record the outcome of a running job; a job with errors has failed."""
    failed = failed or bool(errors)
    fields: dict[str, Any] = {
        "status": Job.Status.FAILED if failed else Job.Status.SUCCEEDED,
        "finished_at": timezone.now(),
        "result": result or {},
        "errors": errors or [],
        "stage": "",
    }
    return bool(Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**fields))


class ProgressReporter:
    """A progress callback that writes to the job at most once per `interval` seconds."""

    def __init__(self, job_id: int, *, interval: float = 1.0) -> None:
        self.job_id = job_id
        self.interval = interval
        self._last: float | None = None  # the first report is always written

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < self.interval and done < total:
            return
        self._last = now
        set_progress(self.job_id, done=done, total=total)


def jobs_for(user: access.AnyUser) -> QuerySet[Job]:
    """A user's own jobs; DLA administrators see everyone's."""
    if not user.is_authenticated:
        return Job.objects.none()
    if access.allows(user, access.EVERY_JOB):
        return Job.objects.all()
    return Job.objects.filter(created_by_id=user.pk)  # by id, as in `create_job`


def job_for(user: access.AnyUser, pk: int) -> Job:
    try:
        return jobs_for(user).select_related("created_by").get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404 from exc


def error_reason(error: dict[str, Any]) -> str:
    """The text of one recorded error in the active language (msgid and params when stored)."""
    msgid = error.get("msgid")
    if msgid:
        try:
            return gettext(msgid) % (error.get("params") or {})
        except (KeyError, TypeError, ValueError):
            pass
    return str(error.get("message", ""))


def error_rows(job: Job) -> list[dict[str, Any]]:
    """The recorded errors as the job page lists them: row, column, sheet and the reason."""
    return [
        {
            "row": error.get("row"),
            "column": error.get("column", ""),
            "sheet": error.get("sheet", ""),
            "reason": error_reason(error),
        }
        for error in job.errors or []
    ]


def error_count(job: Job) -> int:
    """How many errors the job found: more than it recorded when the list was cut."""
    return max(int((job.result or {}).get("error_count") or 0), len(job.errors or []))


def result_file(job: Job) -> dict[str, str] | None:
    """The file a finished job made (an export), while it is stored: path, name, content_type."""
    made = (job.result or {}).get("file") if job.status == Job.Status.SUCCEEDED else None
    if not made or not default_storage.exists(made["path"]):
        return None
    return made


UNEXPECTED_ERROR = gettext_noop(
    "The import stopped on an unexpected error. Nothing was changed. Tell the system "
    "administrator the job number."
)


def run_file_import(job_id: int, importer: Callable[..., Any], *, what: str) -> None:
    """Run an all-or-nothing file import recorded on a Job: the body of every import task.

    `importer(source=, filename=, actor=, progress=, dry_run=)` returns a result with `ok`,
    `errors` and `as_job_result()`. A redelivered task finds the job started and does nothing.
    """
    if not start_job(job_id):
        return
    job = Job.objects.select_related("created_by").get(pk=job_id)
    try:
        with default_storage.open(job.input_path, "rb") as source:
            result = importer(
                source=source,
                filename=job.input_name,
                actor=job.created_by,
                progress=ProgressReporter(job_id),
                dry_run=bool(job.params.get("dry_run")),
            )
    except Exception:
        # The job page must say that it failed rather than spin forever.
        logger.exception("%s job %s failed", what, job_id)
        finish_job(
            job_id, errors=[{"msgid": UNEXPECTED_ERROR, "params": {}, "message": UNEXPECTED_ERROR}]
        )
        return
    finish_job(
        job_id,
        result=result.as_job_result(),
        errors=[error.as_dict() for error in result.errors],
        failed=not result.ok,
    )
