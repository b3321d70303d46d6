"""Helpdesk pages: an LAO reports a problem with e-SAR and follows it; the helpdesk handles every
report; DLA sets the contact.

Views stay thin: reads go through `esar.helpdesk.selectors` (a report outside one's part, or a
page of another role, is a 404 as everywhere in e-SAR), writes through `esar.helpdesk.services`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.helpdesk import selectors, services
from esar.helpdesk.forms import ContactForm, ReportFilterForm, ReportForm, StatusForm
from esar.helpdesk.models import Report
from esar.organizations import selectors as registry

PAGE_SIZE = 50


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def _403_unless(condition: bool) -> None:
    """For what the person sees: their role may not do this to it (esar.core.errors)."""
    if not condition:
        raise PermissionDenied


def _add_errors(form: forms.Form, exc: services.Invalid) -> None:
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.message)


@login_required
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    """The LAO's own reports, or every report for the helpdesk, newest first."""
    user = request.user
    _404_unless(selectors.can_view(user))
    handler = selectors.can_handle(user)
    provinces = registry.provinces_for(user) if handler else []
    form = ReportFilterForm(request.GET or None, provinces=provinces)
    reports = selectors.filter_reports(selectors.reports_for(user), **form.filters())
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "helpdesk/list.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "single_province": not handler,
            "is_handler": handler,
            "can_report": selectors.can_report(user),
            "contact": services.current_contact(),
            "nav_section": "helpdesk",
        },
    )


@login_required
def report_new(request: AuthenticatedRequest) -> HttpResponse:
    """The report form, with the page the officer came from (only ever a local path)."""
    user = request.user
    lao = services.lao_of_reporter(user)
    _404_unless(selectors.can_view(user))
    _403_unless(lao is not None)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.submit_report(
                    actor=user, ip=client_ip(request), **form.cleaned_data
                )
            except services.Invalid as exc:
                _add_errors(form, exc)
            except services.NotAllowed as exc:
                raise PermissionDenied from exc
            else:
                messages.success(
                    request,
                    _("Your report %(reference)s was sent to the helpdesk.")
                    % {"reference": report.reference},
                )
                return redirect("helpdesk:detail", pk=report.pk)
    else:
        # A `from` that is not a path of this site is ignored, never followed or shown as a link.
        page = services.local_path(request.GET.get("from")) or ""
        title = request.GET.get("title", "")[: services.PAGE_TITLE_MAX] if page else ""
        form = ReportForm(initial={"page_url": page, "page_title": title})
    back = services.local_path(form["page_url"].value())
    return render(
        request,
        "helpdesk/new.html",
        {
            "form": form,
            "lao": lao,
            "back": back,
            "contact": services.current_contact(),
            "nav_section": "helpdesk",
        },
        status=services.Invalid.status if form.is_bound else 200,
    )


def _status_form(request: AuthenticatedRequest | None, report: Report) -> StatusForm:
    return StatusForm(
        request.POST if request is not None else None,
        current=report.status,
        choices=report.next_statuses,
        initial={"status": report.status, "version": report.version},
    )


@login_required
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    report = selectors.report_or_404(user, pk)
    handler = selectors.can_handle(user)
    form = _status_form(None, report) if handler else None
    status = 200
    if request.method == "POST":
        _403_unless(handler)
        form = _status_form(request, report)
        status = services.Invalid.status
        if form.is_valid():
            try:
                services.update_status(
                    report=report,
                    actor=user,
                    status=form.cleaned_data["status"],
                    message=form.cleaned_data["message"],
                    expected_version=form.cleaned_data["version"],
                    ip=client_ip(request),
                )
            except services.Conflict as exc:
                # Show what changed meanwhile, with a form for the report as it is now.
                messages.error(request, exc.message)
                report = selectors.report_or_404(user, pk)
                form = _status_form(None, report)
                status = exc.status
            except services.Invalid as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The report was updated; the LAO was told."))
                return redirect("helpdesk:detail", pk=report.pk)
    return render(
        request,
        "helpdesk/detail.html",
        {
            "report": report,
            "history": selectors.history(report),
            "form": form,
            "is_handler": handler,
            "contact": services.current_contact(),
            "nav_section": "helpdesk",
        },
        status=status,
    )


@login_required
def contact_edit(request: AuthenticatedRequest) -> HttpResponse:
    """DLA sets who handles e-SAR problem reports; nothing about the contact is hard-coded."""
    user = request.user
    _404_unless(selectors.can_view(user) or has_perm(user, Perm.HELPDESK_CONTACT_EDIT))
    _403_unless(has_perm(user, Perm.HELPDESK_CONTACT_EDIT))
    contact = services.current_contact()
    initial = (
        {
            "name": contact.name,
            "phone": contact.phone,
            "email": contact.email,
            "notes": contact.notes,
            "version": contact.version,
        }
        if contact
        else {}
    )
    form = ContactForm(request.POST or None, initial=initial)
    status = services.Invalid.status if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            _saved, changes = services.save_contact(
                actor=user,
                name=values["name"],
                phone=values["phone"],
                email=values["email"],
                notes=values["notes"],
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
                messages.success(request, _("The helpdesk contact was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("helpdesk:contact")
    return render(
        request,
        "helpdesk/contact.html",
        {
            "form": form,
            "contact": contact,
            "nav_section": "helpdesk",
        },
        status=status,
    )
