"""Syntheses through the API: read the figures (live or of a completed version), write the
summary and issues for ONESQA, complete and reopen. Same services and scoping as the pages."""

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from esar.accounts.types import AuthenticatedRequest
from esar.api.errors import service_error
from esar.api.pagination import Pagination
from esar.api.sar_schemas import ERRORS, WRITE_ERRORS
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution, LocalAuthority
from esar.synthesis import report as synthesis_report
from esar.synthesis import selectors, services
from esar.synthesis.figures import Figures
from esar.synthesis.models import Synthesis, SynthesisVersion

router = Router(tags=["syntheses"])


class FiguresOut(Schema):
    institutions: int
    target_group: int
    sent: int
    accepted: int
    missing: int
    levels: dict[str, dict[str, int]] = Field(
        ..., description="Item id → quality-level rank → institutions (accepted SARs)."
    )
    standards: dict[str, dict[str, int]] = Field(
        ..., description="Standard id → rank → institutions, for each standard as a whole."
    )
    below_good: dict[str, list[int]] = Field(
        ...,
        description="Institution MOE code → the ids of the standards it rated below good (below "
        "its standard set's `good_rank`).",
    )


class IssueOut(Schema):
    text: str
    standards: list[int] = Field(..., description="Standard ids (see /standard-sets).")
    institutions: list[str] = Field(..., description="MOE codes of the institutions concerned.")


class SourceRevisionOut(Schema):
    institution_code: str = Field(..., description="MOE code.")
    revision: int = Field(..., description="The revision's number within its SAR.")


class VersionOut(Schema):
    number: int
    completed_at: dt.datetime
    is_late: bool
    reopened_at: dt.datetime | None = None
    reopen_reason: str = ""


class SynthesisOut(Schema):
    lao: str = Field(..., description="LAO code.")
    lao_name: str
    year: int
    status: str = Field(..., description="none (not started), draft or complete.")
    version: int = Field(..., description="Send it back with a write (optimistic locking).")
    out_of_date: bool = Field(
        ..., description="Complete, but the SARs changed since (a report was returned, say)."
    )
    summary: str
    issues: list[IssueOut]
    figures: FiguresOut
    versions: list[VersionOut]


class VersionDetailOut(VersionOut):
    summary: str
    issues: list[IssueOut]
    figures: FiguresOut
    source_revisions: list[SourceRevisionOut] = Field(
        ..., description="The accepted revisions the frozen figures count."
    )


class SynthesisRowOut(Schema):
    lao: str
    lao_name: str
    province: str
    year: int
    status: str
    latest_version: int | None = None
    completed_at: dt.datetime | None = None
    is_late: bool | None = None


class SynthesisFilters(Schema):
    year: int = Field(..., ge=2500, le=2700)
    province: str | None = Field(None, max_length=2, description="Province code.")
    status: str | None = Field(None, pattern="^(none|draft|complete)$")


class IssueIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
    standards: list[int] = Field(
        ..., min_length=1, max_length=100, description="Standard ids (see /standard-sets)."
    )
    institutions: list[str] = Field(
        [],
        max_length=1000,
        description="MOE codes of the LAO's institutions the issue concerns.",
    )


class SynthesisIn(Schema):
    version: int = Field(..., ge=1)
    summary: str = Field("", max_length=20_000)
    issues: list[IssueIn] = Field([], max_length=100)


class VersionIn(Schema):
    version: int = Field(..., ge=1)


class ReopenIn(Schema):
    version: int = Field(..., ge=1)
    reason: str = Field(..., min_length=1, max_length=5000)


def _place(
    request: AuthenticatedRequest, lao: str, year: int
) -> tuple[LocalAuthority, AcademicYear]:
    found = LocalAuthority.objects.filter(code=lao).values_list("pk", flat=True).first()
    if found is None:
        raise Http404
    return selectors.lao_for(request.user, found), cycles.year_or_404(year)


def _out(synthesis: Synthesis) -> dict[str, Any]:
    shown = synthesis_report.build(synthesis)
    return {
        "lao": synthesis.lao.code,
        "lao_name": synthesis.lao.name_th,
        "year": synthesis.year_id,
        "status": synthesis.status if synthesis.pk else "none",
        "version": synthesis.version if synthesis.pk else 1,
        "out_of_date": services.is_out_of_date(synthesis, shown.figures),
        "summary": shown.summary,
        "issues": [
            {
                "text": issue.text,
                "standards": [s.pk for s in issue.standards],
                "institutions": [i.code for i in issue.institutions],
            }
            for issue in shown.issues
        ],
        "figures": figures_out(shown.figures.as_json()),
        "versions": selectors.versions_of(synthesis),
    }


@router.get(
    "/syntheses",
    response={200: list[SynthesisRowOut], **ERRORS},
    summary="The LAOs in the caller's scope and their synthesis of a year",
)
@paginate(Pagination)
def synthesis_list(request: AuthenticatedRequest, params: Query[SynthesisFilters]) -> Any:
    if not selectors.can_view(request.user):
        return LocalAuthority.objects.none()
    year = cycles.year_or_404(params.year)
    rows = selectors.synthesis_rows(
        request.user, year, province=params.province or "", status=params.status or ""
    )
    return [
        {
            "lao": row.code,
            "lao_name": row.name_th,
            "province": row.province_id,
            "year": year.year,
            "status": row.synthesis_status or "none",
            "latest_version": row.version_number,
            "completed_at": row.completed_at,
            "is_late": row.completed_late,
        }
        for row in rows
    ]


@router.get(
    "/syntheses/{lao}/{year}",
    response={200: SynthesisOut, **ERRORS},
    summary="An LAO's synthesis of a year with today's figures",
)
def synthesis_detail(request: AuthenticatedRequest, lao: str, year: int) -> Any:
    the_lao, the_year = _place(request, lao, year)
    return _out(selectors.synthesis_of(the_lao, the_year))


@router.get(
    "/syntheses/{lao}/{year}/versions/{number}",
    response={200: VersionDetailOut, **ERRORS},
    summary="A completed version: its frozen figures, text, issues and source revisions",
)
def synthesis_version(request: AuthenticatedRequest, lao: str, year: int, number: int) -> Any:
    the_lao, the_year = _place(request, lao, year)
    version: SynthesisVersion = selectors.version_of(
        selectors.synthesis_of(the_lao, the_year), number
    )
    return version_body(version)


def version_body(version: SynthesisVersion) -> dict[str, Any]:
    """A completed version as the API shows it (here and in a delivery)."""
    return {
        "number": version.number,
        "version": version.number,
        "completed_at": version.completed_at,
        "is_late": version.is_late,
        "reopened_at": version.reopened_at,
        "reopen_reason": version.reopen_reason,
        "summary": version.summary,
        "issues": issues_out(version.issues if isinstance(version.issues, list) else []),
        "figures": figures_out(Figures.from_json(version.figures).as_json()),
        "source_revisions": [
            {"institution_code": code, "revision": number}
            for code, number in version.source_revisions.order_by(
                "sar__institution__code", "number"
            ).values_list("sar__institution__code", "number")
        ],
    }


def _codes(institution_ids: set[int]) -> dict[int, str]:
    return dict(Institution.objects.filter(pk__in=institution_ids).values_list("pk", "code"))


def issues_out(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Frozen issues (they hold institution ids) with the institutions' MOE codes."""
    codes = _codes({iid for issue in issues for iid in issue.get("institutions", [])})
    return [
        {
            "text": issue.get("text", ""),
            "standards": issue.get("standards", []),
            "institutions": [codes[i] for i in issue.get("institutions", []) if i in codes],
        }
        for issue in issues
    ]


def figures_out(figures: dict[str, Any]) -> dict[str, Any]:
    """Figures as JSON with `below_good` keyed by MOE code instead of the internal id."""
    below = figures.get("below_good", {})
    codes = _codes({int(key) for key in below})
    return {
        **figures,
        "below_good": {codes[int(key)]: value for key, value in below.items() if int(key) in codes},
    }


def _institution_ids(lao: LocalAuthority, codes: list[str]) -> list[int]:
    """The LAO's institutions by MOE code; an unknown code becomes an id no LAO has, so the
    service refuses it with its one message."""
    found = dict(Institution.objects.filter(lao=lao, code__in=codes).values_list("code", "pk"))
    return [found.get(code, 0) for code in codes]


@router.put(
    "/syntheses/{lao}/{year}",
    response={200: SynthesisOut, **WRITE_ERRORS},
    summary="Write the summary and the issues for ONESQA (the LAO's officers)",
)
def synthesis_save(request: AuthenticatedRequest, lao: str, year: int, body: SynthesisIn) -> Any:
    the_lao, the_year = _place(request, lao, year)
    try:
        synthesis = services.open_synthesis(lao=the_lao, year=the_year, actor=request.user)
        synthesis = services.save(
            synthesis=synthesis,
            actor=request.user,
            expected_version=body.version,
            summary=body.summary,
            issues=[
                services.IssueInput(
                    issue.text, issue.standards, _institution_ids(the_lao, issue.institutions)
                )
                for issue in body.issues
            ],
        )
    except services.SarError as exc:
        return service_error(exc)
    return _out(selectors.synthesis_of(the_lao, the_year))


@router.post(
    "/syntheses/{lao}/{year}/complete",
    response={200: VersionOut, **WRITE_ERRORS},
    summary="Mark the synthesis complete: a new frozen version, late after the deadline",
)
def synthesis_complete(request: AuthenticatedRequest, lao: str, year: int, body: VersionIn) -> Any:
    the_lao, the_year = _place(request, lao, year)
    try:
        synthesis = services.open_synthesis(lao=the_lao, year=the_year, actor=request.user)
        return services.complete(
            synthesis=synthesis, actor=request.user, expected_version=body.version
        )
    except services.SarError as exc:
        return service_error(exc)


@router.post(
    "/syntheses/{lao}/{year}/reopen",
    response={200: SynthesisOut, **WRITE_ERRORS},
    summary="Reopen a completed synthesis, with a reason (the completed version is kept)",
)
def synthesis_reopen(request: AuthenticatedRequest, lao: str, year: int, body: ReopenIn) -> Any:
    the_lao, the_year = _place(request, lao, year)
    try:
        # A reopen of a synthesis that is not complete is refused by the service (409).
        synthesis = services.open_synthesis(lao=the_lao, year=the_year, actor=request.user)
        services.reopen(
            synthesis=synthesis,
            actor=request.user,
            expected_version=body.version,
            reason=body.reason,
        )
    except services.SarError as exc:
        return service_error(exc)
    return _out(selectors.synthesis_of(the_lao, the_year))
