"""Pages of the standard sets: every member reads them; DLA administrators add new versions."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.errors import form_status
from esar.cycles.models import AcademicYear
from esar.organizations.models import EducationLevel
from esar.standards import importing, selectors, services
from esar.standards.forms import QUALITY_LEVEL_FIELDS, NewVersionForm
from esar.standards.models import Standard, StandardSet

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations


class _InForce(TypedDict):
    in_force_year: int | None


TEMPLATE_EXAMPLE_LEVEL = EducationLevel.BASIC
NAV_SECTION = "standards"


def _require_member(request: AuthenticatedRequest) -> None:
    # Reference data, read alike on these pages and in the API (not by the e-SAR delivery account).
    if not has_perm(request.user, Perm.REGISTRY_VIEW):
        raise Http404


def _require_manager(request: AuthenticatedRequest) -> None:
    # Those who read the standards but may not change them: 403 (esar.core.errors).
    _require_member(request)
    if not has_perm(request.user, Perm.STANDARDS_MANAGE):
        raise PermissionDenied


def _current_year() -> int | None:
    # Which set applies "now" depends on the academic year DLA has opened, if any.
    year = AcademicYear.objects.current()
    return year.year if year is not None else None


@login_required
def set_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_member(request)
    # The year a set is in force rides on the instance for the template, as an annotation would.
    sets = cast("list[WithAnnotations[StandardSet, _InForce]]", list(selectors.sets_with_counts()))
    year = _current_year()
    in_force: dict[int, int] = {}
    if year is not None:
        for level in EducationLevel:
            found = StandardSet.objects.in_force(level, year)
            if found is not None:
                in_force[found.pk] = year
    groups = [
        {
            "level": level,
            "sets": [s for s in sets if s.education_level == level],
        }
        for level in EducationLevel
    ]
    for standard_set in sets:
        standard_set.in_force_year = in_force.get(standard_set.pk)
    return render(
        request,
        "standards/set_list.html",
        {
            "groups": groups,
            "year": year,
            "can_manage": has_perm(request.user, Perm.STANDARDS_MANAGE),
            "nav_section": NAV_SECTION,
        },
    )


def _grouped_items(standard: Standard) -> list[dict[str, Any]]:
    """A standard's items in runs that share a group heading (a run without one has none)."""
    runs: list[dict[str, Any]] = []
    for item in standard.items.all():
        if not runs or runs[-1]["group_th"] != item.group_th:
            runs.append({"group_th": item.group_th, "group": item, "items": []})
        runs[-1]["items"].append(item)
    return runs


@login_required
def set_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    _require_member(request)
    standard_set = selectors.set_for(code)
    standards: list[dict[str, Any]] = [
        {"standard": standard, "runs": _grouped_items(standard)}
        for standard in standard_set.standards.all()
    ]
    return render(
        request,
        "standards/set_detail.html",
        {
            "set": standard_set,
            "standards": standards,
            "item_count": sum(len(s["standard"].items.all()) for s in standards),
            "quality_levels": standard_set.quality_levels.all(),
            "report_count": selectors.report_count(standard_set),
            "can_manage": has_perm(request.user, Perm.STANDARDS_MANAGE),
            "nav_section": NAV_SECTION,
        },
    )


@login_required
def new_version(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    file_errors: list = []
    error_count = 0
    if request.method == "POST":
        form = NewVersionForm(request.POST, request.FILES)
        valid = form.is_valid()
        upload = form.cleaned_data.get("file")
        # The file is checked even when a field of the form is wrong, so one post shows all.
        parsed = None
        if upload is not None:
            filename = PurePath(upload.name or "").name
            parsed = importing.read_standards_file(upload, filename)
            file_errors, error_count = parsed.errors.items, parsed.errors.count
        if valid and parsed is not None and not parsed.errors:
            data = form.cleaned_data
            try:
                standard_set = services.create_standard_set(
                    actor=request.user,
                    education_level=data["education_level"],
                    version=data["version"],
                    effective_from_year=data["effective_from_year"],
                    name_th=data["name_th"],
                    name_en=data["name_en"],
                    source_th=data["source_th"],
                    standards=parsed.standards,
                    quality_levels=form.quality_levels(),
                    filename=filename,
                    ip_address=client_ip(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    gettext(
                        "The standard set %(name)s was created with %(standards)s standards "
                        "and %(items)s items."
                    )
                    % {
                        "name": standard_set.name,
                        "standards": len(parsed.standards),
                        "items": parsed.item_count,
                    },
                )
                return redirect("standards:detail", code=standard_set.code)
    else:
        form = NewVersionForm()
    return render(
        request,
        "standards/new_version.html",
        {
            "form": form,
            "level_fields": [form[name] for name in QUALITY_LEVEL_FIELDS],
            "file_errors": file_errors,
            "error_count": error_count,
            "columns": importing.COLUMNS,
            "nav_section": NAV_SECTION,
        },
        status=form_status(form, refused=bool(file_errors)),
    )


@login_required
def template(request: AuthenticatedRequest) -> HttpResponse:
    """The .xlsx template, filled with a set as example: ?from=<code>, or the newest basic set."""
    _require_manager(request)
    code = request.GET.get("from") or (
        StandardSet.objects.filter(education_level=TEMPLATE_EXAMPLE_LEVEL, is_active=True)
        .values_list("code", flat=True)
        .first()
    )
    standards = list(selectors.set_for(code).standards.all()) if code else []
    response = HttpResponse(
        importing.build_template(standards),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"esar-standards-{code}.xlsx" if code else "esar-standards.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def set_active(request: AuthenticatedRequest, code: str, active: bool) -> HttpResponse:
    _require_manager(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    standard_set = selectors.set_for(code)
    changed = services.set_standard_set_active(
        actor=request.user,
        standard_set=standard_set,
        active=active,
        ip_address=client_ip(request),
    )
    if changed and active:
        messages.success(request, gettext("The set is offered for new reports again."))
    elif changed:
        messages.success(
            request,
            gettext("The set is no longer offered for new reports; past reports keep it."),
        )
    return redirect("standards:detail", code=standard_set.code)
