"""Pages of external assessments: the import of ONESQA's history (DLA administrators and ONESQA
reviewers) and its .xlsx template."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.assessments.forms import AssessmentImportForm
from esar.assessments.importing import build_template
from esar.assessments.importing.columns import COLUMNS
from esar.assessments.tasks import IMPORT_JOB_KIND, run_assessment_import
from esar.core.errors import form_status
from esar.organizations.import_views import recent_jobs, start_import_job

TEMPLATE_NAME = "esar-assessments-template.xlsx"

FIELD_HELP = {
    "code": _("The 10-digit Ministry of Education code. Give this or the ONESQA code."),
    "onesqa_code": _("The ONESQA code of the institution, if the MOE code is not given."),
    "round": _("ONESQA's round, for example 4, or the name of the assessment."),
    "fiscal_year": _("The fiscal year of the assessment in the Buddhist era, for example 2566."),
    "assessed_on": _("The date of the assessment, e.g. 20/1/2561 (Buddhist era) or 2018-01-20."),
    "result": _("The result as ONESQA wrote it."),
}


def _require_import(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.ASSESSMENTS_IMPORT):
        raise Http404


def _column_help() -> list[dict[str, object]]:
    return [
        {
            "label": column.label,
            "aliases": [alias for alias in column.aliases if alias != column.label],
            "required": column.required,
            "help": FIELD_HELP.get(column.field, ""),
        }
        for column in COLUMNS
    ]


@login_required
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    _require_import(request)
    form = (
        AssessmentImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else AssessmentImportForm()
    )
    if request.method == "POST" and form.is_valid():
        return start_import_job(request, form, kind=IMPORT_JOB_KIND, task=run_assessment_import)
    recent = recent_jobs(request, IMPORT_JOB_KIND)
    return render(
        request,
        "assessments/import.html",
        {
            "form": form,
            "columns": _column_help(),
            "recent_jobs": recent,
            "max_bytes": settings.ESAR_IMPORT_MAX_BYTES,
            "nav_section": "assessments",
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
