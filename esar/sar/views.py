"""SAR pages: the school writes and sends its report, the LAO reviews it, everyone above reads it.

Views stay thin: they fetch through `esar.sar.selectors` (outside the person's part of the
hierarchy → 404), call `esar.sar.services` and show what came back. Every flow works with plain
forms; with htmx the edit forms also save as the person types.
"""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from esar.accounts.permissions import role_of
from esar.accounts.roles import Role
from esar.core.audit import client_ip
from esar.core.thaidate import format_datetime
from esar.cycles.models import AcademicYear
from esar.organizations import selectors as registry
from esar.sar import content as sar_content
from esar.sar import selectors, services
from esar.sar.files import UploadRefused, refuse_by_declared_length
from esar.sar.filters import filter_sar_rows, with_sar_of_year
from esar.sar.forms import (
    AcceptForm,
    BasicDataForm,
    ItemsForm,
    ReturnForm,
    SarFilterForm,
    SummaryForm,
    TestResultForm,
    TestResultFormSet,
    UploadForm,
    VersionForm,
    tests_of,
)
from esar.sar.models import AttachmentKind, Sar, SarStatus
from esar.sar.rules import can_review, can_write
from esar.standards.models import StandardItem

PAGE_SIZE = 50
STATUS_LABELS = dict(SarStatus.choices)


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def _403_unless(condition: bool) -> None:
    """For a SAR the person sees: their role may not do this to it (esar.core.errors)."""
    if not condition:
        raise PermissionDenied


def _frame(request: HttpRequest, sar: Sar, tab: str, **extra: Any) -> dict[str, Any]:
    """What every page of one SAR shows around its content: header, menu, open reasons."""
    user = request.user
    writer = can_write(user, sar.institution_id)
    context = {
        "sar": sar,
        "tab": tab,
        "menu_standards": selectors.standards_menu(sar),
        "can_write": writer,
        "can_edit": writer and sar.is_editable,
        "can_review": can_review(user, sar.institution.lao_id),
        "reasons": selectors.open_reasons(sar),
        "timeliness": selectors.timeliness(sar),
        "nav_section": "sar",
    }
    context.update(extra)
    return context


# --- Lists -----------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """A school's reports by year; other roles are taken to their own list."""
    _404_unless(selectors.can_view(request.user))
    if role_of(request.user) is Role.LAO_OFFICER:
        return redirect("sar:queue")
    institution = selectors.own_institution(request.user)
    if institution is None:
        return redirect("sar:list")
    return render(
        request,
        "sar/index.html",
        {
            "institution": institution,
            "rows": selectors.school_years(request.user, institution),
            "today": timezone.localdate(),
            "nav_section": "sar",
        },
    )


@login_required
@require_POST
def open_report(request: HttpRequest) -> HttpResponse:
    institution = selectors.own_institution(request.user)
    _404_unless(institution is not None)
    try:
        year = AcademicYear.objects.get(pk=int(request.POST.get("year", "")))
    except (ValueError, OverflowError, AcademicYear.DoesNotExist) as exc:
        raise Http404 from exc
    try:
        sar = services.open_sar(
            institution=institution, year=year, actor=request.user, ip=client_ip(request)
        )
    except (services.Conflict, services.Invalid) as exc:
        messages.error(request, exc.message)
        return redirect("sar:index")
    return redirect("sar:detail", pk=sar.pk)


@login_required
def sar_list(request: HttpRequest) -> HttpResponse:
    """Institutions and their SAR of one year: who has sent, who is late, who has not started."""
    _404_unless(selectors.can_view(request.user))
    provinces = registry.provinces_for(request.user)
    form = SarFilterForm.for_list(request.GET, provinces=provinces)
    year = form.chosen_year
    page = None
    if year is not None:
        rows = filter_sar_rows(
            with_sar_of_year(registry.institutions_for(request.user), year), **form.filters()
        )
        page = Paginator(rows.order_by("name_th", "code"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        for row in page:
            row.sar_status_label = STATUS_LABELS.get(row.sar_status, "")
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "sar/list.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "querystring": params.urlencode(),
            "single_province": provinces.count() == 1,
            "today": timezone.localdate(),
            "nav_section": "sar",
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The LAO officer's work: reports waiting for review (oldest first), returned, not sent."""
    _404_unless(role_of(request.user) is Role.LAO_OFFICER and selectors.can_view(request.user))
    return render(
        request,
        "sar/queue.html",
        {
            "queue": selectors.review_queue(request.user),
            "lao": registry.laos_for(request.user).first(),
            "nav_section": "sar",
        },
    )


# --- One report ------------------------------------------------------------------------------


def _detail(request: HttpRequest, sar: Sar, *, status: int = 200, **extra: Any) -> HttpResponse:
    content = sar_content.parse(sar.content)
    reasons = selectors.open_reasons(sar)
    standards = selectors.standards_of(selectors.sar_set_ids(sar), content, reasons=reasons)
    item_standard = {iv.item.pk: s.standard.pk for s in standards for iv in s.items}
    checklist = []
    if sar.is_editable:
        for missing in services.missing_before_submission(sar):
            checklist.append(
                {"message": missing.message, "url": _part_url(sar, missing, item_standard)}
            )
    document, evidence = selectors.draft_files(sar)
    context = _frame(
        request,
        sar,
        "overview",
        content=content,
        standards=standards,
        checklist=checklist,
        students=sum(content.basic_data.students.values()),
        staff=sum(content.basic_data.staff.values()),
        document=document,
        evidence=evidence,
        revisions=selectors.revisions_of(sar),
        submit_form=VersionForm(initial={"version": sar.version}),
        can_start_previous=(
            sar.status == SarStatus.DRAFT
            and can_write(request.user, sar.institution_id)
            and selectors.has_earlier_sar(sar)
        ),
    )
    context.update(extra)
    return render(request, "sar/detail.html", context, status=status)


def _part_url(sar: Sar, missing: sar_content.Missing, item_standard: dict[int, int]) -> str:
    if missing.section == "item" and missing.item_id in item_standard:
        url = reverse("sar:standard", args=[sar.pk, item_standard[missing.item_id]])
        return f"{url}#item-{missing.item_id}"
    if missing.section == "standard" and missing.standard_id is not None:
        url = reverse("sar:standard", args=[sar.pk, missing.standard_id])
        return f"{url}#standard-as-a-whole"
    name = {"basic_data": "sar:basic", "summary": "sar:summary", "document": "sar:files"}.get(
        missing.section, "sar:detail"
    )
    return reverse(name, args=[sar.pk])


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.sar_for(request.user, pk))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail(request, sar, status=400, submit_error=_("Reload the page and try again."))
    try:
        revision = services.submit(
            sar=sar,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            ip=client_ip(request),
        )
    except services.Incomplete as exc:
        return _detail(
            request, sar, status=400, submit_error=exc.message, submit_details=exc.details
        )
    except (services.Conflict, services.Invalid) as exc:
        sar.refresh_from_db()
        return _detail(request, sar, status=409, submit_error=exc.message)
    messages.success(
        request,
        _("Revision %(number)s was sent to your LAO on %(when)s.")
        % {"number": revision.number, "when": format_datetime(revision.submitted_at)},
    )
    return redirect("sar:detail", pk=sar.pk)


@login_required
@require_http_methods(["GET", "POST"])
def start_previous(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the draft with last year's report, after the person has confirmed."""
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.start_from_previous(
                    sar=sar,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    ip=client_ip(request),
                )
            except (services.Conflict, services.Invalid) as exc:
                messages.error(request, exc.message)
                return redirect("sar:detail", pk=sar.pk)
            messages.success(
                request,
                _("The draft now holds last year's report. Check every part and update it."),
            )
            return redirect("sar:detail", pk=sar.pk)
    form = VersionForm(initial={"version": sar.version})
    return render(
        request,
        "sar/start_previous.html",
        _frame(
            request,
            sar,
            "overview",
            form=form,
            has_earlier=selectors.has_earlier_sar(sar),
        ),
    )


# --- Editing the draft -------------------------------------------------------------------------


def _save(
    request: HttpRequest,
    sar: Sar,
    forms_valid: bool,
    save: Any,
    render_page: Any,
    invalid_details: list[str] | None = None,
) -> HttpResponse:
    """Save through the service and answer: a status fragment for htmx, a page otherwise.

    A refused save keeps what the person typed in the form (the page is drawn again from the
    posted values) and says why; nothing is lost and nothing of anyone else's is overwritten.
    """
    error = details = None
    status = 200
    if not forms_valid:
        error = _("Some values are not valid; nothing was saved.")
        details = invalid_details or []
        status = 400
    else:
        try:
            sar = save()
        except services.Conflict as exc:
            error, details, status = exc.message, exc.details, 409
        except services.Invalid as exc:
            error, details, status = exc.message, exc.details, 400
    if request.htmx:
        # htmx swaps only 2xx answers: the outcome is in the fragment.
        return render(
            request,
            "sar/includes/save_status.html",
            {"sar": sar, "saved": error is None, "error": error, "details": details},
        )
    if error is None:
        messages.success(
            request, _("Saved at %(when)s.") % {"when": format_datetime(sar.updated_at)}
        )
        return redirect(request.get_full_path())
    return render_page(error=error, details=details, status=status)


def _errors_of(*forms: Any) -> list[str]:
    lines = []
    for form in forms:
        subforms = getattr(form, "forms", None)
        if subforms is not None:
            lines += _errors_of(*subforms)
            lines += [str(e) for e in form.non_form_errors()]
            continue
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            lines += [f"{label}: {e}" if label else str(e) for e in errors]
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def basic(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    content = sar_content.parse(sar.content)
    levels = services.levels_of(sar)
    if request.method == "POST":
        _403_unless(can_write(request.user, sar.institution_id))
        form = BasicDataForm(request.POST, levels=levels)
        tests = TestResultFormSet(request.POST, prefix="tests")
        valid = form.is_valid() & tests.is_valid()

        def save() -> Sar:
            return services.save_draft(
                sar=sar,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                basic_data=form.basic_data(tests_of(tests)),
                ip=client_ip(request),
            )

        def page(**kwargs: Any) -> HttpResponse:
            return _basic_page(request, sar, content, form, tests, **kwargs)

        return _save(request, sar, valid, save, page, _errors_of(form, tests))
    form = BasicDataForm(
        initial=BasicDataForm.initial_from(content.basic_data, sar.version), levels=levels
    )
    tests = TestResultFormSet(
        prefix="tests",
        initial=[TestResultForm.initial_from(test) for test in content.basic_data.tests],
    )
    return _basic_page(request, sar, content, form, tests)


def _basic_page(
    request: HttpRequest,
    sar: Sar,
    content: sar_content.Content,
    form: BasicDataForm,
    tests: Any,
    *,
    error: str | None = None,
    details: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _frame(
        request,
        sar,
        "basic",
        form=form,
        tests=tests,
        content=content,
        basic_rows=selectors.basic_rows(content.basic_data, services.levels_of(sar)),
        error=error,
        details=details,
    )
    return render(request, "sar/basic.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def standard(request: HttpRequest, pk: int, standard_pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    the_standard = selectors.standard_of(sar, standard_pk)
    content = sar_content.parse(sar.content)
    reasons = selectors.open_reasons(sar)
    (view,) = selectors.standards_of(
        selectors.sar_set_ids(sar), content, reasons=reasons, only_standard=the_standard.pk
    )
    items = [row.item for row in view.items]
    if request.method == "POST":
        _403_unless(can_write(request.user, sar.institution_id))
        form = ItemsForm(request.POST, items=items, levels=view.levels, standard=the_standard)
        valid = form.is_valid()

        def save() -> Sar:
            return services.save_draft(
                sar=sar,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                items=form.items_data(),
                standards=form.standard_data(),
                ip=client_ip(request),
            )

        def page(**kwargs: Any) -> HttpResponse:
            return _standard_page(request, sar, view, form, **kwargs)

        return _save(request, sar, valid, save, page, _errors_of(form))
    form = ItemsForm(
        initial=ItemsForm.initial_from(items, content, sar.version, the_standard),
        items=items,
        levels=view.levels,
        standard=the_standard,
    )
    return _standard_page(request, sar, view, form)


def _standard_page(
    request: HttpRequest,
    sar: Sar,
    view: selectors.StandardView,
    form: ItemsForm,
    *,
    error: str | None = None,
    details: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    previous, following = selectors.neighbours(sar, view.standard)
    rows = [(row, form.fields_of(row.item)) for row in view.items]
    context = _frame(
        request,
        sar,
        "standard",
        current_standard=view.standard,
        view=view,
        rows=rows,
        form=form,
        standard_fields=form.standard_fields(),
        previous=previous,
        following=following,
        error=error,
        details=details,
    )
    return render(request, "sar/standard.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    content = sar_content.parse(sar.content)
    if request.method == "POST":
        _403_unless(can_write(request.user, sar.institution_id))
        form = SummaryForm(request.POST)
        valid = form.is_valid()

        def save() -> Sar:
            return services.save_draft(
                sar=sar,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                summary=form.summary(),
                ip=client_ip(request),
            )

        def page(**kwargs: Any) -> HttpResponse:
            return _summary_page(request, sar, content, form, **kwargs)

        return _save(request, sar, valid, save, page, _errors_of(form))
    form = SummaryForm(initial=SummaryForm.initial_from(content.summary, sar.version))
    return _summary_page(request, sar, content, form)


def _summary_fields(content: sar_content.Content) -> list[tuple[str, Any, str]]:
    return [
        (name, label, getattr(content.summary, name))
        for name, label in sar_content.SUMMARY_FIELDS.items()
    ]


def _summary_page(
    request: HttpRequest,
    sar: Sar,
    content: sar_content.Content,
    form: SummaryForm,
    *,
    error: str | None = None,
    details: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _frame(
        request,
        sar,
        "summary",
        form=form,
        content=content,
        summary_fields=_summary_fields(content),
        error=error,
        details=details,
    )
    return render(request, "sar/summary.html", context, status=status)


# --- Files -----------------------------------------------------------------------------------


def _files_page(request: HttpRequest, sar: Sar, *, status: int = 200, **extra: Any) -> HttpResponse:
    document, evidence = selectors.draft_files(sar)
    context = _frame(
        request,
        sar,
        "files",
        document=document,
        evidence=evidence,
        document_form=UploadForm(initial={"kind": AttachmentKind.DOCUMENT}),
        evidence_form=UploadForm(initial={"kind": AttachmentKind.EVIDENCE}),
        limit_mb=sar.year.upload_limit_mb,
    )
    context.update(extra)
    return render(request, "sar/files.html", context, status=status)


@login_required
@require_GET
def files(request: HttpRequest, pk: int) -> HttpResponse:
    return _files_page(request, selectors.sar_for(request.user, pk))


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check the middleware skipped, so that the body is not read before the size."""
    return CsrfViewMiddleware(lambda _request: HttpResponse()).process_view(request, None, (), {})


@csrf_exempt  # checked by hand below, after the declared size
@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    try:
        # Before anything reads the body: a file over the year's limit is refused unread.
        refuse_by_declared_length(request.META.get("CONTENT_LENGTH"), sar.year.upload_limit_mb)
    except UploadRefused as exc:
        return _files_page(request, sar, status=413, upload_error=exc.message)
    refused = _csrf_failure(request)
    if refused is not None:
        return refused
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _files_page(request, sar, status=400, upload_error=_("Choose a PDF file to upload."))
    kind = form.cleaned_data["kind"]
    try:
        attachment = services.attach_file(
            sar=sar,
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=kind,
            ip=client_ip(request),
        )
    except UploadRefused as exc:
        return _files_page(request, sar, status=400, upload_error=exc.message)
    except (services.Conflict, services.Invalid) as exc:
        return _files_page(request, sar, status=409, upload_error=exc.message)
    messages.success(
        request,
        _("%(name)s was stored (%(pages)s pages).")
        % {"name": attachment.original_name, "pages": attachment.page_count},
    )
    return redirect("sar:files", pk=sar.pk)


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_write(request.user, sar.institution_id))
    try:
        services.remove_evidence(
            sar=sar, actor=request.user, attachment_id=attachment_pk, ip=client_ip(request)
        )
    except (services.Conflict, services.Invalid) as exc:
        return _files_page(request, sar, status=409, upload_error=exc.message)
    messages.success(request, _("The file was taken out of the draft."))
    return redirect("sar:files", pk=sar.pk)


@login_required
@require_GET
@xframe_options_sameorigin
def download(request: HttpRequest, attachment_pk: int) -> FileResponse:
    """A stored PDF, to whoever may see its SAR; `?inline=1` shows it in the browser."""
    attachment = selectors.attachment_for(request.user, attachment_pk)
    inline = request.GET.get("inline") == "1"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, max-age=3600"
    # Our own review page embeds the PDF: allow framing by this site only (CSP and X-Frame-Options).
    response._csp_replace = {  # type: ignore[attr-defined]
        "frame-ancestors": [SELF],
        # Browsers show a PDF through their own viewer, which `object-src 'none'` may block.
        "object-src": [SELF],
    }
    return response


# --- Revisions and review ----------------------------------------------------------------------


def _revision_view(
    sar: Sar,
    revision: Any,
    reasons: selectors.Reasons,
    comparison: selectors.ComparisonView | None = None,
) -> dict[str, Any]:
    content = sar_content.parse(revision.content)
    return {
        "revision": revision,
        "rcontent": content,
        "rbasic_rows": selectors.basic_rows(content.basic_data, services.levels_of(sar)),
        "rsummary_fields": _summary_fields(content),
        "rstandards": selectors.standards_of(
            selectors.revision_set_ids(revision),
            content,
            reasons=reasons,
            comparison=comparison.comparison if comparison else None,
        ),
        "revidence": selectors.revision_evidence(revision),
        "rreasons": reasons,
    }


@login_required
@require_GET
def revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    sar = selectors.sar_for(request.user, pk)
    shown = selectors.revision_for(sar, number)
    comparison = None
    other_number = request.GET.get("compare", "")
    compare_number = int(other_number) if other_number.isdigit() else None
    if compare_number is not None and compare_number != shown.number:
        other = selectors.revision_for(sar, compare_number)
        comparison = selectors.compare_revisions(sar, other, shown)
    context = _frame(
        request,
        sar,
        "revisions",
        revisions=selectors.revisions_of(sar),
        comparison=comparison,
        compare_number=compare_number,
        **_revision_view(sar, shown, selectors.reasons_of(shown)),
    )
    return render(request, "sar/revision.html", context)


def _decide(request: HttpRequest, sar: Sar, items_of: Any) -> tuple[Any, Any, Any]:
    """Carry out the posted decision; (response, forms, error) — a response when it was done."""
    action = request.POST.get("action")
    if action not in ("accept", "return"):
        raise Http404
    number = request.POST.get("revision", "")
    target = selectors.revision_for(sar, int(number) if number.isdigit() else 0)
    if action == "accept":
        form: Any = AcceptForm(request.POST)
    else:
        form = ReturnForm(request.POST, items=items_of(target))
    if not form.is_valid():
        error = (_("Some values are not valid; nothing was saved."), _errors_of(form), 400)
        return None, form, error
    try:
        if action == "accept":
            services.accept(
                revision=target,
                actor=request.user,
                note=form.cleaned_data["note"],
                ip=client_ip(request),
            )
            done = _("Revision %(number)s of %(institution)s was accepted.")
        else:
            services.return_for_revision(
                revision=target,
                actor=request.user,
                reasons=form.reasons(),
                ip=client_ip(request),
                after_acceptance=request.POST.get("after_acceptance") == "1",
            )
            done = _("Revision %(number)s of %(institution)s was returned to the school.")
    except services.Conflict as exc:
        return None, form, (exc.message, exc.details, 409)
    except services.Invalid as exc:
        return None, form, (exc.message, exc.details, 400)
    messages.success(request, done % {"number": target.number, "institution": sar.institution.name})
    return redirect("sar:queue"), form, None


def _typed(form: Any) -> list[tuple[Any, str]]:
    """What an officer typed into a decision that could not be saved, to copy from."""
    if form is None or not form.is_bound:
        return []
    return [
        (form.fields[name].label, value.strip())
        for name, value in form.data.items()
        if name in form.fields and name != "revision" and isinstance(value, str) and value.strip()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The LAO officer reads the pending revision (and what changed) and accepts or returns it.

    If another officer decided first, the service refuses and says who and when; the page then
    shows the report as it now stands, with what this officer typed, and overwrites nothing.
    """
    sar = selectors.sar_for(request.user, pk)
    _403_unless(can_review(request.user, sar.institution.lao_id))

    def items_of(revision: Any) -> list[Any]:
        return list(
            StandardItem.objects.filter(standard__standard_set__in=revision.standard_sets.all())
            .select_related("standard__standard_set")
            .order_by("standard__standard_set__education_level", "standard__order", "order")
        )

    posted = error = None
    if request.method == "POST":
        response, posted, error = _decide(request, sar, items_of)
        if response is not None:
            return response
        sar = selectors.sar_for(request.user, pk)
    message, details, status = error if error else (None, None, 200)
    pending = sar.current_revision if sar.status == SarStatus.SUBMITTED else None
    if pending is None:
        accepted = sar.current_revision if sar.status == SarStatus.ACCEPTED else None
        context = _frame(
            request,
            sar,
            "review",
            pending=None,
            accepted=accepted,
            reopen_form=ReturnForm(initial={"revision": accepted.number}, items=[])
            if accepted
            else None,
            error=message,
            details=details,
            unsaved=_typed(posted),
        )
        return render(request, "sar/review.html", context, status=status)
    previous = selectors.previous_returned(pending)
    comparison = selectors.compare_revisions(sar, previous, pending) if previous else None
    shown = _revision_view(sar, pending, selectors.Reasons(), comparison)
    items = [row.item for view in shown["rstandards"] for row in view.items]
    same = posted is not None and str(posted.data.get("revision")) == str(pending.number)
    accept_form = (
        posted
        if same and isinstance(posted, AcceptForm)
        else AcceptForm(initial={"revision": pending.number})
    )
    return_form = (
        posted
        if same and isinstance(posted, ReturnForm)
        else ReturnForm(initial={"revision": pending.number}, items=items)
    )
    item_rows = [
        (view, [(row, return_form.item_field(row.item)) for row in view.items])
        for view in shown["rstandards"]
    ]
    context = _frame(
        request,
        sar,
        "review",
        pending=pending,
        previous=previous,
        previous_reasons=selectors.reasons_of(previous),
        comparison=comparison,
        accept_form=accept_form,
        return_form=return_form,
        item_rows=item_rows,
        error=message,
        details=details,
        unsaved=[] if same else _typed(posted),
        **shown,
    )
    return render(request, "sar/review.html", context, status=status)
