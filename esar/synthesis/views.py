"""The synthesis pages: the LAO writes and completes it; its province and DLA read it."""

from __future__ import annotations

import tempfile
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import AuthenticatedRequest
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear
from esar.organizations import selectors as registry
from esar.organizations.models import LocalAuthority
from esar.synthesis import report as synthesis_report
from esar.synthesis import selectors, services
from esar.synthesis.forms import (
    ActionForm,
    IssueForm,
    IssueFormSet,
    ReopenForm,
    SummaryForm,
    SynthesisFilterForm,
)
from esar.synthesis.models import Synthesis, SynthesisStatus, SynthesisVersion

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(year: int) -> AcademicYear:
    return cycles.year_or_404(year)


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    """An LAO officer's syntheses by year; other readers go to the list of LAOs."""
    if not selectors.can_view(request.user):
        raise Http404
    scope = scope_for(request.user)
    if scope.level is not Level.LAO:
        return redirect("synthesis:list")
    # An LAO scope is keyed by the LAO's pk.
    lao = selectors.lao_for(request.user, cast(int, scope.key))
    years = list(cycles.all_years())
    syntheses = {s.year_id: s for s in Synthesis.objects.filter(lao=lao)}
    rows = [(year, syntheses.get(year.year)) for year in years]
    return render(
        request,
        "synthesis/index.html",
        {"lao": lao, "rows": rows, "nav_section": "synthesis"},
    )


@login_required
def synthesis_list(request: AuthenticatedRequest) -> HttpResponse:
    """Province supervisors and DLA: every LAO in scope and where its synthesis stands."""
    if not selectors.can_view(request.user):
        raise Http404
    provinces = registry.provinces_for(request.user)
    form = SynthesisFilterForm.for_list(request.GET, provinces=provinces)
    year = form.chosen_year
    page = None
    if year is not None:
        filters = form.cleaned_data if form.is_valid() else {}
        rows = selectors.synthesis_rows(
            request.user,
            year,
            q=(filters.get("q") or "").strip(),
            province=filters.get("province") or "",
            status=filters.get("status") or "",
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    single = provinces.count() == 1
    chosen = form.cleaned_data.get("province") if form.is_valid() else ""
    export_province = provinces.first() if single else provinces.filter(pk=chosen).first()
    return render(
        request,
        "synthesis/list.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "querystring": params.urlencode(),
            "single_province": single,
            "export_province": export_province if chosen or single else None,
            "today": timezone.localdate(),
            "nav_section": "synthesis",
        },
    )


def _issue_formset(
    lao: LocalAuthority, year: AcademicYear, synthesis: Synthesis, data: QueryDict | None = None
) -> BaseFormSet[IssueForm]:
    kwargs = {
        "standard_choices": selectors.standard_choices(lao, year),
        "institution_choices": selectors.institution_choices(lao),
    }
    if data is not None:
        return IssueFormSet(data, prefix="issue", form_kwargs=kwargs)
    initial = []
    if synthesis.pk is not None:
        for issue in synthesis.issues.prefetch_related("standards", "institutions"):
            initial.append(
                {
                    "text": issue.text,
                    "standards": [str(s.pk) for s in issue.standards.all()],
                    "institutions": [str(i.pk) for i in issue.institutions.all()],
                }
            )
    return IssueFormSet(initial=initial, prefix="issue", form_kwargs=kwargs)


@login_required
def detail(request: AuthenticatedRequest, lao_pk: int, year: int) -> HttpResponse:
    """The synthesis of one LAO and year: live while written, or a completed version."""
    lao = selectors.lao_for(request.user, lao_pk)
    the_year = _year(year)
    synthesis = selectors.synthesis_of(lao, the_year)
    writer = services.can_write(request.user, lao.pk)
    if request.method == "POST":
        if not writer:
            raise PermissionDenied
        return _act(request, lao, the_year, synthesis)
    if request.method != "GET":
        raise Http404
    number = request.GET.get("version", "")
    version = selectors.version_of(synthesis, int(number)) if number.isdigit() else None
    return _page(request, lao, the_year, synthesis, version=version, writer=writer)


def _page(
    request: AuthenticatedRequest,
    lao: LocalAuthority,
    year: AcademicYear,
    synthesis: Synthesis,
    *,
    version: SynthesisVersion | None = None,
    writer: bool,
    summary_form: SummaryForm | None = None,
    issue_formset: BaseFormSet[IssueForm] | None = None,
    reopen_form: ReopenForm | None = None,
    error: str | None = None,
    details: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = synthesis_report.build(synthesis, version)
    editable = writer and version is None and synthesis.status == SynthesisStatus.DRAFT
    current_version = synthesis.version if synthesis.pk else 1
    context = {
        "lao": lao,
        "year": year,
        "synthesis": synthesis,
        "report": shown,
        "versions": selectors.versions_of(synthesis),
        "latest": synthesis_report.latest_version(synthesis) if synthesis.pk else None,
        "out_of_date": version is None and services.is_out_of_date(synthesis, shown.figures),
        "can_write": writer,
        "editable": editable,
        "summary_form": summary_form
        or SummaryForm(initial={"version": current_version, "summary": synthesis.summary}),
        "issue_formset": issue_formset
        if issue_formset is not None
        else (_issue_formset(lao, year, synthesis) if editable else None),
        "action_form": ActionForm(initial={"version": current_version}),
        "reopen_form": reopen_form or ReopenForm(initial={"version": current_version}),
        "error": error,
        "details": details,
        "nav_section": "synthesis",
    }
    return render(request, "synthesis/detail.html", context, status=status)


def _act(
    request: AuthenticatedRequest, lao: LocalAuthority, year: AcademicYear, synthesis: Synthesis
) -> HttpResponse:
    action = request.POST.get("action")
    if action not in ("save", "complete", "reopen"):
        raise Http404
    summary_form = issue_formset = reopen_form = None
    try:
        if action == "save":
            summary_form = SummaryForm(request.POST)
            issue_formset = _issue_formset(lao, year, synthesis, request.POST)
            if not (summary_form.is_valid() and issue_formset.is_valid()):
                return _invalid(request, lao, year, synthesis, summary_form, issue_formset, None)
            if synthesis.pk is None:
                synthesis = services.open_synthesis(lao=lao, year=year, actor=request.user)
            issues = [i for form in issue_formset.forms if (i := form.issue()) is not None]
            services.save(
                synthesis=synthesis,
                actor=request.user,
                expected_version=summary_form.cleaned_data["version"],
                summary=summary_form.cleaned_data["summary"],
                issues=issues,
            )
            messages.success(request, _("The synthesis was saved."))
        elif action == "complete":
            form = ActionForm(request.POST)
            if not form.is_valid():
                raise services.Invalid(_("The page is out of date; reload it and try again."))
            if synthesis.pk is None:
                synthesis = services.open_synthesis(lao=lao, year=year, actor=request.user)
            version = services.complete(
                synthesis=synthesis,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(
                request,
                _("Version %(number)s of the synthesis is complete.") % {"number": version.number},
            )
        else:
            reopen_form = ReopenForm(request.POST)
            if not reopen_form.is_valid():
                return _invalid(request, lao, year, synthesis, None, None, reopen_form)
            if synthesis.pk is None:
                raise Http404
            services.reopen(
                synthesis=synthesis,
                actor=request.user,
                expected_version=reopen_form.cleaned_data["version"],
                reason=reopen_form.cleaned_data["reason"],
            )
            messages.success(request, _("The synthesis is open for changes again."))
    except services.NotAllowed as exc:
        raise PermissionDenied from exc
    except services.SarError as exc:
        synthesis = selectors.synthesis_of(lao, year)
        return _page(
            request,
            lao,
            year,
            synthesis,
            writer=True,
            summary_form=summary_form,
            issue_formset=issue_formset,
            reopen_form=reopen_form,
            error=exc.message,
            details=exc.details,
            status=exc.status,
        )
    return redirect("synthesis:detail", lao_pk=lao.pk, year=year.year)


def _invalid(
    request: AuthenticatedRequest,
    lao: LocalAuthority,
    year: AcademicYear,
    synthesis: Synthesis,
    summary_form: SummaryForm | None,
    issue_formset: BaseFormSet[IssueForm] | None,
    reopen_form: ReopenForm | None,
) -> HttpResponse:
    return _page(
        request,
        lao,
        year,
        synthesis,
        writer=True,
        summary_form=summary_form,
        issue_formset=issue_formset,
        reopen_form=reopen_form,
        error=_("Some values are not valid; nothing was saved."),
        status=services.Invalid.status,
    )


def _report_for_export(
    request: AuthenticatedRequest, lao_pk: int, year: int
) -> synthesis_report.SynthesisReport:
    lao = selectors.lao_for(request.user, lao_pk)
    synthesis = selectors.synthesis_of(lao, _year(year))
    number = request.GET.get("version", "")
    version: SynthesisVersion | None
    if number.isdigit():
        version = selectors.version_of(synthesis, int(number))
    else:
        # A complete synthesis exports its completed version; a draft exports as a draft.
        version = synthesis_report.latest_version(synthesis) if synthesis.pk else None
    return synthesis_report.build(synthesis, version)


def _file_name(shown: synthesis_report.SynthesisReport, extension: str) -> str:
    suffix = f"-v{shown.version.number}" if shown.version else "-draft"
    return f"synthesis-{shown.year.year}-{shown.lao.code}{suffix}.{extension}"


@login_required
@require_GET
def pdf(request: AuthenticatedRequest, lao_pk: int, year: int) -> HttpResponse:
    """The synthesis as an official PDF in Thai (Sarabun, B.E. dates, optional Thai numerals)."""
    from esar.synthesis.exports import synthesis_pdf

    shown = _report_for_export(request, lao_pk, year)
    data = synthesis_pdf(shown, thai_numerals=request.GET.get("thai_numerals") == "1")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(shown, "pdf")}"'
    return response


@login_required
@require_GET
def xlsx(request: AuthenticatedRequest, lao_pk: int, year: int) -> FileResponse:
    """The synthesis as an Excel workbook, built in a temporary file and streamed."""
    from esar.synthesis.exports import synthesis_xlsx

    shown = _report_for_export(request, lao_pk, year)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    synthesis_xlsx(shown, out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=_file_name(shown, "xlsx"), content_type=XLSX
    )


@login_required
@require_POST
def province_export(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    """Start the workbook of every LAO's synthesis of a province (a background job)."""
    from esar.synthesis.tasks import start_province_export

    province = registry.province_for(request.user, code)
    job = start_province_export(province=province, year=_year(year), actor=request.user)
    return redirect("core:job_detail", pk=job.pk)
