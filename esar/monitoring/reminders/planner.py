"""The reminder planner: who owes what on a given day, and on which days a hop's reminders go out.

Who owes what is read from the progress rows only (`InstitutionProgress`, `LaoProgress`) and the
memberships, with a fixed number of set-based queries per open year whatever the size of the
country. The digests themselves are composed and sent by `esar.monitoring.reminders.digests`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from esar.accounts.models import Membership
from esar.accounts.roles import Role
from esar.cycles.models import AcademicYear, Hop
from esar.delivery.models import EsarAccount
from esar.monitoring import status
from esar.monitoring.models import InstitutionProgress, LaoProgress, ReminderSettings, SarState

OWING_SAR_STATES = (SarState.NONE, SarState.DRAFT, SarState.RETURNED)


# --- When ------------------------------------------------------------------------------------


def reminder_kind(due: dt.date, day: dt.date, config: ReminderSettings) -> str | None:
    """'before', 'due' or 'overdue' when `day` is a reminder day of a hop due on `due`."""
    if day == due:
        return "due"
    if config.days_before and day == due - dt.timedelta(days=config.days_before):
        return "before"
    # The day after the due day, then every `overdue_every_days` days.
    if status.is_overdue(due, day) and ((day - due).days - 1) % config.overdue_every_days == 0:
        return "overdue"
    return None


def is_current(due: dt.date, day: dt.date, config: ReminderSettings) -> bool:
    """Worth listing in a digest: due within N days (or today), or overdue."""
    return day >= due - dt.timedelta(days=config.days_before)


def next_reminder_days(
    due: dt.date, config: ReminderSettings, *, count: int = 4, after: dt.date | None = None
) -> list[dt.date]:
    """The next days a reminder of a hop due on `due` goes out (for the settings page)."""
    day = after or status.today()
    found: list[dt.date] = []
    candidates = [due - dt.timedelta(days=config.days_before), due] if config.days_before else [due]
    for candidate in candidates:
        if candidate >= day and candidate not in found:
            found.append(candidate)
    overdue = due + dt.timedelta(days=1)
    if overdue < day:
        steps = -(-((day - overdue).days) // config.overdue_every_days)
        overdue += dt.timedelta(days=steps * config.overdue_every_days)
    while len(found) < count:
        found.append(overdue)
        overdue += dt.timedelta(days=config.overdue_every_days)
    return sorted(found)[:count]


def schedule(config: ReminderSettings) -> list[dict[str, Any]]:
    """For each open year, oldest first: each hop's deadline and the next days its reminders go
    out under `config` (the settings page and the API show the same)."""
    return [
        {
            "year": year,
            "hops": [
                {
                    "hop": hop,
                    "label": hop.label,
                    "due": year.due(hop),
                    "days": next_reminder_days(year.due(hop), config),
                }
                for hop in Hop
            ],
        }
        for year in AcademicYear.objects.filter(is_open=True).order_by("year")
    ]


# --- What ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing a person still has to do."""

    hop: Hop
    year: int
    due: dt.date
    overdue: bool
    triggered: bool  # today is a reminder day of this hop
    text: str
    url: str


@dataclass
class Escalation:
    """What one LAO is overdue on, for its province's supervisors."""

    lao_id: int
    code: str
    name: str
    year: int
    not_sent: int = 0
    reviews: int = 0
    synthesis: bool = False
    delivery: bool = False


@dataclass
class Plan:
    """Who gets which digest on one day."""

    day: dt.date
    items: dict[int, list[Item]] = field(default_factory=lambda: defaultdict(list))
    # Supervisor user id → (province code, overdue LAOs).
    escalations: dict[int, tuple[str, list[Escalation]]] = field(default_factory=dict)

    def due_users(self) -> list[int]:
        return sorted(
            user for user, items in self.items.items() if any(item.triggered for item in items)
        )


def _hop_text(hop: Hop, year: int, **values: Any) -> str:
    if hop == Hop.SAR_SUBMISSION:
        if values["state"] == SarState.RETURNED:
            return _("Send the revised SAR %(year)d of %(institution)s again") % {
                "year": year,
                "institution": values["institution"],
            }
        return _("Send the SAR %(year)d of %(institution)s to the LAO") % {
            "year": year,
            "institution": values["institution"],
        }
    if hop == Hop.LAO_REVIEW:
        return ngettext(
            "%(lao)s: review the %(count)d SAR %(year)d awaiting review",
            "%(lao)s: review the %(count)d SARs %(year)d awaiting review",
            values["count"],
        ) % {"count": values["count"], "year": year, "lao": values["lao"]}
    if hop == Hop.LAO_SYNTHESIS:
        return _("Complete the synthesis %(year)d of %(lao)s") % {
            "year": year,
            "lao": values["lao"],
        }
    return _("Deliver the SARs %(year)d of %(lao)s into e-SAR") % {
        "year": year,
        "lao": values["lao"],
    }


def plan(day: dt.date, config: ReminderSettings | None = None) -> Plan:
    """Everything owed on `day`, per person; a fixed number of queries per open year."""
    config = config or ReminderSettings.current()
    result = Plan(day=day)
    years = list(AcademicYear.objects.filter(is_open=True).order_by("year"))
    if not years:
        return result
    # Which hops of which year are worth listing, and which remind today.
    current: dict[tuple[int, Hop], bool] = {}
    for year in years:
        for hop in Hop:
            due = year.due(hop)
            if is_current(due, day, config):
                current[year.year, hop] = reminder_kind(due, day, config) is not None
    # The hops whose overdue reminder goes out today: their overdue LAOs are escalated.
    escalating = {
        (year.year, hop)
        for year in years
        for hop in Hop
        if config.escalate and reminder_kind(year.due(hop), day, config) == "overdue"
    }
    if not current and not escalating:
        return result

    sar_url = reverse("sar:index")
    queue_url = reverse("sar:queue")

    # Schools: owing institution rows, then their officers (two queries per year).
    for year in years:
        if (year.year, Hop.SAR_SUBMISSION) not in current:
            continue
        due = year.sar_due
        triggered = current[year.year, Hop.SAR_SUBMISSION]
        overdue = status.is_overdue(due, day)
        owing = {
            institution_id: (name, state, sar_id)
            for institution_id, name, state, sar_id in InstitutionProgress.objects.filter(
                year=year, sar_state__in=OWING_SAR_STATES
            )
            .values_list("institution_id", "institution__name_th", "sar_state", "sar_id")
            .order_by()
        }
        if not owing:
            continue
        officers = (
            Membership.objects.filter(
                role=Role.SCHOOL_OFFICER,
                user__is_active=True,
                institution__in=InstitutionProgress.objects.filter(
                    year=year, sar_state__in=OWING_SAR_STATES
                ).values("institution_id"),
            )
            .values_list("user_id", "institution_id")
            .order_by()
        )
        for user_id, institution_id in officers:
            if institution_id not in owing:  # sent between the two queries
                continue
            name, state, sar_id = owing[institution_id]
            result.items[user_id].append(
                Item(
                    hop=Hop.SAR_SUBMISSION,
                    year=year.year,
                    due=due,
                    overdue=overdue,
                    triggered=triggered,
                    text=_hop_text(Hop.SAR_SUBMISSION, year.year, state=state, institution=name),
                    url=reverse("sar:detail", args=[sar_id]) if sar_id else sar_url,
                )
            )

    # LAOs: their rows (one query per year), their officers (one query).
    lao_hops = [Hop.LAO_REVIEW, Hop.LAO_SYNTHESIS, Hop.ESAR_DELIVERY]
    lao_items: dict[int, list[tuple[Item, bool]]] = defaultdict(list)  # lao → (item, esar only)
    overdue_laos: dict[str, list[Escalation]] = defaultdict(list)
    for year in years:
        wanted = [hop for hop in lao_hops if (year.year, hop) in current]
        if not wanted and not escalating:
            continue
        rows = (
            LaoProgress.objects.filter(year=year, institutions__gt=0)
            .values_list(
                "lao_id",
                "lao__code",
                "lao__name_th",
                "province_id",
                "institutions",
                "submitted",
                "awaiting_review",
                "synthesis_completed_at",
                "delivered_at",
            )
            .order_by("province_id", "lao__code")
        )
        for (
            lao_id,
            code,
            name,
            province,
            total,
            submitted,
            awaiting,
            synthesised,
            delivered,
        ) in rows:
            if Hop.LAO_REVIEW in wanted and awaiting:
                lao_items[lao_id].append(
                    (
                        _lao_item(year, Hop.LAO_REVIEW, day, current, queue_url, name, awaiting),
                        False,
                    )
                )
            if Hop.LAO_SYNTHESIS in wanted and synthesised is None:
                url = reverse("synthesis:detail", args=[lao_id, year.year])
                lao_items[lao_id].append(
                    (_lao_item(year, Hop.LAO_SYNTHESIS, day, current, url, name), False)
                )
            if (
                Hop.ESAR_DELIVERY in wanted
                and delivered is None
                and (synthesised is not None or day >= year.synthesis_due)
            ):
                url = reverse("delivery:lao", args=[code])
                lao_items[lao_id].append(
                    (_lao_item(year, Hop.ESAR_DELIVERY, day, current, url, name), True)
                )
            if any(key[0] == year.year for key in escalating):
                late = Escalation(
                    lao_id=lao_id,
                    code=code,
                    name=name,
                    year=year.year,
                    not_sent=status.overdue_count(
                        year, Hop.SAR_SUBMISSION, total, submitted, on=day
                    ),
                    reviews=awaiting if status.is_overdue(year.review_due, day) else 0,
                    synthesis=synthesised is None and status.is_overdue(year.synthesis_due, day),
                    delivery=delivered is None and status.is_overdue(year.delivery_due, day),
                )
                if (
                    (late.not_sent and (year.year, Hop.SAR_SUBMISSION) in escalating)
                    or (late.reviews and (year.year, Hop.LAO_REVIEW) in escalating)
                    or (late.synthesis and (year.year, Hop.LAO_SYNTHESIS) in escalating)
                    or (late.delivery and (year.year, Hop.ESAR_DELIVERY) in escalating)
                ):
                    overdue_laos[province].append(late)
    if lao_items:
        esar_account = EsarAccount.objects.filter(user=OuterRef("user"), revoked_at__isnull=True)
        lao_officers = (
            Membership.objects.filter(
                role=Role.LAO_OFFICER, user__is_active=True, lao__in=list(lao_items)
            )
            .annotate(esar_account=Exists(esar_account))
            .values_list("user_id", "lao_id", "esar_account")
            .order_by()
        )
        for user_id, lao_id, is_esar_account in lao_officers:
            for item, for_esar_account in lao_items[lao_id]:
                # The e-SAR account exists to deliver; its holder is not the reviewer.
                if is_esar_account and not for_esar_account:
                    continue
                result.items[user_id].append(item)

    # Supervisors of provinces with an overdue LAO, on a day an overdue reminder goes out.
    if escalating and overdue_laos:
        supervisors = (
            Membership.objects.filter(
                role=Role.PROVINCE_SUPERVISOR,
                user__is_active=True,
                province_office_id__in=list(overdue_laos),
            )
            .values_list("user_id", "province_office_id")
            .order_by()
        )
        for user_id, province in supervisors:
            result.escalations[user_id] = (province, overdue_laos[province])
    return result


def _lao_item(
    year: AcademicYear,
    hop: Hop,
    day: dt.date,
    current: dict[tuple[int, Hop], bool],
    url: str,
    lao: str,
    count: int = 0,
) -> Item:
    due = year.due(hop)
    return Item(
        hop=hop,
        year=year.year,
        due=due,
        overdue=status.is_overdue(due, day),
        triggered=current[year.year, hop],
        text=_hop_text(hop, year.year, lao=lao, count=count),
        url=url,
    )
