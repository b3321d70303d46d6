"""Reads of the helpdesk, scoped by who asks: an LAO officer sees their own LAO's reports, the
helpdesk sees every report, nobody else sees any (views answer 404)."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import get_visible_or_404, visible
from esar.accounts.types import RequestUser
from esar.helpdesk.models import Report, ReportUpdate


def can_report(user: RequestUser | None) -> bool:
    return has_perm(user, Perm.HELPDESK_REPORT)


def can_handle(user: RequestUser | None) -> bool:
    return has_perm(user, Perm.HELPDESK_HANDLE)


def can_view(user: RequestUser | None) -> bool:
    return can_report(user) or can_handle(user)


def reports_for(user: User) -> QuerySet[Report]:
    """The reports `user` may see, with what a list row shows (no query per row)."""
    if not can_view(user):
        return Report.objects.none()
    return visible(user, Report.objects.select_related("lao__province", "reporter"))


def filter_reports(
    reports: QuerySet[Report],
    *,
    status: str | None = None,
    province: str | None = None,
    category: str | None = None,
) -> QuerySet[Report]:
    if status:
        reports = reports.filter(status=status)
    if province:
        reports = reports.filter(lao__province__code=province)
    if category:
        reports = reports.filter(category=category)
    return reports


def report_or_404(user: User, pk: int) -> Report:
    return get_visible_or_404(user, reports_for(user), pk=pk)


# The reference people see and quote: HD-<Buddhist year>-<number>.
_REFERENCE = re.compile(r"^HD-(\d{4})-(\d{1,9})$", re.ASCII)


def report_by_reference_or_404(user: User, reference: str) -> Report:
    """The report `user` may see whose reference (HD-2569-00012) is `reference`."""
    match = _REFERENCE.match(reference.strip().upper())
    if match is None:
        raise Http404
    year, number = (int(part) for part in match.groups())
    return get_visible_or_404(user, reports_for(user), year=year, number=number)


def history(report: Report) -> QuerySet[ReportUpdate]:
    return report.updates.select_related("author").order_by("at", "id")
