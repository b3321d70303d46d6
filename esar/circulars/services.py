"""Every change to a circular: write and edit the draft, attach files, publish, withdraw, read.

Only a DLA administrator writes, publishes and withdraws circulars. Each change is checked,
validated before anything is saved, made in one transaction guarded by the state the person's page
showed (a lost race raises `Conflict` and changes nothing) and recorded in the audit log.

Publishing sends no notices: the audience of a national circular is every account in the country
(tens of thousands), and each person's home page already lists the circulars meant for them,
unread first. Reading is recorded once per person (`CircularRead`), not in the audit log.

Why one module past 400 lines: each write of a circular is one function, and they share the field
cleaning and the number check (create, edit), the draft lock (files) and the stale-page answer,
which a split by write would have to import back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts.models import User
from esar.accounts.permissions import role_of
from esar.accounts.roles import Role
from esar.accounts.types import RequestUser
from esar.circulars.files import check_attachment
from esar.circulars.models import (
    Circular,
    CircularAttachment,
    CircularRead,
    CircularRole,
    CircularStatus,
)
from esar.core import audit
from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.errors import ServiceError as SarError
from esar.core.thaidate import be_year
from esar.organizations.models import Province

__all__ = [
    "Conflict",
    "Invalid",
    "NotAllowed",
    "SarError",
    "attach_file",
    "can_manage",
    "create_draft",
    "mark_read",
    "publish",
    "remove_file",
    "update_draft",
    "withdraw",
]

NUMBER_MAX = 64
TITLE_MAX = 255
BODY_MAX = 50_000
# The dates a letter of this system can carry: B.E. 2500-2700, as the academic years.
DATE_RANGE = (dt.date(1957, 1, 1), dt.date(2157, 12, 31))


class InvalidField(Invalid):
    """Bad input in one field; `field` names it for forms and the API."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def can_manage(user: RequestUser) -> bool:
    return role_of(user) is Role.DLA_ADMIN


def _require_manager(actor: User) -> None:
    if not can_manage(actor):
        raise NotAllowed(_("Only a DLA administrator can write and publish circulars."))


def _text(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()


def _one_line(value: str | None) -> str:
    return " ".join(_text(value).split())


def _clean(
    *,
    number: str,
    title: str,
    issued_on: dt.date,
    body: str,
    provinces: Iterable[str],
    roles: Iterable[str],
) -> dict[str, Any]:
    number = _one_line(number)
    title = _one_line(title)
    body = _text(body).replace("\r\n", "\n")
    if not number:
        raise InvalidField("number", _("Write the number of the circular."))
    if len(number) > NUMBER_MAX:
        raise InvalidField(
            "number",
            _("The number is too long (at most %(max)s characters).") % {"max": NUMBER_MAX},
        )
    if not title:
        raise InvalidField("title", _("Write the title of the circular."))
    if len(title) > TITLE_MAX:
        raise InvalidField(
            "title", _("The title is too long (at most %(max)s characters).") % {"max": TITLE_MAX}
        )
    if len(body) > BODY_MAX:
        raise InvalidField(
            "body", _("The text is too long (at most %(max)s characters).") % {"max": BODY_MAX}
        )
    if not isinstance(issued_on, dt.date) or not DATE_RANGE[0] <= issued_on <= DATE_RANGE[1]:
        raise InvalidField("issued_on", _("The date must be between B.E. 2500 and 2700."))
    codes = sorted({str(code) for code in provinces})
    known = set(Province.objects.filter(pk__in=codes).values_list("pk", flat=True))
    if unknown := [code for code in codes if code not in known]:
        raise InvalidField(
            "provinces", _("Unknown province code: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    role_values = sorted({str(role) for role in roles})
    if unknown := [role for role in role_values if role not in Role.values]:
        raise InvalidField("roles", _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)})
    return {
        "number": number,
        "title": title,
        "issued_on": issued_on,
        "year": be_year(issued_on),
        "body": body,
        "provinces": codes,
        "roles": role_values,
    }


def _number_taken(year: int, number: str) -> InvalidField:
    return InvalidField(
        "number",
        _("Circular number %(number)s is already used in %(year)s.")
        % {"number": number, "year": year},
    )


def _check_number_free(year: int, number: str, *, exclude: int | None = None) -> None:
    taken = Circular.objects.filter(year=year, number=number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise _number_taken(year, number)


def _set_audience(circular: Circular, provinces: list[str], roles: list[str]) -> None:
    # Province codes are its primary keys: Django's set() takes any primary key, the stubs ints.
    circular.provinces.set(provinces)  # type: ignore[arg-type]
    CircularRole.objects.filter(circular=circular).exclude(role__in=roles).delete()
    existing = set(CircularRole.objects.filter(circular=circular).values_list("role", flat=True))
    CircularRole.objects.bulk_create(
        [CircularRole(circular=circular, role=role) for role in roles if role not in existing]
    )


def audience_of(circular: Circular) -> dict[str, list[str]]:
    return {
        "provinces": sorted(circular.provinces.values_list("pk", flat=True)),
        "roles": sorted(circular.audience_roles.values_list("role", flat=True)),
    }


def create_draft(
    *,
    actor: User,
    number: str,
    title: str,
    issued_on: dt.date,
    body: str = "",
    provinces: Iterable[str] = (),
    roles: Iterable[str] = (),
    ip: str | None = None,
) -> Circular:
    """A new draft circular, seen only by DLA until it is published."""
    _require_manager(actor)
    data = _clean(
        number=number,
        title=title,
        issued_on=issued_on,
        body=body,
        provinces=provinces,
        roles=roles,
    )
    _check_number_free(data["year"], data["number"])
    now = timezone.now()
    try:
        with transaction.atomic():
            circular = Circular.objects.create(
                number=data["number"],
                year=data["year"],
                title=data["title"],
                issued_on=data["issued_on"],
                body=data["body"],
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
            _set_audience(circular, data["provinces"], data["roles"])
            audit.record(
                action="circular.created",
                actor=actor,
                obj=circular,
                data={
                    "number": circular.number,
                    "title": circular.title,
                    "issued_on": circular.issued_on.isoformat(),
                    "provinces": data["provinces"],
                    "roles": data["roles"],
                },
                ip_address=ip,
            )
    except IntegrityError:
        # Someone saved the same number meanwhile.
        raise _number_taken(data["year"], data["number"]) from None
    return circular


def update_draft(
    *,
    circular: Circular,
    actor: User,
    expected_version: int,
    number: str,
    title: str,
    issued_on: dt.date,
    body: str = "",
    provinces: Iterable[str] = (),
    roles: Iterable[str] = (),
    ip: str | None = None,
) -> Circular:
    """Change a draft as the editor's page showed it (`expected_version`)."""
    _require_manager(actor)
    data = _clean(
        number=number,
        title=title,
        issued_on=issued_on,
        body=body,
        provinces=provinces,
        roles=roles,
    )
    _check_number_free(data["year"], data["number"], exclude=circular.pk)
    before = {
        "number": circular.number,
        "title": circular.title,
        "issued_on": circular.issued_on.isoformat(),
        "body": circular.body,
        **audience_of(circular),
    }
    try:
        with transaction.atomic():
            updated = Circular.objects.filter(
                pk=circular.pk, status=CircularStatus.DRAFT, version=expected_version
            ).update(
                number=data["number"],
                year=data["year"],
                title=data["title"],
                issued_on=data["issued_on"],
                body=data["body"],
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            if not updated:
                raise _stale(circular)
            _set_audience(circular, data["provinces"], data["roles"])
            after = {**data, "issued_on": data["issued_on"].isoformat()}
            changes = {
                key: {"from": before[key], "to": after[key]}
                for key in before
                if before[key] != after[key]
            }
            audit.record(
                action="circular.updated", actor=actor, obj=circular, data=changes, ip_address=ip
            )
    except IntegrityError:
        raise _number_taken(data["year"], data["number"]) from None
    circular.refresh_from_db()
    return circular


def _stale(circular: Circular) -> SarError:
    current = Circular.objects.filter(pk=circular.pk).values_list("status", flat=True).first()
    if current is not None and current != CircularStatus.DRAFT:
        return Conflict(_("The circular was published meanwhile: it can no longer be changed."))
    return Conflict(_("Someone else changed this circular meanwhile. Reload it and try again."))


def _locked_draft(circular: Circular) -> Circular:
    locked = Circular.objects.select_for_update().get(pk=circular.pk)
    if locked.status != CircularStatus.DRAFT:
        raise Conflict(_("The circular was published meanwhile: it can no longer be changed."))
    return locked


def attach_file(
    *, circular: Circular, actor: User, upload: UploadedFile, ip: str | None = None
) -> CircularAttachment:
    """Check and store a PDF, Word or Excel file on a draft; a refused file changes nothing."""
    _require_manager(actor)
    checked = check_attachment(upload)
    with transaction.atomic():
        locked = _locked_draft(circular)
        existing = CircularAttachment.objects.filter(circular=locked, sha256=checked.sha256).first()
        if existing is not None:
            return existing
        attachment = CircularAttachment(
            circular=locked,
            original_name=checked.name,
            extension=checked.extension,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        attachment.file.save(checked.name, upload, save=False)
        # If the transaction fails after this point the stored file is orphaned, never served.
        attachment.save()
        Circular.objects.filter(pk=locked.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        audit.record(
            action="circular.file_attached",
            actor=actor,
            obj=locked,
            data={"name": checked.name, "size": checked.size, "sha256": checked.sha256},
            ip_address=ip,
        )
    return attachment


def remove_file(
    *, circular: Circular, actor: User, attachment_id: int, ip: str | None = None
) -> None:
    """Take a file off a draft (the stored bytes are deleted when nothing else holds them)."""
    _require_manager(actor)
    with transaction.atomic():
        locked = _locked_draft(circular)
        attachment = CircularAttachment.objects.filter(circular=locked, pk=attachment_id).first()
        if attachment is None:
            raise Invalid(_("That file is not attached to this circular."))
        name, sha256, stored = attachment.original_name, attachment.sha256, attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        Circular.objects.filter(pk=locked.pk).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        audit.record(
            action="circular.file_removed",
            actor=actor,
            obj=locked,
            data={"name": name, "sha256": sha256},
            ip_address=ip,
        )
        if stored:  # a stored attachment always has its file's name
            transaction.on_commit(lambda: storage.delete(stored))


def publish(
    *,
    circular: Circular,
    actor: User,
    expected_version: int | None = None,
    ip: str | None = None,
) -> Circular:
    """Make a draft visible to its audience. From now on it no longer changes."""
    _require_manager(actor)
    now = timezone.now()
    with transaction.atomic():
        rows = Circular.objects.filter(pk=circular.pk, status=CircularStatus.DRAFT)
        if expected_version is not None:
            rows = rows.filter(version=expected_version)
        if not rows.update(
            status=CircularStatus.PUBLISHED,
            published_at=now,
            published_by=actor,
            version=F("version") + 1,
            updated_at=now,
        ):
            current = Circular.objects.filter(pk=circular.pk).values_list("status", flat=True)
            if current.first() == CircularStatus.PUBLISHED:
                raise Conflict(_("The circular is already published."))
            if current.first() == CircularStatus.WITHDRAWN:
                raise Conflict(_("The circular was withdrawn; publish a new one instead."))
            raise Conflict(
                _("Someone else changed this circular meanwhile. Reload it and try again.")
            )
        circular.refresh_from_db()
        audit.record(
            action="circular.published",
            actor=actor,
            obj=circular,
            data={
                "number": circular.number,
                "title": circular.title,
                "issued_on": circular.issued_on.isoformat(),
                **audience_of(circular),
                "files": list(circular.attachments.values_list("sha256", flat=True)),
            },
            ip_address=ip,
        )
    return circular


def withdraw(*, circular: Circular, actor: User, ip: str | None = None) -> Circular:
    """Take a published circular back: its audience no longer sees it; DLA still does."""
    _require_manager(actor)
    now = timezone.now()
    with transaction.atomic():
        if not Circular.objects.filter(pk=circular.pk, status=CircularStatus.PUBLISHED).update(
            status=CircularStatus.WITHDRAWN,
            withdrawn_at=now,
            withdrawn_by=actor,
            version=F("version") + 1,
            updated_at=now,
        ):
            raise Conflict(_("Only a published circular can be withdrawn."))
        circular.refresh_from_db()
        audit.record(
            action="circular.withdrawn",
            actor=actor,
            obj=circular,
            data={"number": circular.number},
            ip_address=ip,
        )
    return circular


def mark_read(*, circular: Circular, user: User) -> bool:
    """Record that `user` opened a published circular; True the first time."""
    if not getattr(user, "is_authenticated", False) or circular.status != CircularStatus.PUBLISHED:
        return False
    _row, created = CircularRead.objects.get_or_create(circular=circular, user=user)
    return created
