"""Writes of academic years: DLA creates a year and edits its dates, deadlines and rules.

Both services check the values the same way (year in the Buddhist era, semester 1 inside that
year, every deadline on or after the one before it), save nothing when one is wrong, and record
an audit event naming the changed fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.accounts.models import User
from esar.core import audit, events, thaidate
from esar.core.errors import Conflict
from esar.cycles.models import AcademicYear

YEAR_MIN, YEAR_MAX = 2500, 2700
# The dates of a year in the order the cycle reaches them; each is due on or after the one before.
DATE_FIELDS = ("semester1_start", "sar_due", "review_due", "synthesis_due", "delivery_due")
SETTING_FIELDS = ("target_group_years", "upload_limit_mb", "is_open")
FIELDS = DATE_FIELDS + SETTING_FIELDS

YEAR_LOOKS_CE = _(
    "%(year)s looks like a year of the Common era. Write the academic year in the Buddhist era: "
    "%(be)s."
)
YEAR_OUT_OF_RANGE = _(
    "The academic year is written in the Buddhist era, from %(min)s to %(max)s (for example 2569)."
)
YEAR_EXISTS = _("The academic year %(year)s already exists. Edit it instead.")
SEMESTER_OUTSIDE_YEAR = _(
    "Semester 1 of the academic year %(year)s opens in %(year)s, but %(date)s is in %(other)s."
)
DATE_OUT_OF_ORDER = _(
    "“%(this)s” (%(date)s) is before “%(previous)s” (%(previous_date)s). Each deadline must fall "
    "on or after the one before it."
)
EDITED_MEANWHILE = _(
    "Someone else saved this academic year while you were editing it. Nothing was saved: open "
    "it again to see their changes."
)


def _label(name: str) -> str:
    # A concrete field of AcademicYear (get_field may also answer a relation, which has no label).
    return str(cast("Field[Any, Any]", AcademicYear._meta.get_field(name)).verbose_name)


def check_year_number(year: int) -> None:
    if 1900 <= year <= 2200:
        raise ValidationError(
            {"year": YEAR_LOOKS_CE % {"year": year, "be": thaidate.be_year(year)}}
        )
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError({"year": YEAR_OUT_OF_RANGE % {"min": YEAR_MIN, "max": YEAR_MAX}})


def check_dates(year: int | None, values: dict[str, Any]) -> None:
    """Semester 1 inside the year and the deadlines in the order of the cycle, naming each field.

    `year` None: the year itself is wrong, so only the order of the dates is checked. A date that
    is None (unreadable) is left out of the comparisons.
    """
    errors: dict[str, list[str]] = {}
    start = values.get("semester1_start")
    if year is not None and start is not None and thaidate.be_year(start) != year:
        errors["semester1_start"] = [
            SEMESTER_OUTSIDE_YEAR
            % {
                "year": year,
                "date": thaidate.format_date(start),
                "other": thaidate.be_year(start),
            }
        ]
    for previous, this in zip(DATE_FIELDS, DATE_FIELDS[1:], strict=False):
        if values.get(this) is None or values.get(previous) is None:
            continue  # a date that could not be read is reported by itself
        if values[this] < values[previous]:
            errors.setdefault(this, []).append(
                DATE_OUT_OF_ORDER
                % {
                    "this": _label(this),
                    "date": thaidate.format_date(values[this]),
                    "previous": _label(previous),
                    "previous_date": thaidate.format_date(values[previous]),
                }
            )
    if errors:
        raise ValidationError(errors)


def _full_clean(obj: AcademicYear) -> None:
    # The model's own validators (the target-group rule, the upload limit); uniqueness and the
    # deadline constraint were checked above with clearer words.
    obj.full_clean(exclude=["year"], validate_unique=False, validate_constraints=False)


def _audit_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def create_year(
    *,
    actor: User | None,  # None: seeding (the demo years), recorded without an actor
    year: int,
    semester1_start: dt.date,
    sar_due: dt.date,
    review_due: dt.date,
    synthesis_due: dt.date,
    delivery_due: dt.date,
    target_group_years: int = 5,
    upload_limit_mb: int = 100,
    is_open: bool = True,
) -> AcademicYear:
    values: dict[str, Any] = {
        "semester1_start": semester1_start,
        "sar_due": sar_due,
        "review_due": review_due,
        "synthesis_due": synthesis_due,
        "delivery_due": delivery_due,
        "target_group_years": target_group_years,
        "upload_limit_mb": upload_limit_mb,
        "is_open": is_open,
    }
    try:
        check_year_number(year)
    except ValidationError as exc:
        # Say everything that is wrong at once: the year and the dates.
        try:
            check_dates(None, values)
        except ValidationError as dates:
            exc.error_dict.update(dates.error_dict)
        raise exc from None
    if AcademicYear.objects.filter(pk=year).exists():
        raise ValidationError({"year": YEAR_EXISTS % {"year": year}})
    check_dates(year, values)
    obj = AcademicYear(year=year, updated_at=timezone.now(), **values)
    _full_clean(obj)
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError:
        # Another administrator created the same year a moment ago.
        raise ValidationError({"year": YEAR_EXISTS % {"year": year}}) from None
    audit.record(
        action="years.created",
        actor=actor,
        obj=obj,
        data={"values": {name: _audit_value(value) for name, value in values.items()}},
    )
    events.announce(events.CountingChanged((obj.year,)))
    return obj


@transaction.atomic
def update_year(
    *,
    actor: User,
    year: AcademicYear,
    expected_updated_at: dt.datetime | None = None,
    semester1_start: dt.date | None = None,
    sar_due: dt.date | None = None,
    review_due: dt.date | None = None,
    synthesis_due: dt.date | None = None,
    delivery_due: dt.date | None = None,
    target_group_years: int | None = None,
    upload_limit_mb: int | None = None,
    is_open: bool | None = None,
) -> dict[str, list[Any]]:
    """Change the given fields (None keeps a value); return the changes as {field: [old, new]}.

    With `expected_updated_at` (the version the editor saw), a year saved by someone else in the
    meantime is refused rather than overwritten.
    """
    given = {
        "semester1_start": semester1_start,
        "sar_due": sar_due,
        "review_due": review_due,
        "synthesis_due": synthesis_due,
        "delivery_due": delivery_due,
        "target_group_years": target_group_years,
        "upload_limit_mb": upload_limit_mb,
        "is_open": is_open,
    }
    values = {name: getattr(year, name) for name in FIELDS}
    values.update({name: value for name, value in given.items() if value is not None})
    check_dates(year.year, values)
    changes = {
        name: [getattr(year, name), value]
        for name, value in values.items()
        if getattr(year, name) != value
    }
    if not changes:
        return {}
    candidate = AcademicYear(year=year.year, **values)
    _full_clean(candidate)
    version = expected_updated_at or year.updated_at
    now = timezone.now()
    updated = AcademicYear.objects.filter(pk=year.pk, updated_at=version).update(
        updated_at=now, **{name: new for name, (_old, new) in changes.items()}
    )
    if not updated:
        raise Conflict(str(EDITED_MEANWHILE))
    for name, (_old, new) in changes.items():
        setattr(year, name, new)
    year.updated_at = now
    audit.record(
        action="years.updated",
        actor=actor,
        obj=year,
        data={
            "changes": {
                name: [_audit_value(old), _audit_value(new)] for name, (old, new) in changes.items()
            }
        },
    )
    # Deadlines and the target-group rule decide "late" and "target group" in the progress rows.
    events.announce(events.CountingChanged((year.year,)))
    return changes
