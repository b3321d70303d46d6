"""The page of one background job: status, progress, result or errors, refreshed while it runs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from esar.core import jobs
from esar.core.models import Job


def _context(job: Job) -> dict[str, Any]:
    kind = jobs.kind_of(job)
    try:
        again_url = reverse(kind.again_url_name) if kind.again_url_name else ""
    except NoReverseMatch:
        again_url = ""
    errors = jobs.error_rows(job)
    error_count = jobs.error_count(job)
    return {
        "job": job,
        "kind": kind,
        "again_url": again_url,
        "result": job.result or {},
        "errors": errors,
        "error_count": error_count,
        "errors_cut": error_count > len(errors),
        "has_sheets": any(error["sheet"] for error in errors),
        "nav_section": "import" if job.kind == "registry_import" else "",
    }


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_for(request.user, pk)
    return render(request, "core/job_detail.html", _context(job))


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the job page that htmx polls while the job runs."""
    job = jobs.job_for(request.user, pk)
    response = render(request, "core/job_status.html", _context(job))
    response["Cache-Control"] = "no-store"
    return response


def result_download(job: Job) -> FileResponse:
    """The file a finished job made (an export), as an attachment; 404 when there is none."""
    made = jobs.result_file(job)
    if made is None:
        raise Http404
    return FileResponse(
        default_storage.open(made["path"], "rb"),
        as_attachment=True,
        filename=made["name"],
        content_type=made.get("content_type") or "application/octet-stream",
    )


@login_required
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file a finished job made (an export), to the people who may see the job."""
    return result_download(jobs.job_for(request.user, pk))
