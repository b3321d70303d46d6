"""Pages of academic years: every role reads the dates and deadlines; DLA administrators edit them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.core.errors import form_status
from esar.cycles import pages, selectors, services
from esar.cycles.forms import CreateYearForm, EditYearForm
from esar.cycles.models import AcademicYear, Hop


def _require_member(request: HttpRequest) -> None:
    # Reference data, read alike on these pages and in the API (not by the e-SAR delivery account).
    if not has_perm(request.user, Perm.REGISTRY_VIEW):
        raise Http404


def _require_manage(request: HttpRequest) -> None:
    # Those who read the years but may not change them: 403 (esar.core.errors).
    _require_member(request)
    if not has_perm(request.user, Perm.YEARS_MANAGE):
        raise PermissionDenied


def _deadlines(year: AcademicYear) -> list[dict[str, object]]:
    return [{"hop": hop, "label": hop.label, "due": year.due(hop)} for hop in Hop]


@login_required
def year_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_member(request)
    years = list(selectors.all_years())
    return render(
        request,
        "cycles/year_list.html",
        {
            "years": years,
            "current": selectors.current_of(years),
            "can_manage": has_perm(request.user, Perm.YEARS_MANAGE),
            "nav_section": "years",
        },
    )


@login_required
def year_detail(request: AuthenticatedRequest, year: int) -> HttpResponse:
    _require_member(request)
    academic_year = selectors.year_or_404(year)
    return render(
        request,
        "cycles/year_detail.html",
        {
            "year": academic_year,
            "deadlines": _deadlines(academic_year),
            "is_current": selectors.current_year() == academic_year,
            # Added by the apps above (the assessments app: the year's target group).
            "sections": pages.year_sections(request.user, academic_year),
            "can_manage": has_perm(request.user, Perm.YEARS_MANAGE),
            "nav_section": "years",
        },
    )


@login_required
def year_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manage(request)
    form = CreateYearForm(
        request.POST or None,
        initial={"target_group_years": 5, "upload_limit_mb": 100, "is_open": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_year(
                actor=request.user, year=form.cleaned_data["year"], **_values(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The academic year %(year)s was created.") % {"year": created.year}
            )
            return redirect("cycles:detail", year=created.year)
    return render(
        request,
        "cycles/year_form.html",
        {"form": form, "year": None, "nav_section": "years"},
        status=form_status(form),
    )


@login_required
def year_edit(request: AuthenticatedRequest, year: int) -> HttpResponse:
    _require_manage(request)
    academic_year = selectors.year_or_404(year)
    initial = {name: getattr(academic_year, name) for name in services.FIELDS}
    initial["version"] = EditYearForm.version_of(academic_year)
    form = EditYearForm(request.POST or None, initial=initial)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.update_year(
                actor=request.user,
                year=academic_year,
                expected_updated_at=form.cleaned_data["version"],
                **_values(form),
            )
        except services.Conflict as exc:
            form.add_error(None, exc.message)
            status = exc.status
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changes:
                messages.success(
                    request, _("The academic year %(year)s was saved.") % {"year": year}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("cycles:detail", year=year)
    return render(
        request,
        "cycles/year_form.html",
        {"form": form, "year": academic_year, "nav_section": "years"},
        status=status or form_status(form),
    )


def _values(form: CreateYearForm | EditYearForm) -> dict[str, Any]:
    # The form's cleaned values (dates, numbers, a flag), passed on as the service's keywords.
    return {name: form.cleaned_data[name] for name in services.FIELDS}
