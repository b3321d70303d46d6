"""Every change of supervision visits: record a visit, edit it, add follow-up actions, close and
reopen them.

Only a province supervisor acts, and only on the LAOs and institutions of their own province;
DLA, the LAOs and the schools read. Each service validates everything before saving anything
(bad input changes nothing), works in one transaction, records an audit event and tells the LAO's
officers. Edits and status changes are conditional UPDATEs on what the page showed, so a stale
page never overwrites someone else's change.

Why one module past 400 lines: it holds every write of one small room, visits and their follow-up
actions, which share the province check, the validation of what the page sent and the LAO's
notices; split apart, those shared rules would have to be imported back into both halves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts import selectors as account_selectors
from esar.accounts.models import User
from esar.accounts.roles import Role
from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import RequestUser
from esar.core import audit
from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.errors import ServiceError as SarError
from esar.core.notices import notify
from esar.core.thaidate import format_date
from esar.organizations.models import Institution, LocalAuthority
from esar.supervision.models import FollowUp, FollowUpStatus, Visit

__all__ = [
    "Conflict",
    "FieldsInvalid",
    "FollowUpInput",
    "Invalid",
    "NotAllowed",
    "SarError",
    "add_follow_up",
    "close_follow_up",
    "record_visit",
    "reopen_follow_up",
    "update_visit",
]

VISITORS_MAX = 2000
TEXT_MAX = 10_000
ACTION_MAX = 2000
RESPONSIBLE_MAX = 200
NOTE_MAX = 2000
FOLLOW_UPS_MAX = 30
# Dates outside these bounds are typing mistakes (a Common-era year typed as Buddhist, 2569 for
# 2026, lands in 2026 - 543 = 1483; a due date 50 years ahead is a slip of the keyboard).
EARLIEST_VISIT = dt.date(2000, 1, 1)
LONGEST_FOLLOW_UP = dt.timedelta(days=5 * 366)


class FieldsInvalid(Invalid):
    """Bad input, with a message per field ({field: message}) for the form that sent it."""

    def __init__(self, message: str, *, errors: dict[str, str]) -> None:
        super().__init__(message, details=list(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class FollowUpInput:
    action: str
    responsible: str
    due_date: dt.date


# --- Who may act ------------------------------------------------------------------------------


def supervised_province(user: RequestUser) -> str | None:
    """The code of the province whose LAOs `user` supervises, or None if they record no visits."""
    membership = getattr(user, "membership", None)
    if membership is None or membership.role != Role.PROVINCE_SUPERVISOR:
        return None
    scope = scope_for(user)
    return str(scope.key) if scope.level is Level.PROVINCE else None


def can_act_on(user: RequestUser, visit: Visit) -> bool:
    province = supervised_province(user)
    return province is not None and visit.province_id == province


def _require_supervisor_of(user: User, province_code: str) -> None:
    province = supervised_province(user)
    if province is None:
        raise NotAllowed(_("Only province supervisors record supervision visits."))
    if province != province_code:
        raise NotAllowed(_("You supervise the local authorities of your own province only."))


# --- Validation -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    # PostgreSQL refuses NUL in text; a pasted NUL is never meant.
    return str(value or "").replace("\x00", "").strip()


def _line(value: Any) -> str:
    return " ".join(_text(value).split())


def _too_long(limit: int) -> str:
    return _("At most %(max)s characters.") % {"max": limit}


def _visit_errors(
    *, visit_date: Any, visitors: str, findings: str, recommendations: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not isinstance(visit_date, dt.date):
        errors["visit_date"] = _("Give the date of the visit.")
    elif visit_date > today:
        errors["visit_date"] = _(
            "The visit date cannot be in the future: record a visit once it has taken place."
        )
    elif visit_date < EARLIEST_VISIT:
        errors["visit_date"] = _(
            "The visit date is too far in the past; check the year (Buddhist era, e.g. 2569)."
        )
    if not visitors:
        errors["visitors"] = _("Name who visited: one person a line, with their position.")
    elif len(visitors) > VISITORS_MAX:
        errors["visitors"] = _too_long(VISITORS_MAX)
    if not findings:
        errors["findings"] = _("Write what the visit found.")
    elif len(findings) > TEXT_MAX:
        errors["findings"] = _too_long(TEXT_MAX)
    if len(recommendations) > TEXT_MAX:
        errors["recommendations"] = _too_long(TEXT_MAX)
    return errors


def _follow_up_errors(
    *, action: str, responsible: str, due_date: Any, visit_date: Any
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not action:
        errors["action"] = _("Write the action to be taken.")
    elif len(action) > ACTION_MAX:
        errors["action"] = _too_long(ACTION_MAX)
    if not responsible:
        errors["responsible"] = _(
            "Say who is responsible, for example the LAO's education division."
        )
    elif len(responsible) > RESPONSIBLE_MAX:
        errors["responsible"] = _too_long(RESPONSIBLE_MAX)
    if not isinstance(due_date, dt.date):
        errors["due_date"] = _("Give the date the action is due.")
    elif isinstance(visit_date, dt.date):
        if due_date < visit_date:
            errors["due_date"] = _("The due date cannot be before the visit (%(date)s).") % {
                "date": format_date(visit_date)
            }
        elif due_date - visit_date > LONGEST_FOLLOW_UP:
            errors["due_date"] = _(
                "The due date is more than five years after the visit; check the year."
            )
    return errors


def _people_of(lao_id: int, institution_id: int | None) -> list[User]:
    """The officers who hear of a visit: the LAO's, and the institution's when it was visited."""
    people = list(account_selectors.lao_officers(lao_id))
    if institution_id is not None:
        people += list(
            User.objects.filter(
                is_active=True,
                membership__role=Role.SCHOOL_OFFICER,
                membership__institution_id=institution_id,
            )
        )
    return people


def _visit_url(visit: Visit) -> str:
    return reverse("supervision:detail", args=[visit.pk])


def _follow_up_data(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "visit": follow_up.visit_id,
        "action": follow_up.action,
        "responsible": follow_up.responsible,
        "due_date": follow_up.due_date.isoformat(),
    }


# --- Visits -----------------------------------------------------------------------------------


def record_visit(
    *,
    actor: User,
    lao: LocalAuthority | None = None,
    institution: Institution | None = None,
    visit_date: dt.date,
    visitors: str,
    findings: str,
    recommendations: str = "",
    follow_ups: Sequence[FollowUpInput] = (),
    ip: str | None = None,
) -> Visit:
    """Record a visit to an LAO or to an institution (exactly one), with its follow-up actions."""
    if supervised_province(actor) is None:
        raise NotAllowed(_("Only province supervisors record supervision visits."))
    if (lao is None) == (institution is None):
        raise FieldsInvalid(
            _("Choose the local authority or the institution that was visited."),
            errors={"target": _("Choose either a local authority or an institution.")},
        )
    target_lao = institution.lao if institution is not None else lao
    assert target_lao is not None
    _require_supervisor_of(actor, target_lao.province_id)
    # The visit's fields, checked below and then saved as they are.
    values: dict[str, Any] = {
        "visit_date": visit_date,
        "visitors": "\n".join(
            line for line in (_line(x) for x in _text(visitors).splitlines()) if line
        ),
        "findings": _text(findings),
        "recommendations": _text(recommendations),
    }
    errors = _visit_errors(**values)
    follow_ups = list(follow_ups)
    if len(follow_ups) > FOLLOW_UPS_MAX:
        errors["follow_ups"] = _("At most %(max)s follow-up actions at once.") % {
            "max": FOLLOW_UPS_MAX
        }
    cleaned: list[FollowUpInput] = []
    for index, item in enumerate(follow_ups[:FOLLOW_UPS_MAX], start=1):
        entry = FollowUpInput(_text(item.action), _line(item.responsible), item.due_date)
        for field, message in _follow_up_errors(
            action=entry.action,
            responsible=entry.responsible,
            due_date=entry.due_date,
            visit_date=visit_date,
        ).items():
            errors[f"follow_ups.{index}.{field}"] = _("Follow-up %(n)s: %(message)s") % {
                "n": index,
                "message": message,
            }
        cleaned.append(entry)
    if errors:
        raise FieldsInvalid(
            _("The visit was not recorded. Correct the fields marked below."), errors=errors
        )
    now = timezone.now()
    with transaction.atomic():
        visit = Visit.objects.create(
            target_lao=lao if institution is None else None,
            target_institution=institution,
            lao=target_lao,
            province_id=target_lao.province_id,
            recorded_by=actor,
            created_at=now,
            updated_at=now,
            **values,
        )
        created = FollowUp.objects.bulk_create(
            [
                FollowUp(
                    visit=visit,
                    action=entry.action,
                    responsible=entry.responsible,
                    due_date=entry.due_date,
                    created_by=actor,
                    created_at=now,
                )
                for entry in cleaned
            ]
        )
        audit.record(
            action="supervision.visit_recorded",
            actor=actor,
            obj=visit,
            data={
                "lao": target_lao.code,
                "institution": institution.code if institution is not None else None,
                "visit_date": visit_date.isoformat(),
                "follow_ups": [{"id": f.pk, **_follow_up_data(f)} for f in created],
            },
            ip_address=ip,
        )
        notify(
            users=_people_of(target_lao.pk, institution.pk if institution else None),
            title=_("Supervision visit of %(date)s to %(target)s recorded")
            % {"date": format_date(visit_date), "target": visit.target_name},
            body=values["recommendations"] or values["findings"],
            url=_visit_url(visit),
        )
    return visit


def update_visit(
    *,
    visit: Visit,
    actor: User,
    visit_date: dt.date,
    visitors: str,
    findings: str,
    recommendations: str = "",
    expected_version: int,
    ip: str | None = None,
) -> dict[str, list[str]]:
    """Correct a visit's date, team, findings or recommendations; return the changes made.

    The target stays: a visit recorded against the wrong place is a new visit. Refused when the
    page that sent it showed an older version.
    """
    _require_supervisor_of(actor, visit.province_id)
    stale = Conflict(
        _(
            "Someone else edited this visit after you opened it. Nothing was saved: read their "
            "change, then edit again."
        )
    )
    if expected_version != visit.version:
        raise stale
    # The visit's fields, checked below and then saved as they are.
    values: dict[str, Any] = {
        "visit_date": visit_date,
        "visitors": "\n".join(
            line for line in (_line(x) for x in _text(visitors).splitlines()) if line
        ),
        "findings": _text(findings),
        "recommendations": _text(recommendations),
    }
    errors = _visit_errors(**values)
    if isinstance(visit_date, dt.date) and "visit_date" not in errors:
        earliest_due = (
            visit.follow_ups.order_by("due_date").values_list("due_date", flat=True).first()
        )
        if earliest_due is not None and earliest_due < visit_date:
            errors["visit_date"] = _(
                "A follow-up action of this visit is due on %(date)s, before this date."
            ) % {"date": format_date(earliest_due)}
    if errors:
        raise FieldsInvalid(
            _("The visit was not saved. Correct the fields marked below."), errors=errors
        )
    changes = {
        field: [str(getattr(visit, field)), str(value)]
        for field, value in values.items()
        if getattr(visit, field) != value
    }
    if not changes:
        return {}
    now = timezone.now()
    with transaction.atomic():
        updated = Visit.objects.filter(pk=visit.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=now, updated_by=actor, **values
        )
        if not updated:
            raise stale
        for field, value in values.items():
            setattr(visit, field, value)
        visit.version = expected_version + 1
        visit.updated_at = now
        visit.updated_by = actor
        audit.record(
            action="supervision.visit_updated",
            actor=actor,
            obj=visit,
            data={"changes": changes, "version": visit.version},
            ip_address=ip,
        )
    return changes


# --- Follow-up actions ------------------------------------------------------------------------


def add_follow_up(
    *,
    visit: Visit,
    actor: User,
    action: str,
    responsible: str,
    due_date: dt.date,
    ip: str | None = None,
) -> FollowUp:
    _require_supervisor_of(actor, visit.province_id)
    entry = FollowUpInput(_text(action), _line(responsible), due_date)
    errors = _follow_up_errors(
        action=entry.action,
        responsible=entry.responsible,
        due_date=entry.due_date,
        visit_date=visit.visit_date,
    )
    if errors:
        raise FieldsInvalid(
            _("The follow-up action was not added. Correct the fields marked below."),
            errors=errors,
        )
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            visit=visit,
            action=entry.action,
            responsible=entry.responsible,
            due_date=entry.due_date,
            created_by=actor,
        )
        audit.record(
            action="supervision.follow_up_added",
            actor=actor,
            obj=follow_up,
            data=_follow_up_data(follow_up),
            ip_address=ip,
        )
        notify(
            users=_people_of(visit.lao_id, visit.target_institution_id),
            title=_("Follow-up action due %(date)s after the supervision visit to %(target)s")
            % {"date": format_date(entry.due_date), "target": visit.target_name},
            body=f"{entry.action}\n{entry.responsible}",
            url=_visit_url(visit),
        )
    return follow_up


def _change_status(
    *,
    follow_up: FollowUp,
    actor: User,
    to: FollowUpStatus,
    note: str,
    ip: str | None,
) -> FollowUp:
    _require_supervisor_of(actor, follow_up.visit.province_id)
    closing = to == FollowUpStatus.CLOSED
    text = _text(note)
    if closing and not text:
        raise FieldsInvalid(
            _("Say how the action was done before closing it."),
            errors={"note": _("Write what was done, for example the date of the LAO's report.")},
        )
    if not closing and not text:
        raise FieldsInvalid(
            _("Say why the action is reopened."),
            errors={"note": _("Write why the action is not done after all.")},
        )
    if len(text) > NOTE_MAX:
        raise FieldsInvalid(_too_long(NOTE_MAX), errors={"note": _too_long(NOTE_MAX)})
    old = FollowUpStatus.OPEN if closing else FollowUpStatus.CLOSED
    now = timezone.now()
    fields: dict[str, Any] = (
        {"closed_at": now, "closed_by": actor, "closing_note": text}
        if closing
        else {"closed_at": None, "closed_by": None, "closing_note": ""}
    )
    with transaction.atomic():
        updated = FollowUp.objects.filter(pk=follow_up.pk, status=old).update(status=to, **fields)
        if not updated:
            raise Conflict(
                _("This action is already closed.")
                if closing
                else _("This action is already open.")
            )
        follow_up.status = to
        for field, value in fields.items():
            setattr(follow_up, field, value)
        audit.record(
            action="supervision.follow_up_closed" if closing else "supervision.follow_up_reopened",
            actor=actor,
            obj=follow_up,
            data={**_follow_up_data(follow_up), "note": text},
            ip_address=ip,
        )
    return follow_up


def close_follow_up(
    *, follow_up: FollowUp, actor: User, note: str, ip: str | None = None
) -> FollowUp:
    """Mark an open action done, with a note on how; refused if someone closed it first."""
    return _change_status(
        follow_up=follow_up, actor=actor, to=FollowUpStatus.CLOSED, note=note, ip=ip
    )


def reopen_follow_up(
    *, follow_up: FollowUp, actor: User, reason: str, ip: str | None = None
) -> FollowUp:
    """Open a closed action again, with the reason; its closing is kept in the audit log."""
    return _change_status(
        follow_up=follow_up, actor=actor, to=FollowUpStatus.OPEN, note=reason, ip=ip
    )


def parse_follow_ups(items: Iterable[dict[str, Any]]) -> list[FollowUpInput]:
    """Follow-up inputs from plain dicts (a form's or the API's rows)."""
    return [
        FollowUpInput(
            item.get("action", ""),
            item.get("responsible", ""),
            # As sent: a missing date (None) is refused by the checks of the service it goes to.
            cast(dt.date, item.get("due_date")),
        )
        for item in items
    ]
