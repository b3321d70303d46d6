"""The reminder settings through the API: what DLA's reminder settings page reads and writes.

The same functions as the page (`esar.monitoring.reminders`): the settings, the next reminder days
of each open year's deadlines, the last runs of the job; the change through `update_settings`
(checked, audited). Only DLA's administrators, who set the deadlines, see and change them; any
other role gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from esar.accounts.types import AuthenticatedRequest
from esar.api.schemas import ErrorOut, ValidationErrorOut
from esar.core.audit import client_ip
from esar.core.errors import Invalid, NotAllowed
from esar.cycles.models import Hop
from esar.monitoring.models import ReminderSettings
from esar.monitoring.reminders import configuration, digests, planner

router = Router(tags=["monitoring"])

RESPONSES: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}


class ReminderHopOut(Schema):
    hop: Hop
    label: str
    due: dt.date
    days: list[dt.date] = Field(..., description="The next days its reminders go out.")


class ReminderYearOut(Schema):
    year: int
    hops: list[ReminderHopOut]


class ReminderRunOut(Schema):
    day: dt.date
    dry_run: bool
    started_at: dt.datetime
    finished_at: dt.datetime | None
    people_owing: int
    reminded: int
    supervisors_reminded: int
    already_reminded: int
    counts: dict[str, int] = Field(..., description="Reminders sent per hop, and escalations.")


class ReminderSettingsIn(Schema):
    enabled: bool = Field(..., description="Send the daily reminders at all.")
    days_before: int = Field(
        ...,
        ge=configuration.DAYS_BEFORE_RANGE[0],
        le=configuration.DAYS_BEFORE_RANGE[1],
        description=(
            "The first reminder, this many days before a deadline (0: none before). Reminders "
            "also go out on the due day and on the day after it."
        ),
    )
    overdue_every_days: int = Field(
        ...,
        ge=configuration.OVERDUE_EVERY_RANGE[0],
        le=configuration.OVERDUE_EVERY_RANGE[1],
        description="While overdue, repeat every this many days.",
    )
    escalate: bool = Field(..., description="Tell province supervisors about overdue LAOs.")


class ReminderSettingsOut(Schema):
    enabled: bool
    days_before: int
    overdue_every_days: int
    escalate: bool
    updated_at: dt.datetime
    updated_by: str | None
    schedule: list[ReminderYearOut] = Field(..., description="Each open year, oldest first.")
    runs: list[ReminderRunOut] = Field(..., description="The last runs of the job, newest first.")


def _answer(config: ReminderSettings) -> dict[str, Any]:
    schedule = [
        {
            "year": row["year"].year,
            "hops": [{**hop, "label": str(hop["label"])} for hop in row["hops"]],
        }
        for row in planner.schedule(config)
    ]
    return {
        "enabled": config.enabled,
        "days_before": config.days_before,
        "overdue_every_days": config.overdue_every_days,
        "escalate": config.escalate,
        "updated_at": config.updated_at,
        "updated_by": config.updated_by.get_username() if config.updated_by else None,
        "schedule": schedule,
        "runs": digests.recent_runs(),
    }


def _refused() -> Status[dict[str, str]]:
    return Status(
        403, {"detail": _("Only DLA administrators see and change the reminder settings.")}
    )


@router.get(
    "/reminders/settings",
    response={200: ReminderSettingsOut, **RESPONSES},
    summary="The reminder settings, the next reminder days and the last runs (DLA administrators)",
)
def reminder_settings(request: AuthenticatedRequest) -> Any:
    if not configuration.can_edit_settings(request.user):
        return _refused()
    return _answer(ReminderSettings.current())


@router.put(
    "/reminders/settings",
    response={200: ReminderSettingsOut, 400: ErrorOut, **RESPONSES},
    summary="Change when the daily reminders go out (DLA administrators)",
    description="All four settings, as the page's form sends them; the change is audited.",
)
def reminder_settings_update(request: AuthenticatedRequest, body: ReminderSettingsIn) -> Any:
    if not configuration.can_edit_settings(request.user):
        return _refused()
    try:
        config = configuration.update_settings(
            actor=request.user, ip=client_ip(request), **body.model_dump()
        )
    except NotAllowed as exc:
        return Status(403, {"detail": exc.message})
    except Invalid as exc:
        return Status(422, {"detail": exc.message, "errors": []})
    return _answer(ReminderSettings.objects.select_related("updated_by").get(pk=config.pk))
