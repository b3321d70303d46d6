"""Progress and dashboards through the API; same selectors and scoping as the pages.

Every figure comes from `esar.monitoring.dashboards`, which reads the progress rows, so the API
answers the numbers the dashboards and their Excel exports show. Outside the caller's scope (or
for a role that has no dashboard) an organisation is a 404; lists are empty for such roles.
"""

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from esar.accounts.types import AuthenticatedRequest
from esar.api.pagination import Pagination
from esar.api.sar_schemas import ERRORS
from esar.monitoring import status
from esar.monitoring.dashboards import access
from esar.monitoring.dashboards.counts import HOPS, SUMMED, lao_states
from esar.monitoring.dashboards.lao import institution_states
from esar.monitoring.dashboards.national import national_dashboard as national_figures
from esar.monitoring.dashboards.province import province_dashboard as province_figures
from esar.monitoring.models import InstitutionProgress, LaoProgress

router = Router(tags=["progress"])

STATES = "on_time, late, overdue (not done, past its due day) or pending (not done, not due yet)"
RECEIVED_STATES = "received or pending (receipt by ONESQA has no due day)"


# --- Schemas -------------------------------------------------------------------------------------


class YearFilter(Schema):
    year: int | None = Field(
        None, ge=2500, le=2700, description="Academic year (B.E.); the current one by default."
    )


class InstitutionFilters(YearFilter):
    lao: str | None = Field(None, max_length=7, description="LAO code.")
    province: str | None = Field(None, max_length=2, description="Province code.")


class LaoFilters(YearFilter):
    province: str | None = Field(None, max_length=2, description="Province code.")


class InstitutionProgressOut(Schema):
    institution: str = Field(..., description="MOE code.")
    institution_name: str
    lao: str
    province: str
    year: int
    in_target_group: bool
    sar_id: int | None = None
    sar_state: str = Field(..., description="none, draft, submitted, returned or accepted.")
    submitted_at: dt.datetime | None = None
    submitted_state: str = Field(..., description=STATES)
    accepted_at: dt.datetime | None = None
    accepted_state: str = Field(..., description=STATES)
    delivered_at: dt.datetime | None = None
    delivered_state: str = Field(..., description=STATES)
    received_at: dt.datetime | None = None
    received_state: str = Field(..., description=RECEIVED_STATES)


class LaoProgressOut(Schema):
    lao: str
    lao_name: str
    province: str
    year: int
    institutions: int
    submitted: int
    submitted_late: int
    awaiting_review: int
    returned: int
    accepted: int
    accepted_late: int
    delivered: int
    received: int
    t_institutions: int = Field(..., description="t_*: the target group only.")
    t_submitted: int
    t_submitted_late: int
    t_accepted: int
    t_accepted_late: int
    t_delivered: int
    t_received: int
    synthesis_completed_at: dt.datetime | None = None
    synthesis_state: str = Field(..., description=STATES)
    delivered_at: dt.datetime | None = None
    delivered_state: str = Field(..., description=STATES)
    received_at: dt.datetime | None = None
    received_state: str = Field(..., description=RECEIVED_STATES)


class HopCountOut(Schema):
    total: int
    done: int
    on_time: int
    late: int
    overdue: int
    pending: int
    percent: float | None = Field(None, description="Share done, in %, of total.")


class CountsOut(Schema):
    institutions: int
    target_institutions: int
    hops: dict[str, HopCountOut] = Field(
        ..., description="submitted, accepted, delivered, received: among all institutions."
    )
    target_hops: dict[str, HopCountOut] = Field(..., description="The same, target group only.")
    laos: int
    lao_hops: dict[str, HopCountOut] = Field(
        ..., description="The LAOs' own hops: synthesis, delivered, received."
    )
    overdue: int = Field(..., description="Hops overdue in all (institutions' and LAOs').")


class LevelNameOut(Schema):
    rank: int
    name: str


class LevelCellOut(Schema):
    rank: int
    count: int
    percent: float | None = None
    previous_percent: float | None = None
    change: float | None = Field(None, description="percent - previous_percent, in points.")


class LevelRowOut(Schema):
    id: int
    number: str
    name: str
    total: int
    previous_total: int | None = None
    cells: list[LevelCellOut]


class LevelTableOut(Schema):
    standard_set: str
    levels: list[LevelNameOut]
    rows: list[LevelRowOut]


class LaoDashboardRowOut(Schema):
    lao: str
    lao_name: str
    counts: CountsOut
    states: dict[str, str] = Field(..., description="The LAO's own hops: " + STATES + ".")
    times: dict[str, dt.datetime | None]


class ProvinceDashboardOut(Schema):
    province: str
    province_name: str
    year: int
    today: dt.date
    refreshed_at: dt.datetime | None = None
    totals: CountsOut
    laos: list[LaoDashboardRowOut] = Field(..., description="LAOs needing a call first.")
    standards: list[LevelTableOut]


class ChangeOut(Schema):
    hop: str
    percent: float | None = None
    previous_percent: float | None = None
    change: float | None = None


class ProvinceRowOut(Schema):
    province: str
    province_name: str
    counts: CountsOut


class NationalDashboardOut(Schema):
    year: int
    previous_year: int | None = None
    today: dt.date
    previous_as_of: dt.date | None = Field(
        None,
        description="The previous year's shares in `changes` are as of this day, the same day "
        "one year before `today`, so that both years are compared at the same point.",
    )
    totals: CountsOut
    previous_totals: CountsOut | None = None
    changes: list[ChangeOut]
    provinces: list[ProvinceRowOut]
    standards: list[LevelTableOut]
    items: list[LevelTableOut]


# --- Operations ----------------------------------------------------------------------------------


def _year(year: int | None) -> Any:
    return access.pick_year(access.years(), year)


@router.get(
    "/progress/institutions",
    response={200: list[InstitutionProgressOut], **ERRORS},
    summary="Where each institution in the caller's scope stands on every hop of a year (a "
    "school's officer: its own institution)",
)
@paginate(Pagination)
def institution_progress(request: AuthenticatedRequest, params: Query[InstitutionFilters]) -> Any:
    year = _year(params.year)
    rows = access.institution_progress(request.user, year)
    if access.can_view_own_institution(request.user):
        # A school's officer: its one row, which the filters keep or drop.
        if params.lao:
            rows = rows.filter(lao__code=params.lao)
        if params.province:
            rows = rows.filter(province_id=params.province)
        return _InstitutionRows(rows, year)
    if params.lao:
        rows = rows.filter(lao=access.lao_or_404(request.user, params.lao))
    if params.province:
        rows = rows.filter(province=access.province_or_404(request.user, params.province))
    return _InstitutionRows(rows, year)


@router.get(
    "/progress/laos",
    response={200: list[LaoProgressOut], **ERRORS},
    summary="Each LAO in the caller's scope: its institutions' counts and its own hops",
)
@paginate(Pagination)
def lao_progress(request: AuthenticatedRequest, params: Query[LaoFilters]) -> Any:
    year = _year(params.year)
    rows = access.lao_progress(request.user, year)
    if params.province:
        rows = rows.filter(province=access.province_or_404(request.user, params.province))
    return _LaoRows(rows, year)


@router.get(
    "/dashboards/province/{code}",
    response={200: ProvinceDashboardOut, **ERRORS},
    summary="The figures of a province's dashboard (its supervisor and DLA)",
)
def province_dashboard(request: AuthenticatedRequest, code: str, params: Query[YearFilter]) -> Any:
    province = access.province_or_404(request.user, code)
    return province_figures(province, _year(params.year)).as_dict()


@router.get(
    "/dashboards/national",
    response={200: NationalDashboardOut, **ERRORS},
    summary="The figures of the national dashboard (DLA)",
)
def national_dashboard(request: AuthenticatedRequest, params: Query[YearFilter]) -> Any:
    if not access.can_view_national(request.user):
        raise Http404
    return national_figures(_year(params.year)).as_dict()


# --- Pages of rows, turned into answers only for the page asked --------------------------------


class _Rows:
    """A queryset that the paginator slices; each slice is turned into answers with states."""

    def __init__(self, rows: Any, year: Any) -> None:
        self.rows, self.year = rows, year
        self.today = status.today()

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.out(row) for row in self.rows[index]]

    def out(self, row: Any) -> dict[str, Any]:
        raise NotImplementedError


class _InstitutionRows(_Rows):
    def out(self, row: InstitutionProgress) -> dict[str, Any]:
        states = institution_states(self.year, row, self.today)
        return {
            "institution": row.institution.code,
            "institution_name": row.institution.name_th,
            "lao": row.lao.code,
            "province": row.province_id,
            "year": self.year.year,
            "in_target_group": row.in_target_group,
            "sar_id": row.sar_id,
            "sar_state": row.sar_state,
            **{f"{hop}_at": getattr(row, f"{hop}_at") for hop in HOPS},
            **{f"{hop}_state": state for hop, state in states.items()},
        }


class _LaoRows(_Rows):
    def out(self, row: LaoProgress) -> dict[str, Any]:
        states = lao_states(self.year, row, self.today)
        counts = {name: getattr(row, name) for name in SUMMED}
        return {
            "lao": row.lao.code,
            "lao_name": row.lao.name_th,
            "province": row.province_id,
            "year": self.year.year,
            **counts,
            "awaiting_review": row.awaiting_review,
            "returned": row.returned,
            "synthesis_completed_at": row.synthesis_completed_at,
            "synthesis_state": states["synthesis"],
            "delivered_at": row.delivered_at,
            "delivered_state": states["delivered"],
            "received_at": row.received_at,
            "received_state": states["received"],
        }
