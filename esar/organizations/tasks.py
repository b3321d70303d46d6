"""Background tasks of the registry: thin wrappers that run a service and record it on a Job."""

from __future__ import annotations

from celery import shared_task

from esar.core import events, jobs
from esar.organizations.importing import import_registry

IMPORT_JOB_KIND = "registry_import"
UNEXPECTED_ERROR = jobs.UNEXPECTED_ERROR


@shared_task(name="organizations.run_registry_import")
def run_registry_import(job_id: int) -> None:
    jobs.run_file_import(job_id, import_registry, what="Registry import")
    # Institutions, LAOs and assessments decide who is counted and who is in the target group.
    events.announce(events.CountingChanged())
