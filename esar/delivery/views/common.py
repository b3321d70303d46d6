"""What the delivery pages share: their checks (404 out of scope, 403 a role may not act) and the year chosen."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from esar.accounts.types import AuthenticatedRequest
from esar.cycles import selectors as cycles
from esar.cycles.models import AcademicYear

PAGE_SIZE = 50


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def _403_unless(condition: bool) -> None:
    """For what the person sees: their role may not do this to it (esar.core.errors)."""
    if not condition:
        raise PermissionDenied


def _chosen_year(request: AuthenticatedRequest) -> tuple[list[AcademicYear], AcademicYear | None]:
    years = list(cycles.all_years())
    wanted = request.GET.get("year") or request.POST.get("year") or ""
    chosen = next((y for y in years if str(y.year) == wanted), None)
    return years, chosen or cycles.current_of(years) or (years[0] if years else None)
