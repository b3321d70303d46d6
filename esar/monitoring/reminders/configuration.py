"""DLA's reminder settings: who may change them, their bounds, and the audited change."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.types import RequestUser
from esar.core import audit
from esar.core.errors import Invalid, NotAllowed
from esar.monitoring.models import ReminderSettings

DAYS_BEFORE_RANGE = (0, 60)
OVERDUE_EVERY_RANGE = (1, 60)


def can_edit_settings(user: RequestUser) -> bool:
    """DLA's administrators, who set the year's deadlines, set the reminders about them."""
    return has_perm(user, Perm.YEARS_MANAGE)


def update_settings(
    *,
    actor: User,
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
