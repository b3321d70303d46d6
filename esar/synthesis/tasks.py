"""Background work of the synthesis: the province workbook, written to storage as a job result.

`start_province_export` records the job (or returns the one already queued or running for the
same user, province and year); the task writes the workbook to a temporary file, stores it in
Django's default storage and puts its path in the job's result, where the job page and a
download view find it.
"""

from __future__ import annotations

import logging
import tempfile

from celery import shared_task
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_noop

from esar.accounts.models import User
from esar.accounts.scoping import Level, get_visible_or_404, scope_for
from esar.core import background, jobs
from esar.core.models import Job
from esar.cycles.models import AcademicYear
from esar.organizations.models import Province
from esar.synthesis import selectors
from esar.synthesis.exports_province import province_xlsx

logger = logging.getLogger(__name__)

PROVINCE_EXPORT_JOB_KIND = "synthesis_province_export"
PROVINCE_READERS = (Level.NATIONAL, Level.PROVINCE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FAILED = gettext_noop(
    "The export stopped on an unexpected error. Tell the system administrator the job number."
)


def province_export_name(province: Province, year: AcademicYear) -> str:
    return f"syntheses-{year.year}-province-{province.code}.xlsx"


def start_province_export(*, province: Province, year: AcademicYear, actor: User) -> Job:
    """Queue the province workbook for `actor`; the same job again while one is under way.

    Only readers of every synthesis of the province may (its supervisors, DLA, ONESQA): 404
    for anyone else, as everywhere. An LAO officer sees their own LAO's synthesis only.
    """
    if not selectors.can_view(actor) or scope_for(actor).level not in PROVINCE_READERS:
        raise Http404
    province = get_visible_or_404(actor, Province.objects.all(), pk=province.pk)
    params = {"province": province.code, "year": year.year}
    with transaction.atomic():
        under_way = (
            Job.objects.select_for_update()
            .filter(
                kind=PROVINCE_EXPORT_JOB_KIND,
                created_by=actor,
                status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
                params__province=province.code,
                params__year=year.year,
            )
            .first()
        )
        if under_way is not None:
            return under_way
        job = jobs.create_job(
            kind=PROVINCE_EXPORT_JOB_KIND,
            user=actor,
            input_name=province_export_name(province, year),
            params=params,
        )
        # Without a broker the embedded runner thread runs it, once the job row is committed.
        background.enqueue(export_province_syntheses, job.pk)
    return job


@shared_task(name="synthesis.export_province_syntheses")
def export_province_syntheses(job_id: int) -> None:
    """Write the province workbook of a queued job to storage (a redelivered task does nothing)."""
    if not jobs.start_job(job_id):
        return
    job = Job.objects.get(pk=job_id)
    try:
        province = Province.objects.get(pk=job.params["province"])
        year = AcademicYear.objects.get(pk=job.params["year"])
        name = province_export_name(province, year)
        with tempfile.TemporaryFile() as out:
            rows = province_xlsx(province, year, out, progress=jobs.ProgressReporter(job_id))
            out.seek(0)
            path = default_storage.save(f"exports/synthesis/job-{job_id}/{name}", File(out))
    except Exception:
        # The job page must say that it failed rather than spin forever.
        logger.exception("province synthesis export job %s failed", job_id)
        jobs.finish_job(
            job_id, errors=[{"msgid": EXPORT_FAILED, "params": {}, "message": EXPORT_FAILED}]
        )
        return
    jobs.finish_job(
        job_id,
        result={
            "file": {"path": path, "name": name, "content_type": XLSX},
            "rows": rows,
            "facts": [
                {"label": gettext_noop("Local authorities"), "value": rows},
                {"label": gettext_noop("File"), "value": name},
            ],
        },
    )
