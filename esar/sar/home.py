"""The SAR part of each home page: what the person has to do next about this year's reports.

Registered in SarConfig.ready() as the home section "sar" (esar.core.sections).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from esar.accounts.permissions import Perm, has_perm, role_of
from esar.accounts.roles import Role
from esar.accounts.scoping import visible
from esar.accounts.types import RequestUser, User
from esar.core.sections import Figure, HomePart, Step
from esar.core.thaidate import format_date
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.sar.models import Sar, SarStatus


def _due_text(due: dt.date, today: dt.date) -> str:
    days = (due - today).days
    if days < 0:
        return _("was due on %(date)s (%(days)s days ago)") % {
            "date": format_date(due),
            "days": -days,
        }
    if days == 0:
        return _("is due today, %(date)s") % {"date": format_date(due)}
    return _("is due on %(date)s (in %(days)s days)") % {"date": format_date(due), "days": days}


def shows_sars(user: RequestUser) -> bool:
    """The section is for the roles that see SARs (not ONESQA, the helpdesk, e-SAR accounts)."""
    return has_perm(user, Perm.SAR_VIEW)


def section(user: User) -> HomePart:
    """Steps and figures about the open academic years' SARs for this person."""
    steps, figures = _steps_and_figures(user, role_of(user))
    return HomePart(steps=steps, figures=figures)


def _steps_and_figures(user: User, role: Role | None) -> tuple[list[Step], list[Figure]]:
    today = timezone.localdate()
    years = list(AcademicYear.objects.filter(is_open=True).order_by("-year"))
    steps: list[Step] = []
    figures: list[Figure] = []
    if not years:
        return steps, figures
    if role is Role.SCHOOL_OFFICER:
        sars = {
            sar.year_id: sar
            for sar in visible(user, Sar.objects.filter(year__in=years)).annotate(
                reasons=Count("current_revision__reasons")
            )
        }
        for year in years:
            sar = sars.get(year.year)
            due = _due_text(year.sar_due, today)
            if sar is None:
                steps.append(
                    Step(
                        _("Write your SAR for academic year %(year)s: it %(due)s.")
                        % {"year": year.year, "due": due},
                        reverse("sar:index"),
                        _("Start the SAR"),
                        "warning" if year.sar_due < today else "info",
                    )
                )
            elif sar.status == SarStatus.DRAFT:
                steps.append(
                    Step(
                        _("Your SAR %(year)s is a draft: send it to your LAO; it %(due)s.")
                        % {"year": year.year, "due": due},
                        reverse("sar:detail", args=[sar.pk]),
                        _("Continue the SAR"),
                        "warning" if year.sar_due < today else "info",
                    )
                )
            elif sar.status == SarStatus.RETURNED:
                steps.append(
                    Step(
                        ngettext(
                            "Your LAO returned your SAR %(year)s with %(n)s reason: correct it "
                            "and send it again.",
                            "Your LAO returned your SAR %(year)s with %(n)s reasons: correct it "
                            "and send it again.",
                            sar.reasons,
                        )
                        % {"year": year.year, "n": sar.reasons},
                        reverse("sar:detail", args=[sar.pk]),
                        _("See the reasons"),
                        "warning",
                    )
                )
            elif sar.status == SarStatus.SUBMITTED:
                steps.append(
                    Step(
                        _("Your SAR %(year)s is waiting for your LAO's review.")
                        % {"year": year.year},
                        reverse("sar:detail", args=[sar.pk]),
                        _("Open the SAR"),
                    )
                )
            else:
                steps.append(
                    Step(
                        _("Your SAR %(year)s was accepted by your LAO.") % {"year": year.year},
                        reverse("sar:detail", args=[sar.pk]),
                        _("Open the SAR"),
                        "success",
                    )
                )
        return steps, figures

    year = years[0]
    institutions = visible(user, Institution.objects.filter(is_active=True))
    counts = visible(user, Sar.objects.filter(year=year)).aggregate(
        submitted=Count("pk", filter=Q(status=SarStatus.SUBMITTED)),
        late=Count("pk", filter=Q(status=SarStatus.SUBMITTED, current_revision__is_late=True)),
        returned=Count("pk", filter=Q(status=SarStatus.RETURNED)),
        accepted=Count("pk", filter=Q(status=SarStatus.ACCEPTED)),
    )
    sent = Sar.objects.filter(institution=OuterRef("pk"), year=year).exclude(status=SarStatus.DRAFT)
    not_sent = institutions.exclude(Exists(sent)).count()
    if role is Role.LAO_OFFICER:
        if counts["submitted"]:
            steps.append(
                Step(
                    ngettext(
                        "%(n)s SAR of %(year)s is waiting for your review.",
                        "%(n)s SARs of %(year)s are waiting for your review.",
                        counts["submitted"],
                    )
                    % {"n": counts["submitted"], "year": year.year},
                    reverse("sar:queue"),
                    _("Review them"),
                    "warning",
                )
            )
        if not_sent > 0:
            steps.append(
                Step(
                    ngettext(
                        "%(n)s institution has not sent its SAR %(year)s yet; it %(due)s.",
                        "%(n)s institutions have not sent their SAR %(year)s yet; it %(due)s.",
                        not_sent,
                    )
                    % {"n": not_sent, "year": year.year, "due": _due_text(year.sar_due, today)},
                    reverse("sar:queue"),
                    _("See who"),
                    "warning" if year.sar_due < today else "info",
                )
            )
    figures = [
        Figure(
            _("SARs %(year)s awaiting review") % {"year": year.year},
            counts["submitted"],
            reverse("sar:list") + f"?year={year.year}&status=submitted",
        ),
        Figure(
            _("SARs %(year)s accepted") % {"year": year.year},
            counts["accepted"],
            reverse("sar:list") + f"?year={year.year}&status=accepted",
        ),
        Figure(
            _("Not sent yet"),
            max(not_sent, 0),
            reverse("sar:list") + f"?year={year.year}&status=not_sent",
        ),
    ]
    if role is Role.LAO_OFFICER:
        for figure in figures:
            figure.url = reverse("sar:queue")
    return steps, figures
