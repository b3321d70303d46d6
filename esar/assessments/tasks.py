"""Background tasks of external assessments: thin wrappers that run a service and record it on a Job."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.storage import default_storage

from esar.assessments.importing import import_assessments
from esar.core import jobs
from esar.core.models import Job
from esar.organizations.tasks import UNEXPECTED_ERROR

logger = logging.getLogger(__name__)

IMPORT_JOB_KIND = "assessments_import"


@shared_task(name="assessments.run_assessment_import")
def run_assessment_import(job_id: int) -> None:
    if not jobs.start_job(job_id):
        return
    job = Job.objects.select_related("created_by").get(pk=job_id)
    try:
        with default_storage.open(job.input_path, "rb") as source:
            result = import_assessments(
                source=source,
                filename=job.input_name,
                actor=job.created_by,
                progress=jobs.ProgressReporter(job_id),
                dry_run=bool(job.params.get("dry_run")),
            )
    except Exception:
        # The job page must say that it failed rather than spin forever.
        logger.exception("External-assessment import job %s failed", job_id)
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
