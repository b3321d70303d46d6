"""Background tasks of external assessments: thin wrappers that run a service and record it on a Job."""

from __future__ import annotations

from celery import shared_task

from esar.assessments.importing import import_assessments
from esar.core import events, jobs

IMPORT_JOB_KIND = "assessments_import"


@shared_task(name="assessments.run_assessment_import")
def run_assessment_import(job_id: int) -> None:
    jobs.run_file_import(job_id, import_assessments, what="External-assessment import")
    # Institutions, LAOs and assessments decide who is counted and who is in the target group.
    events.announce(events.CountingChanged())
