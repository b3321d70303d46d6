"""SAR lists: a school's years, the institutions and their SAR of a year, the LAO's queue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from esar.accounts.permissions import role_of
from esar.accounts.roles import Role
from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.core.errors import Conflict, Invalid
from esar.cycles.models import AcademicYear
from esar.organizations import selectors as registry
from esar.sar import selectors
from esar.sar.filters import filter_sar_rows, with_sar_of_year
from esar.sar.forms import SarFilterForm
from esar.sar.models import SarStatus
from esar.sar.services import drafts
from esar.sar.views.common import _404_unless

if TYPE_CHECKING:
    from esar.sar.filters import InstitutionWithSar

PAGE_SIZE = 50
STATUS_LABELS = dict(SarStatus.choices)


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
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
def open_report(request: AuthenticatedRequest) -> HttpResponse:
    institution = selectors.own_institution(request.user)
    if institution is None:
        raise Http404
    try:
        year = AcademicYear.objects.get(pk=int(request.POST.get("year", "")))
    except (ValueError, OverflowError, AcademicYear.DoesNotExist) as exc:
        raise Http404 from exc
    try:
        sar = drafts.open_sar(
            institution=institution, year=year, actor=request.user, ip=client_ip(request)
        )
    except (Conflict, Invalid) as exc:
        messages.error(request, exc.message)
        return redirect("sar:index")
    return redirect("sar:detail", pk=sar.pk)


@login_required
def sar_list(request: AuthenticatedRequest) -> HttpResponse:
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
        # The stubs' Page drops the annotations of its rows; they are `rows`' InstitutionWithSar.
        for row in cast("Iterable[InstitutionWithSar]", page):
            # The label is for the template, not a field or an annotation of the row.
            row.sar_status_label = STATUS_LABELS.get(row.sar_status or "", "")  # type: ignore[attr-defined]
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
def queue(request: AuthenticatedRequest) -> HttpResponse:
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
