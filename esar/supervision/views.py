"""Supervision pages: the visits in one's part of the country, recording a visit, its follow-up
actions and the list of open actions across the province (or the country for DLA).

Views stay thin: reads go through `esar.supervision.selectors` (a visit outside one's part, or a
page of a role without a part in supervision, is a 404), writes through the services.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from esar.accounts.models import User
from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.organizations import selectors as registry
from esar.organizations.models import Institution, LocalAuthority
from esar.supervision import selectors, services
from esar.supervision.forms import (
    CloseForm,
    FollowUpFilterForm,
    FollowUpForm,
    FollowUpFormSet,
    ReopenForm,
    VisitEditForm,
    VisitFilterForm,
    VisitForm,
)
from esar.supervision.models import Visit

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def _403_unless(condition: bool) -> None:
    """For what the person sees: their role may not do this to it (esar.core.errors)."""
    if not condition:
        raise PermissionDenied


def _add_errors(form: forms.Form, exc: services.SarError) -> None:
    errors = getattr(exc, "errors", {})
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
    if not errors:
        form.add_error(None, exc.message)


def _querystring(request: AuthenticatedRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def visit_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    _404_unless(selectors.can_view(user))
    national = selectors.sees_provinces(user)
    provinces = registry.provinces_for(user) if national else []
    form = VisitFilterForm(request.GET or None, provinces=provinces)
    visits = selectors.filter_visits(selectors.visits_for(user), **form.filters())
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.follow_up_counts(
        selectors.filter_follow_ups(selectors.follow_ups_for(user), status=None)
    )
    return render(
        request,
        "supervision/list.html",
        {
            "form": form,
            "page": page,
            "querystring": _querystring(request),
            "single_province": not national,
            "national": national,
            "can_record": selectors.can_record(user),
            "counts": counts,
            "nav_section": "supervision",
        },
    )


def _visit_form(request: AuthenticatedRequest, user: User) -> VisitForm:
    laos = list(selectors.laos_to_visit(user))
    if request.method == "POST":
        return VisitForm(request.POST, laos=laos)
    initial: dict[str, Any] = {"visit_date": timezone.localdate()}
    if code := request.GET.get("lao", "").strip():
        initial["lao"] = code
    if code := request.GET.get("institution", "").strip():
        initial["institution"] = code[:20]
    return VisitForm(initial=initial, laos=laos)


@login_required
def visit_new(request: AuthenticatedRequest) -> HttpResponse:
    """A province supervisor records a visit to one of the province's LAOs or institutions."""
    user = request.user
    _404_unless(selectors.can_view(user))
    _403_unless(selectors.can_record(user))
    form = _visit_form(request, user)
    follow_ups = FollowUpFormSet(request.POST or None, prefix="fu")
    if request.method == "POST":
        valid = form.is_valid() & follow_ups.is_valid()
        if valid:
            lao, institution = _target(user, form)
            if not form.errors:
                try:
                    visit = services.record_visit(
                        actor=user,
                        lao=lao,
                        institution=institution,
                        visit_date=form.cleaned_data["visit_date"],
                        visitors=form.cleaned_data["visitors"],
                        findings=form.cleaned_data["findings"],
                        recommendations=form.cleaned_data["recommendations"],
                        follow_ups=services.parse_follow_ups(
                            row.cleaned_data
                            for row in follow_ups.forms
                            if row.has_changed() and row.cleaned_data
                        ),
                        ip=client_ip(request),
                    )
                except services.Invalid as exc:
                    _follow_up_errors_to_rows(follow_ups, exc)
                    _add_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("The visit to %(target)s was recorded; its officers were told.")
                        % {"target": visit.target_name},
                    )
                    return redirect("supervision:detail", pk=visit.pk)
    return render(
        request,
        "supervision/new.html",
        {"form": form, "follow_ups": follow_ups, "nav_section": "supervision"},
        status=services.Invalid.status if request.method == "POST" else 200,
    )


def _target(user: User, form: VisitForm) -> tuple[LocalAuthority | None, Institution | None]:
    """The LAO or the institution the form names, checked against the supervisor's province."""
    lao_code = form.cleaned_data.get("lao") or ""
    institution_code = (form.cleaned_data.get("institution") or "").strip()
    lao = selectors.lao_to_visit(user, lao_code) if lao_code else None
    if lao_code and lao is None:
        form.add_error("lao", _("Choose one of the local authorities offered."))
    if institution_code:
        institution = selectors.institution_to_visit(user, institution_code)
        if institution is None:
            form.add_error(
                "institution",
                _("No active institution of your province has the code %(code)s.")
                % {"code": institution_code},
            )
        elif lao is not None and institution.lao_id != lao.pk:
            form.add_error(
                "institution",
                _("This institution belongs to %(lao)s, not to the local authority chosen.")
                % {"lao": institution.lao.name},
            )
        return None, institution
    if not lao_code:
        form.add_error("lao", _("Choose the local authority or type the code of the institution."))
    return lao, None


def _follow_up_errors_to_rows(formset: forms.BaseFormSet, exc: services.SarError) -> None:
    """Put the services' "follow_ups.<n>.<field>" errors on the row they belong to."""
    errors = getattr(exc, "errors", {})
    filled = [row for row in formset.forms if row.has_changed() and row.cleaned_data]
    for key in [key for key in errors if key.startswith("follow_ups.")]:
        parts = key.split(".")
        message = errors.pop(key)
        if len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(filled):
            row = filled[int(parts[1]) - 1]
            row.add_error(parts[2] if parts[2] in row.fields else None, message)
        else:
            formset.forms[0].add_error(None, message)


def _detail_context(request: AuthenticatedRequest, visit: Visit, **extra: Any) -> dict[str, Any]:
    user = request.user
    can_act = services.can_act_on(user, visit)
    follow_ups = list(selectors.follow_ups_of(visit))
    return {
        "visit": visit,
        "follow_ups": follow_ups,
        "can_act": can_act,
        "follow_up_form": FollowUpForm(prefix="new") if can_act else None,
        "close_form": CloseForm(prefix="close"),
        "reopen_form": ReopenForm(prefix="reopen"),
        "visitors": visit.visitors.splitlines(),
        "nav_section": "supervision",
        **extra,
    }


@login_required
def visit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_or_404(request.user, pk)
    return render(request, "supervision/detail.html", _detail_context(request, visit))


@login_required
@require_POST
def follow_up_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    visit = selectors.visit_or_404(user, pk)
    _403_unless(services.can_act_on(user, visit))
    form = FollowUpForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.add_follow_up(
                visit=visit, actor=user, ip=client_ip(request), **form.cleaned_data
            )
        except services.Invalid as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The follow-up action was added; the LAO was told."))
            return redirect("supervision:detail", pk=visit.pk)
    return render(
        request,
        "supervision/detail.html",
        _detail_context(request, visit, follow_up_form=form),
        status=services.Invalid.status,
    )


@login_required
def visit_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    visit = selectors.visit_or_404(user, pk)
    _403_unless(services.can_act_on(user, visit))
    initial = {
        "visit_date": visit.visit_date,
        "visitors": visit.visitors,
        "findings": visit.findings,
        "recommendations": visit.recommendations,
        "version": visit.version,
    }
    form = VisitEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = services.Invalid.status
        if form.is_valid():
            values = form.cleaned_data
            try:
                changes = services.update_visit(
                    visit=visit,
                    actor=user,
                    visit_date=values["visit_date"],
                    visitors=values["visitors"],
                    findings=values["findings"],
                    recommendations=values["recommendations"],
                    expected_version=values["version"],
                    ip=client_ip(request),
                )
            except services.Conflict as exc:
                form.add_error(None, exc.message)
                status = exc.status
            except services.Invalid as exc:
                _add_errors(form, exc)
            else:
                if changes:
                    messages.success(request, _("The visit was saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("supervision:detail", pk=visit.pk)
    return render(
        request,
        "supervision/edit.html",
        {"visit": visit, "form": form, "nav_section": "supervision"},
        status=status,
    )


def _change_follow_up(request: AuthenticatedRequest, pk: int, *, closing: bool) -> HttpResponse:
    user = request.user
    follow_up = selectors.follow_up_or_404(user, pk)
    visit = selectors.visit_or_404(user, follow_up.visit_id)
    _403_unless(services.can_act_on(user, visit))
    form_class, prefix = (CloseForm, "close") if closing else (ReopenForm, "reopen")
    form = form_class(request.POST, prefix=prefix)
    status = services.Invalid.status
    if form.is_valid():
        change = services.close_follow_up if closing else services.reopen_follow_up
        note_arg = "note" if closing else "reason"
        try:
            change(
                follow_up=follow_up,
                actor=user,
                ip=client_ip(request),
                **{note_arg: form.cleaned_data["note"]},
            )
        except services.Conflict as exc:
            messages.error(request, exc.message)
            return redirect("supervision:detail", pk=visit.pk)
        except services.Invalid as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The follow-up action was closed.")
                if closing
                else _("The follow-up action was reopened."),
            )
            return redirect(_back(request, visit))
    extra: dict[str, Any] = {"failed_follow_up": follow_up.pk}
    extra["close_form" if closing else "reopen_form"] = form
    return render(
        request, "supervision/detail.html", _detail_context(request, visit, **extra), status=status
    )


def _back(request: AuthenticatedRequest, visit: Visit) -> str:
    # Closing from the list of actions returns to that list, with its filters.
    if request.POST.get("back") == "list":
        query = QueryDict(request.POST.get("query", "")).urlencode()
        url = reverse("supervision:follow_ups")
        return f"{url}?{query}" if query else url
    return reverse("supervision:detail", args=[visit.pk])


@login_required
@require_POST
def follow_up_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _change_follow_up(request, pk, closing=True)


@login_required
@require_POST
def follow_up_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _change_follow_up(request, pk, closing=False)


def _follow_up_rows(request: AuthenticatedRequest) -> tuple[FollowUpFilterForm, Any, bool]:
    user = request.user
    _404_unless(selectors.can_view(user))
    national = selectors.sees_provinces(user)
    provinces = registry.provinces_for(user) if national else []
    form = FollowUpFilterForm(request.GET or None, provinces=provinces)
    rows = selectors.filter_follow_ups(selectors.follow_ups_for(user), **form.filters())
    return form, rows, national


@login_required
def follow_up_list(request: AuthenticatedRequest) -> HttpResponse:
    """The follow-up actions across one's part of the country; overdue ones first."""
    form, rows, national = _follow_up_rows(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/follow_ups.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.follow_up_counts(rows),
            "querystring": _querystring(request),
            "single_province": not national,
            "national": national,
            "can_record": selectors.can_record(request.user),
            "supervised_province": services.supervised_province(request.user),
            "today": timezone.localdate(),
            "nav_section": "supervision",
        },
    )


@login_required
def follow_up_export(request: AuthenticatedRequest) -> FileResponse:
    """The follow-up list, with the same filters, as an Excel workbook."""
    from esar.supervision.exports import follow_ups_xlsx

    _form, rows, _national = _follow_up_rows(request)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    follow_ups_xlsx(rows, out, today=timezone.localdate())
    out.seek(0)
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        out, as_attachment=True, filename=f"follow-ups-{stamp}.xlsx", content_type=XLSX
    )
