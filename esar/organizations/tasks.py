"""Background tasks of the registry: thin wrappers that run a service and record it on a Job."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.storage import default_storage
from django.utils.translation import gettext_noop

from esar.core import jobs
from esar.core.models import Job
from esar.organizations.importing import import_registry

logger = logging.getLogger(__name__)

IMPORT_JOB_KIND = "registry_import"
UNEXPECTED_ERROR = gettext_noop(
    "The import stopped on an unexpected error. Nothing was changed. Tell the system "
    "administrator the job number."
)


@shared_task(name="organizations.run_registry_import")
def run_registry_import(job_id: int) -> None:
    if not jobs.start_job(job_id):
        return
    job = Job.objects.select_related("created_by").get(pk=job_id)
    try:
        with default_storage.open(job.input_path, "rb") as source:
            result = import_registry(
                source=source,
                filename=job.input_name,
                actor=job.created_by,
                progress=jobs.ProgressReporter(job_id),
                dry_run=bool(job.params.get("dry_run")),
            )
    except Exception:
        # The job page must say that it failed rather than spin forever.
        logger.exception("Registry import job %s failed", job_id)
        jobs.finish_job(
            job_id, errors=[{"msgid": UNEXPECTED_ERROR, "params": {}, "message": UNEXPECTED_ERROR}]
        )
        return
    jobs.finish_job(
        job_id,
        result=result.as_job_result(),
        errors=[error.as_dict() for error in result.errors],
        failed=not result.ok,
    )
