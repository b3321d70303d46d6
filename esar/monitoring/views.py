"""Dashboards: the national one for DLA, one per province, and an LAO's institutions.

Thin views over `dashboards`; anything outside the reader's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from esar.accounts.types import AuthenticatedRequest
from esar.cycles.models import AcademicYear
from esar.monitoring import charts, exports
from esar.monitoring.cells import Cells
from esar.monitoring.dashboards import access
from esar.monitoring.dashboards.counts import HOP_LABELS, LAO_HOP_LABELS, STATE_LABELS
from esar.monitoring.dashboards.lao import lao_page
from esar.monitoring.dashboards.national import national_dashboard
from esar.monitoring.dashboards.province import SORT_RULE, province_dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _common(year_choices: list[AcademicYear], year: AcademicYear) -> dict[str, Any]:
    return {
        "years": year_choices,
        "year": year,
        "hop_labels": HOP_LABELS,
        "lao_hop_labels": LAO_HOP_LABELS,
        "state_labels": STATE_LABELS,
        "nav_section": "dashboards",
    }


@login_required
@require_GET
def national(request: AuthenticatedRequest) -> HttpResponse:
    province = access.supervised_province(request.user)
    if province is not None:
        url = reverse("monitoring:province", args=[province])
        year = request.GET.get("year", "")
        return redirect(f"{url}?year={year}" if year.isdigit() else url)
    if not access.can_view_national(request.user):
        raise Http404
    choices = access.years()
    the_year = access.pick_year(choices, request.GET.get("year"))
    dashboard = national_dashboard(the_year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.national_xlsx(dashboard), f"dashboard-{the_year.year}.xlsx")
    cells = Cells()
    base = reverse("monitoring:province", args=["00"])[: -len("00/")]
    context = {
        **_common(choices, the_year),
        "dashboard": dashboard,
        "table": [
            {
                "row": row,
                "url": f"{base}{row.province.code}/?year={the_year.year}",
                "hops": cells.hops(row.counts),
                "own": cells.lao_totals(row.counts),
            }
            for row in dashboard.rows
        ],
        "total_hops": cells.hops(dashboard.totals),
        "total_own": cells.lao_totals(dashboard.totals),
        "changes": dashboard.changes(),
        "progress_chart": charts.progress_chart(
            dashboard.totals, title=_("Progress per hop (all institutions)")
        ),
        "level_charts": charts.level_charts(dashboard.standards, title=""),
    }
    return render(request, "monitoring/national.html", context)


@login_required
@require_GET
def province(request: AuthenticatedRequest, code: str) -> HttpResponse:
    the_province = access.province_or_404(request.user, code)
    choices = access.years()
    year = access.pick_year(choices, request.GET.get("year"))
    dashboard = province_dashboard(the_province, year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.province_xlsx(dashboard), f"dashboard-{code}-{year.year}.xlsx")
    cells = Cells()
    base = reverse("monitoring:lao", args=["0000000"])[: -len("0000000/")]
    context = {
        **_common(choices, year),
        "dashboard": dashboard,
        "table": [
            {
                "row": row,
                "url": f"{base}{row.lao.code}/?year={year.year}",
                "hops": cells.hops(row.counts),
                "own": cells.states(row.own, "data-own"),
            }
            for row in dashboard.rows
        ],
        "total_hops": cells.hops(dashboard.totals),
        "total_own": cells.lao_totals(dashboard.totals),
        "province": the_province,
        "sort_rule": SORT_RULE,
        "is_national_reader": access.can_view_national(request.user),
        "progress_chart": charts.progress_chart(dashboard.totals, title=the_province.name_th),
        "level_charts": charts.level_charts(dashboard.standards, title=the_province.name_th),
    }
    return render(request, "monitoring/province.html", context)


@login_required
@require_GET
def lao(request: AuthenticatedRequest, code: str) -> HttpResponse:
    the_lao = access.lao_or_404(request.user, code)
    choices = access.years()
    year = access.pick_year(choices, request.GET.get("year"))
    page = lao_page(the_lao, year)
    cells = Cells()
    context = {
        **_common(choices, year),
        "page": page,
        "table": [
            {"row": row, "hops": cells.states(row.hop_list, "data-hop")}
            for row in page.institutions
        ],
        "lao": the_lao,
        "can_view_province": access.can_view_provinces(request.user),
    }
    return render(request, "monitoring/lao.html", context)
