"""Pages of the registry import: the upload form and the .xlsx template. DLA administrators only."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.core import background, jobs
from esar.core.errors import form_status
from esar.core.models import Job
from esar.core.tabular import choices_text
from esar.organizations.forms import ImportForm
from esar.organizations.importing import build_template
from esar.organizations.importing.columns import (
    COLUMNS,
    EDUCATION_LEVEL_ALIASES,
    INSTITUTION_KIND_ALIASES,
    LAO_TYPE_ALIASES,
    RowKind,
)
from esar.organizations.tasks import IMPORT_JOB_KIND, run_registry_import

RECENT_JOBS = 10
TEMPLATE_NAME = "esar-registry-template.xlsx"

# What to write in each column, shown beside the column names on the upload page.
FIELD_HELP = {
    (RowKind.LAO, "code"): _("7 digits; digits 2-3 are the province code."),
    (RowKind.LAO, "name_th"): _("Name in Thai."),
    (RowKind.LAO, "name_en"): _("Name in English."),
    (RowKind.LAO, "province"): _("2-digit province code, or its Thai or English name."),
    (RowKind.LAO, "lao_type"): _("One of: %(choices)s."),
    (RowKind.LAO, "district"): _("District (amphoe)."),
    (RowKind.LAO, "type_effective_date"): _(
        "When the type last changed, e.g. 1/10/2566 (Buddhist era) or 2023-10-01."
    ),
    (RowKind.INSTITUTION, "code"): _("The 10-digit Ministry of Education code."),
    (RowKind.INSTITUTION, "onesqa_code"): _("The ONESQA code, if it has one."),
    (RowKind.INSTITUTION, "name_th"): _("Name in Thai."),
    (RowKind.INSTITUTION, "name_en"): _("Name in English."),
    (RowKind.INSTITUTION, "kind"): _("One of: %(choices)s."),
    (RowKind.INSTITUTION, "lao_code"): _(
        "The code of its LAO: in the registry already, or in the LAO sheet of the same file."
    ),
    (RowKind.INSTITUTION, "levels"): _(
        "One or more of: %(choices)s, separated by commas or spaces."
    ),
    (RowKind.INSTITUTION, "district"): _("District (amphoe)."),
}


CHOICES = {
    "lao_type": LAO_TYPE_ALIASES,
    "kind": INSTITUTION_KIND_ALIASES,
    "levels": EDUCATION_LEVEL_ALIASES,
}


def _column_help(kind: RowKind) -> list[dict[str, object]]:
    rows = []
    for column in COLUMNS[kind]:
        text = str(FIELD_HELP.get((kind, column.field), ""))
        if column.field in CHOICES:
            text = text % {"choices": choices_text(CHOICES[column.field])}
        rows.append(
            {
                "label": column.label,
                "aliases": [alias for alias in column.aliases if alias != column.label],
                "required": column.required,
                "help": text,
            }
        )
    return rows


def _require_import(request: HttpRequest) -> None:
    # Those who read the registry but may not import into it: 403 (esar.core.errors).
    if not has_perm(request.user, Perm.REGISTRY_VIEW):
        raise Http404
    if not has_perm(request.user, Perm.REGISTRY_IMPORT):
        raise PermissionDenied


def store_upload(upload: UploadedFile) -> tuple[str, str]:
    """Save the upload under imports/ in chunks, hashing on the way; return path and SHA-256."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    # The original name may be anything (Thai, slashes); it is kept on the job, not in the path.
    suffix = PurePath(upload.name or "").suffix.lower()[:8]
    if not suffix.replace(".", "").isalnum():
        suffix = ""
    name = f"imports/{uuid.uuid4().hex}{suffix}"
    return default_storage.save(name, upload), digest.hexdigest()


def queue_import(form: ImportForm, *, kind: str, task: Any, actor: User) -> Job:
    """Store a valid upload and queue its import as a job of `kind` (the page and the API)."""
    upload = form.cleaned_data["file"]
    path, sha256 = store_upload(upload)
    with transaction.atomic():
        job = jobs.create_job(
            kind=kind,
            user=actor,
            input_name=PurePath(upload.name or "").name,
            input_path=path,
            params={"dry_run": form.cleaned_data["dry_run"], "sha256": sha256},
        )
        # Without a broker the embedded runner thread does it; the job page follows its progress.
        background.enqueue(task, job.pk)
    return job


def start_import_job(
    request: AuthenticatedRequest, form: ImportForm, *, kind: str, task: Any
) -> HttpResponse:
    """Queue the import of a valid upload and open the job page."""
    job = queue_import(form, kind=kind, task=task, actor=request.user)
    return redirect("core:job_detail", pk=job.pk)


def recent_jobs(request: AuthenticatedRequest, kind: str) -> list[Any]:
    return list(
        jobs.jobs_for(request.user)
        .filter(kind=kind)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:RECENT_JOBS]
    )


@login_required
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    _require_import(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        return start_import_job(request, form, kind=IMPORT_JOB_KIND, task=run_registry_import)
    return render(
        request,
        "organizations/import.html",
        {
            "form": form,
            "lao_columns": _column_help(RowKind.LAO),
            "institution_columns": _column_help(RowKind.INSTITUTION),
            "recent_jobs": recent_jobs(request, IMPORT_JOB_KIND),
            "max_bytes": settings.ESAR_IMPORT_MAX_BYTES,
            "nav_section": "import",
        },
        status=form_status(form),
    )


@login_required
def import_template(request: AuthenticatedRequest) -> HttpResponse:
    _require_import(request)
    response = HttpResponse(
        build_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}"'
    return response
