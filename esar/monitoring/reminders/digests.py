"""The daily digests: compose each person's notice from the plan, claim it once, write and queue it.

Each digest is claimed first in `ReminderDigest` (unique per person and day) with
`bulk_create(ignore_conflicts=True)` under the run; the run then re-reads its own claims, so a
second run the same day (or one running at the same time) reminds nobody twice. Notices are
written in bulk and their e-mails queued per batch (`esar.core.notices.send_notice_emails`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from esar.core.models import Notice
from esar.core.notices import send_notice_emails
from esar.core.thaidate import format_date
from esar.monitoring import status
from esar.monitoring.models import ReminderDigest, ReminderRun, ReminderSettings
from esar.monitoring.reminders.planner import Escalation, Item, Plan, plan

BATCH_SIZE = 2000
# An escalation lists at most this many LAOs; the link leads to the full list.
ESCALATION_LINES = 200
RECENT_RUNS = 10


def recent_runs() -> list[ReminderRun]:
    return list(ReminderRun.objects.all()[:RECENT_RUNS])


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
        return reverse("sar:list") + "?" + urlencode({"year": str(year), "province": province})


# --- The job ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    run: ReminderRun
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
                transaction.on_commit(partial(send_notice_emails.delay, ids))
        yield from claimed
