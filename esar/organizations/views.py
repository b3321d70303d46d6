"""Registry pages: lists with search and filters, and detail pages, all scoped to the user.

The institution list and page also show what apps above the registry add through
`esar.organizations.pages` (the assessments app: the target group, ONESQA's history).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from esar.accounts.models import Membership
from esar.accounts.permissions import Perm, has_perm, role_of
from esar.accounts.roles import Role
from esar.accounts.types import AuthenticatedRequest
from esar.organizations import filters, pages, selectors
from esar.organizations.forms import LaoFilterForm, ProvinceFilterForm
from esar.organizations.models import Institution, LaoType

PAGE_SIZE = 50
NATIONAL_ROLES = {Role.DLA_ADMIN, Role.DLA_ANALYST, Role.ONESQA_REVIEWER, Role.HELPDESK}


def _require(request: HttpRequest, perm: Perm) -> None:
    if not has_perm(request.user, perm):
        raise Http404


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def province_list(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Perm.REGISTRY_VIEW)
    if role_of(request.user) not in NATIONAL_ROLES:
        raise Http404
    form = ProvinceFilterForm(request.GET or None)
    provinces = filters.filter_provinces(selectors.provinces_for(request.user), **form.filters())
    provinces = selectors.province_counts(request.user, provinces.select_related("office"))
    return render(
        request,
        "organizations/province_list.html",
        {"form": form, "provinces": provinces, "nav_section": "provinces"},
    )


@login_required
def province_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    _require(request, Perm.REGISTRY_VIEW)
    province = selectors.province_for(request.user, code)
    laos = selectors.laos_for(request.user).filter(province=province)
    type_labels = dict(LaoType.choices)
    by_type = [
        {
            "lao_type": row["lao_type"],
            "label": type_labels.get(row["lao_type"], row["lao_type"]),
            "n": row["n"],
        }
        for row in laos.order_by().values("lao_type").annotate(n=Count("id")).order_by("lao_type")
    ]
    institution_count = (
        selectors.institutions_for(request.user).filter(lao__province=province).count()
    )
    return render(
        request,
        "organizations/province_detail.html",
        {
            "province": province,
            "office": getattr(province, "office", None) if province.has_office else None,
            "by_type": by_type,
            "lao_count": sum(row["n"] for row in by_type),
            "institution_count": institution_count,
            "nav_section": "provinces",
        },
    )


@login_required
def lao_list(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Perm.REGISTRY_VIEW)
    if role_of(request.user) in (Role.LAO_OFFICER, Role.SCHOOL_OFFICER):
        # An LAO officer's "list" is their own LAO.
        lao = selectors.laos_for(request.user).first()
        if lao is None:
            raise Http404
        return redirect("organizations:lao_detail", code=lao.code)
    provinces = selectors.provinces_for(request.user)
    form = LaoFilterForm(request.GET or None, provinces=provinces)
    laos = filters.filter_laos(selectors.laos_for(request.user), **form.filters())
    page = _page(request, laos.order_by("name_th", "code"))
    counts = dict(
        Institution.objects.filter(lao__in=[lao.pk for lao in page])
        .order_by()
        .values_list("lao")
        .annotate(n=Count("id"))
    )
    for lao in page:
        lao.institution_count = counts.get(lao.pk, 0)
    return render(
        request,
        "organizations/lao_list.html",
        {
            "form": form,
            "page": page,
            "querystring": _querystring(request),
            "single_province": provinces.count() == 1,
            "nav_section": "laos",
        },
    )


@login_required
def lao_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    _require(request, Perm.REGISTRY_VIEW)
    lao = selectors.lao_for(request.user, code)
    institutions = selectors.institutions_for(request.user).filter(lao=lao).order_by("name_th")
    officers = Membership.objects.filter(lao=lao).select_related("user").order_by("user__username")
    return render(
        request,
        "organizations/lao_detail.html",
        {
            "lao": lao,
            "institutions": institutions,
            "type_changes": lao.type_changes.all(),
            "officers": officers,
            "nav_section": "laos",
        },
    )


@login_required
def institution_list(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Perm.REGISTRY_VIEW)
    if role_of(request.user) is Role.SCHOOL_OFFICER:
        return redirect("organizations:my_institution")
    provinces = selectors.provinces_for(request.user)
    form = pages.institution_list_form()(request.GET or None, provinces=provinces)
    institutions = form.narrow(selectors.institutions_for(request.user))
    page = _page(request, institutions.order_by("name_th", "code"))
    return render(
        request,
        "organizations/institution_list.html",
        {
            "form": form,
            "page": page,
            **form.list_context(),
            "querystring": _querystring(request),
            "single_province": provinces.count() == 1,
            "nav_section": "institutions",
        },
    )


@login_required
def institution_detail(request: AuthenticatedRequest, code: str) -> HttpResponse:
    _require(request, Perm.REGISTRY_VIEW)
    institution = selectors.institution_for(request.user, code)
    officers = (
        Membership.objects.filter(institution=institution)
        .select_related("user")
        .order_by("user__username")
    )
    lao_officers = (
        Membership.objects.filter(lao=institution.lao)
        .select_related("user")
        .order_by("user__username")
    )
    return render(
        request,
        "organizations/institution_detail.html",
        {
            "institution": institution,
            "officers": officers,
            "lao_officers": lao_officers,
            "sections": pages.institution_sections(request.user, institution),
            "nav_section": "institutions",
        },
    )


@login_required
def my_institution(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Perm.REGISTRY_VIEW)
    institution = (
        selectors.institutions_for(request.user).first()
        if role_of(request.user) is Role.SCHOOL_OFFICER
        else None
    )
    if institution is None:
        raise Http404
    return redirect("organizations:institution_detail", code=institution.code)
