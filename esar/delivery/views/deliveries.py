"""The LAO's delivery page and the lists of deliveries (the LAO's, the province's, DLA's; ONESQA's inbox)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.cycles import selectors as cycles
from esar.delivery import (
    selectors,
    services,
)
from esar.delivery.forms import DeliverForm, DeliveryFilterForm
from esar.delivery.models import DeliveryStatus
from esar.delivery.views.common import PAGE_SIZE, _404_unless, _chosen_year
from esar.organizations import selectors as registry

# --- The LAO's page and the lists of deliveries --------------------------------------------------


@login_required
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The LAO officer's delivery page; for provinces and DLA, the deliveries of their part."""
    user = request.user
    if not has_perm(user, Perm.DELIVERY_VIEW):
        _404_unless(has_perm(user, Perm.ONESQA_INBOX))
        return redirect("delivery:inbox")
    scope = scope_for(user)
    if scope.level is Level.LAO:
        lao = registry.laos_for(user).first()
        _404_unless(lao is not None)
        return _lao_page(request, lao)
    return _list(request, "delivery/list.html", "delivery")


@login_required
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """ONESQA's inbox: every delivery that reached e-SAR, filterable, newest first."""
    _404_unless(has_perm(request.user, Perm.ONESQA_INBOX))
    return _list(request, "delivery/inbox.html", "delivery")


def _list(request: AuthenticatedRequest, template: str, section: str) -> HttpResponse:
    years = list(cycles.all_years())
    form = DeliveryFilterForm(
        request.GET, years=years, provinces=registry.provinces_for(request.user)
    )
    deliveries = selectors.filter_deliveries(
        selectors.deliveries_for(request.user), **form.filters()
    ).order_by("-created_at", "-pk")
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "nav_section": section,
        },
    )


@login_required
@require_GET
def lao_page(request: AuthenticatedRequest, code: str) -> HttpResponse:
    return _lao_page(request, selectors.lao_for(request.user, code))


def _lao_page(
    request: AuthenticatedRequest, lao: Any, *, status: int = 200, error: str | None = None
) -> HttpResponse:
    years, year = _chosen_year(request)
    page = selectors.lao_deliveries(request.user, lao, year) if year is not None else None
    return render(
        request,
        "delivery/lao.html",
        {
            "lao": lao,
            "years": years,
            "year": year,
            "page": page,
            "error": error,
            "form": DeliverForm(initial={"expected": page.pending.key}) if page else None,
            "nav_section": "delivery",
        },
        status=status,
    )


@login_required
@require_POST
def deliver(request: AuthenticatedRequest, code: str) -> HttpResponse:
    lao = selectors.lao_for(request.user, code)
    _years, year = _chosen_year(request)
    if year is None or request.POST.get("year") != str(year.year):
        raise Http404
    form = DeliverForm(request.POST)
    if not form.is_valid():
        return _lao_page(
            request,
            lao,
            status=services.Invalid.status,
            error=_("Reload the page and deliver again."),
        )
    try:
        delivery = services.deliver(
            lao=lao,
            year=year,
            actor=request.user,
            expected=form.cleaned_data["expected"],
            ip=client_ip(request),
        )
    except services.SarError as exc:
        return _lao_page(request, lao, status=exc.status, error=exc.message)
    if delivery is None:
        messages.info(
            request,
            _(
                "Nothing new to deliver: every accepted SAR and the synthesis are already delivered."
            ),
        )
        return redirect(f"{_lao_url(lao)}?year={year.year}")
    if delivery.status == DeliveryStatus.DELIVERED:
        messages.success(
            request,
            _("Delivered into e-SAR. Receipt number %(receipt)s.")
            % {"receipt": delivery.receipt_number},
        )
    else:
        messages.info(
            request,
            _("Delivery %(receipt)s is being sent to e-SAR; this page shows when it arrives.")
            % {"receipt": delivery.receipt_number},
        )
    return redirect("delivery:detail", pk=delivery.pk)


def _lao_url(lao: Any) -> str:
    return reverse("delivery:lao", args=[lao.code])
