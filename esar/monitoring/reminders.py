"""Daily reminders that respect people: one digest per person per day, only of what they owe.

Who owes what is read from the progress rows only (`InstitutionProgress`, `LaoProgress`) and the
memberships, with a fixed number of set-based queries whatever the size of the country:

- a school officer owes "send the SAR" while the institution's SAR is not started, a draft, or
  returned for revision (then: send it again), against the year's SAR deadline;
- an LAO officer owes "review" while SARs await the LAO's review, "synthesis" until the LAO's
  synthesis is complete, and "delivery" until the LAO has delivered into e-SAR (once the
  synthesis is complete or its deadline has come). The LAO's e-SAR account (an active
  `EsarAccount`) is reminded of the delivery only.

A hop's reminder goes out N days before its deadline (N set by DLA), on the deadline, on the day
after it (overdue, by the one rule of `esar.monitoring.status`) and then every few days while it
is overdue. On such a day each person who owes the hop gets ONE notice listing everything they
still owe that is due within N days or overdue. Province supervisors get one notice listing their
LAOs that are overdue on a hop, on the days an overdue reminder goes out.

Each digest is claimed first in `ReminderDigest` (unique per person and day) with
`bulk_create(ignore_conflicts=True)` under the run; the run then re-reads its own claims, so a
second run the same day (or one running at the same time) reminds nobody twice. Notices are
written in bulk and their e-mails queued per batch (`esar.core.notices.send_notice_emails`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from esar.accounts.models import Membership
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.roles import Role
from esar.core import audit
from esar.core.errors import Invalid, NotAllowed
from esar.core.models import Notice
from esar.core.notices import send_notice_emails
from esar.core.thaidate import format_date
from esar.cycles.models import AcademicYear, Hop
from esar.delivery.models import EsarAccount
from esar.monitoring import status
from esar.monitoring.models import (
    InstitutionProgress,
    LaoProgress,
    ReminderDigest,
    ReminderRun,
    ReminderSettings,
    SarState,
)

BATCH_SIZE = 2000
OWING_SAR_STATES = (SarState.NONE, SarState.DRAFT, SarState.RETURNED)
# An escalation lists at most this many LAOs; the link leads to the full list.
ESCALATION_LINES = 200
DAYS_BEFORE_RANGE = (0, 60)
OVERDUE_EVERY_RANGE = (1, 60)


# --- Settings ----------------------------------------------------------------------------------


def can_edit_settings(user: Any) -> bool:
    """DLA's administrators, who set the year's deadlines, set the reminders about them."""
    return has_perm(user, Perm.YEARS_MANAGE)


def update_settings(
    *,
    actor: Any,
    enabled: bool,
    days_before: int,
    overdue_every_days: int,
    escalate: bool,
    ip: str | None = None,
) -> ReminderSettings:
    if not can_edit_settings(actor):
        raise NotAllowed(_("Only DLA administrators change the reminders."))
    if not DAYS_BEFORE_RANGE[0] <= days_before <= DAYS_BEFORE_RANGE[1]:
        raise Invalid(
            _("The first reminder goes out between %(min)d and %(max)d days before a deadline.")
            % {"min": DAYS_BEFORE_RANGE[0], "max": DAYS_BEFORE_RANGE[1]}
        )
    if not OVERDUE_EVERY_RANGE[0] <= overdue_every_days <= OVERDUE_EVERY_RANGE[1]:
        raise Invalid(
            _("Overdue reminders repeat every %(min)d to %(max)d days.")
            % {"min": OVERDUE_EVERY_RANGE[0], "max": OVERDUE_EVERY_RANGE[1]}
        )
    with transaction.atomic():
        ReminderSettings.objects.get_or_create(pk=1)
        row = ReminderSettings.objects.select_for_update().get(pk=1)
        fields = ("enabled", "days_before", "overdue_every_days", "escalate")
        before = {name: getattr(row, name) for name in fields}
        after = {
            "enabled": bool(enabled),
            "days_before": days_before,
            "overdue_every_days": overdue_every_days,
            "escalate": bool(escalate),
        }
        if before == after:
            return row
        for name, value in after.items():
            setattr(row, name, value)
        row.updated_at = timezone.now()
        row.updated_by = actor
        row.save()
        audit.record(
            action="monitoring.reminder_settings_changed",
            actor=actor,
            obj=row,
            data={"before": before, "after": after},
            ip_address=ip,
        )
    return row


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


RECENT_RUNS = 10


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


def recent_runs() -> list[ReminderRun]:
    return list(ReminderRun.objects.all()[:RECENT_RUNS])


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
        officers = (
            Membership.objects.filter(
                role=Role.LAO_OFFICER, user__is_active=True, lao__in=list(lao_items)
            )
            .annotate(esar_account=Exists(esar_account))
            .values_list("user_id", "lao_id", "esar_account")
            .order_by()
        )
        for user_id, lao_id, is_esar_account in officers:
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


# --- Messages ----------------------------------------------------------------------------------


def _site() -> str:
    return settings.ESAR_SITE_URL.rstrip("/")


def digest_message(items: list[Item], day: dt.date) -> tuple[str, str, str]:
    """(title, body, url) of a person's digest; the most urgent item first."""
    ordered = sorted(items, key=lambda item: (not item.overdue, item.due, item.year, item.text))
    lines = [_("What you still have to do in e-SAR:"), ""]
    for item in ordered:
        if item.overdue:
            when = _("overdue since %(date)s") % {
                "date": format_date(item.due + dt.timedelta(days=1))
            }
        elif item.due == day:
            when = _("due today, %(date)s") % {"date": format_date(item.due)}
        else:
            when = _("due by %(date)s") % {"date": format_date(item.due)}
        lines.append(f"- {item.text}: {when}")
        lines.append(f"  {_site()}{item.url}")
    title = _("e-SAR reminder, %(date)s") % {"date": format_date(day)}
    return title, "\n".join(lines), ordered[0].url


def escalation_message(province: str, laos: list[Escalation], day: dt.date) -> tuple[str, str, str]:
    title = ngettext(
        "%(count)d LAO of your province is overdue in e-SAR (%(date)s)",
        "%(count)d LAOs of your province are overdue in e-SAR (%(date)s)",
        len({lao.lao_id for lao in laos}),
    ) % {"count": len({lao.lao_id for lao in laos}), "date": format_date(day)}
    lines = [_("LAOs overdue on a step of the year, with what is missing:"), ""]
    for lao in laos[:ESCALATION_LINES]:
        missing = []
        if lao.not_sent:
            missing.append(
                ngettext("%(count)d SAR not sent", "%(count)d SARs not sent", lao.not_sent)
                % {"count": lao.not_sent}
            )
        if lao.reviews:
            missing.append(
                ngettext("%(count)d SAR not reviewed", "%(count)d SARs not reviewed", lao.reviews)
                % {"count": lao.reviews}
            )
        if lao.synthesis:
            missing.append(_("synthesis not complete"))
        if lao.delivery:
            missing.append(_("not delivered into e-SAR"))
        lines.append(f"- {lao.name} ({lao.code}), {lao.year}: {', '.join(missing)}")
    if len(laos) > ESCALATION_LINES:
        lines.append(
            _("… and %(count)d more.") % {"count": len(laos) - ESCALATION_LINES},
        )
    years = sorted({lao.year for lao in laos})
    url = _province_url(province, years[-1])
    lines += ["", f"{_site()}{url}"]
    return title, "\n".join(lines), url


def _province_url(province: str, year: int) -> str:
    """The province's dashboard (LAOs needing a call first); the SAR list until it exists."""
    try:
        return reverse("monitoring:province", args=[province]) + "?" + urlencode({"year": year})
    except NoReverseMatch:
        return reverse("sar:list") + "?" + urlencode({"year": year, "province": province})


# --- The job ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    run: ReminderRun | None
    people_owing: int
    reminded: int
    supervisors_reminded: int
    already_reminded: int
    counts: dict[str, int]


def send_reminders(*, day: dt.date | None = None, dry_run: bool = False) -> Outcome:
    """Send the digests of `day` (today, Thai time) to everyone who has not had theirs."""
    day = day or status.today()
    config = ReminderSettings.current()
    run = ReminderRun.objects.create(day=day, dry_run=dry_run)
    outcome = Outcome(run, 0, 0, 0, 0, {})
    if config.enabled:
        with translation.override(settings.LANGUAGE_CODE):
            _send(day, config, run, outcome, dry_run=dry_run)
    run.people_owing = outcome.people_owing
    run.reminded = outcome.reminded
    run.supervisors_reminded = outcome.supervisors_reminded
    run.already_reminded = outcome.already_reminded
    run.counts = outcome.counts
    run.finished_at = timezone.now()
    run.save()
    return outcome


def _send(
    day: dt.date, config: ReminderSettings, run: ReminderRun, outcome: Outcome, *, dry_run: bool
) -> None:
    todo = plan(day, config)
    owners = todo.due_users()
    supervisors = sorted(todo.escalations)
    outcome.people_owing = len(owners) + len(supervisors)
    counts: dict[str, int] = defaultdict(int)
    if dry_run:
        done = set(
            ReminderDigest.objects.filter(day=day, user_id__in=[*owners, *supervisors])
            .values_list("user_id", flat=True)
            .order_by()
        )
        outcome.already_reminded = len(done)
        fresh = [user for user in owners if user not in done]
        outcome.reminded = len(fresh)
        outcome.supervisors_reminded = len([user for user in supervisors if user not in done])
        for user in fresh:
            for item in todo.items[user]:
                counts[item.hop.value] += 1
        counts["escalation"] = outcome.supervisors_reminded
        outcome.counts = dict(counts)
        return

    def owner_message(user: int) -> tuple[str, str, str]:
        return digest_message(todo.items[user], day)

    def supervisor_message(user: int) -> tuple[str, str, str]:
        return escalation_message(*todo.escalations[user], day)

    for user in _deliver(owners, owner_message, day, run, escalation=False, todo=todo):
        outcome.reminded += 1
        for item in todo.items[user]:
            counts[item.hop.value] += 1
    for _user in _deliver(supervisors, supervisor_message, day, run, escalation=True, todo=todo):
        outcome.supervisors_reminded += 1
    counts["escalation"] = outcome.supervisors_reminded
    outcome.already_reminded = (
        len(owners) + len(supervisors) - (outcome.reminded + outcome.supervisors_reminded)
    )
    outcome.counts = dict(counts)


def _deliver(
    users: list[int],
    message: Any,
    day: dt.date,
    run: ReminderRun,
    *,
    escalation: bool,
    todo: Plan,
) -> Iterable[int]:
    """Claim, write and queue the digests of `users` in batches; yield the users reminded."""
    for start in range(0, len(users), BATCH_SIZE):
        batch = users[start : start + BATCH_SIZE]
        with transaction.atomic():
            ReminderDigest.objects.bulk_create(
                [
                    ReminderDigest(
                        user_id=user,
                        day=day,
                        run=run,
                        escalation=escalation,
                        items=len(todo.escalations[user][1])
                        if escalation
                        else len(todo.items[user]),
                    )
                    for user in batch
                ],
                ignore_conflicts=True,
            )
            # Ours are the claims of this run: another run's claims (the same day) are not.
            claimed = sorted(
                ReminderDigest.objects.filter(run=run, user_id__in=batch)
                .values_list("user_id", flat=True)
                .order_by()
            )
            notices = []
            for user in claimed:
                title, body, url = message(user)
                notices.append(Notice(recipient_id=user, title=title[:255], body=body, url=url))
            created = Notice.objects.bulk_create(notices)
            ids = [notice.pk for notice in created]
            if ids:
                transaction.on_commit(lambda ids=ids: send_notice_emails.delay(ids))
        yield from claimed
