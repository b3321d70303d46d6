"""Every change of the helpdesk: an LAO reports a problem, the helpdesk updates its status, DLA
sets the contact.

Each service checks who may act, validates everything before saving anything, records an audit
event and tells the people concerned (in-app notices; the contact by e-mail once the report is
committed). Status changes and contact edits are guarded by a conditional UPDATE on the version
the person's page showed, so a stale page never overwrites someone else's change.

Why one module past 400 lines: the helpdesk's three writes (a report, its status, the contact)
are one function each, after the few rules the forms and views share; splitting them would
scatter one short story over several files.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.roles import Role
from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import RequestUser
from esar.core import audit
from esar.core.errors import Conflict, Invalid, NotAllowed, ServiceError
from esar.core.notices import notify
from esar.core.thaidate import be_year, format_datetime
from esar.helpdesk.models import (
    CONTACT_PK,
    TRANSITIONS,
    HelpdeskContact,
    Report,
    ReportCategory,
    ReportStatus,
    ReportUpdate,
)
from esar.organizations.models import LocalAuthority

PAGE_URL_MAX = 500
PAGE_TITLE_MAX = 200
DESCRIPTION_MAX = 5000
MESSAGE_MAX = 5000
CONTACT_FIELDS = ("name", "phone", "email", "notes")
# A phone number as offices write it: digits with spaces, dashes, dots, brackets, "+", and an
# extension ("ต่อ 12", "ext. 12"); at least 6 digits.
_PHONE_CHARS = re.compile(r"^[0-9+()\-./\s,a-zA-Z\u0E00-\u0E7F#]+$")
_REFERENCE_ATTEMPTS = 5


# The kernel's errors (esar.core.errors): `Invalid.errors` names the fields when it can.
HelpdeskError = ServiceError


# --- Rules shared with forms and views -------------------------------------------------------


def local_path(value: str | None) -> str | None:
    """`value` if it is a path of this site ("/sar/12/?tab=files"), otherwise None.

    A page address comes from the query string, so it is refused unless it can only ever mean a
    page here: no scheme, no host, no "//" or "/\\" (which browsers read as another host), no
    control characters.
    """
    if not value:
        return None
    path = value.strip()
    if not path or len(path) > PAGE_URL_MAX or not path.startswith("/"):
        return None
    if path.startswith(("//", "/\\")) or "\\" in path:
        return None
    if any(ord(char) < 32 or ord(char) == 127 or char.isspace() for char in path):
        return None
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return None
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=set()):
        return None
    return path


def lao_of_reporter(user: RequestUser) -> LocalAuthority | None:
    """The LAO on whose behalf `user` reports problems, or None if they cannot report."""
    scope = scope_for(user)
    if not has_perm(user, Perm.HELPDESK_REPORT) or scope.level is not Level.LAO:
        return None
    if scope.key is None:  # an LAO officer's membership without its LAO: no LAO to report for
        return None
    return LocalAuthority.objects.filter(pk=scope.key).first()


def current_contact() -> HelpdeskContact | None:
    return HelpdeskContact.objects.filter(pk=CONTACT_PK).first()


def _people(role: Role) -> list[User]:
    return list(User.objects.filter(is_active=True, membership__role=role))


# --- Reports ---------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


def submit_report(
    *,
    actor: User,
    category: str,
    description: str,
    page_url: str = "",
    page_title: str = "",
    ip: str | None = None,
) -> Report:
    """Record a problem the actor's LAO met; tell the helpdesk and e-mail the contact."""
    lao = lao_of_reporter(actor)
    if lao is None:
        raise NotAllowed(_("Only LAO officers can report a problem with e-SAR."))
    errors: dict[str, str] = {}
    if category not in ReportCategory.values:
        errors["category"] = _("Choose what kind of problem it is.")
    text = _clean_text(description)
    if not text:
        errors["description"] = _("Describe the problem: what you did and what happened.")
    elif len(text) > DESCRIPTION_MAX:
        errors["description"] = _("The description is too long (at most %(max)s characters).") % {
            "max": DESCRIPTION_MAX
        }
    page = ""
    if page_url and page_url.strip():
        checked = local_path(page_url)
        if checked is None:
            errors["page_url"] = _(
                "The page must be an address of e-SAR starting with “/”, for example /sar/12/."
            )
        else:
            page = checked
    title = " ".join(_clean_text(page_title).split())[:PAGE_TITLE_MAX]
    if errors:
        raise Invalid(_("The report was not sent. Correct the fields marked below."), errors=errors)

    contact = current_contact()
    now = timezone.now()
    with transaction.atomic():
        report = _create_numbered(
            lao=lao,
            reporter=actor,
            category=category,
            description=text,
            page_url=page,
            page_title=title,
            contact_email=contact.email if contact else "",
            now=now,
        )
        ReportUpdate.objects.create(
            report=report, author=actor, at=now, from_status="", to_status=ReportStatus.OPEN
        )
        audit.record(
            action="helpdesk.report_submitted",
            actor=actor,
            obj=report,
            data={
                "reference": report.reference,
                "lao": lao.code,
                "category": category,
                "page": page,
                "contact_email": report.contact_email,
            },
            ip_address=ip,
        )
        notify(
            users=_people(Role.HELPDESK),
            title=_("New e-SAR problem report %(reference)s from %(lao)s")
            % {"reference": report.reference, "lao": lao.name_th},
            body=f"{ReportCategory(category).label}\n{text}",
            url=reverse("helpdesk:detail", args=[report.pk]),
        )
        if report.contact_email:
            report_id = report.pk
            transaction.on_commit(lambda: send_report_to_contact.delay(report_id))
    return report


def _create_numbered(*, now: Any, **fields: Any) -> Report:
    """Create the report with the next number of its year, retrying if another took it."""
    year = be_year(timezone.localdate(now))
    for attempt in range(_REFERENCE_ATTEMPTS):
        last = Report.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0
        try:
            with transaction.atomic():
                return Report.objects.create(
                    year=year, number=last + 1, created_at=now, updated_at=now, **fields
                )
        except IntegrityError:
            if attempt == _REFERENCE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@shared_task(name="helpdesk.send_report_to_contact")
def send_report_to_contact(report_id: int) -> bool:
    """E-mail a new report to the contact address it was recorded with, once."""
    report = (
        Report.objects.filter(pk=report_id, contact_emailed_at__isnull=True)
        .select_related("lao__province", "reporter")
        .first()
    )
    if report is None or not report.contact_email:
        return False
    # Claim before sending, so that a redelivered task never sends the report twice.
    claimed = Report.objects.filter(pk=report.pk, contact_emailed_at__isnull=True).update(
        contact_emailed_at=timezone.now()
    )
    if not claimed:
        return False
    base = settings.ESAR_SITE_URL.rstrip("/")
    reporter = report.reporter
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Reference: %(reference)s") % {"reference": report.reference},
            _("Local authority: %(lao)s (%(code)s), %(province)s")
            % {
                "lao": report.lao.name_th,
                "code": report.lao.code,
                "province": report.lao.province.name_th,
            },
            _("Reported by: %(name)s %(email)s %(phone)s")
            % {"name": reporter.display_name, "email": reporter.email, "phone": reporter.phone},
            _("Reported on: %(when)s") % {"when": format_datetime(report.created_at)},
            _("Category: %(category)s") % {"category": report.get_category_display()},
        ]
        if report.page_url:
            lines.append(
                _("Page: %(page)s %(title)s")
                % {"page": f"{base}{report.page_url}", "title": report.page_title}
            )
        lines += [
            "",
            report.description,
            "",
            f"{base}{reverse('helpdesk:detail', args=[report.pk])}",
        ]
        send_mail(
            subject="[e-SAR] %s"
            % (
                _("Problem report %(reference)s: %(category)s, %(lao)s")
                % {
                    "reference": report.reference,
                    "category": report.get_category_display(),
                    "lao": report.lao.name_th,
                }
            ),
            message="\n".join(line.rstrip() for line in lines),
            from_email=None,
            recipient_list=[report.contact_email],
        )
    return True


def update_status(
    *,
    report: Report,
    actor: User,
    status: str,
    message: str = "",
    expected_version: int,
    ip: str | None = None,
) -> Report:
    """Move a report to `status` (or, with the same status, add a message) and tell the reporter.

    Refused when the page that sent it showed an older version of the report.
    """
    if not has_perm(actor, Perm.HELPDESK_HANDLE):
        raise NotAllowed(_("Only the helpdesk can change the status of a report."))
    stale = Conflict(
        _(
            "Someone else updated this report after you opened it. Nothing was saved: "
            "read its latest history below, then decide again."
        )
    )
    if expected_version != report.version:
        # Judge the choice against the report the person saw, not one they have not seen.
        raise stale
    text = _clean_text(message)
    if len(text) > MESSAGE_MAX:
        raise Invalid(
            _("The message is too long (at most %(max)s characters).") % {"max": MESSAGE_MAX},
            errors={"message": _("At most %(max)s characters.") % {"max": MESSAGE_MAX}},
        )
    if status not in ReportStatus.values:
        raise Invalid(
            _("Choose a status."), errors={"status": _("Choose one of the statuses offered.")}
        )
    old = report.status
    if status == old:
        if not text:
            raise Invalid(
                _("Nothing to save: choose a new status or write a message to the LAO."),
                errors={"message": _("Write a message, or choose a new status.")},
            )
    elif status not in TRANSITIONS.get(old, ()):
        raise Invalid(
            _("A report that is “%(old)s” cannot become “%(new)s”.")
            % {"old": ReportStatus(old).label, "new": ReportStatus(status).label},
            errors={"status": _("Choose one of the statuses offered.")},
        )
    now = timezone.now()
    with transaction.atomic():
        updated = Report.objects.filter(pk=report.pk, version=expected_version, status=old).update(
            status=status, version=F("version") + 1, updated_at=now
        )
        if not updated:
            raise stale
        ReportUpdate.objects.create(
            report=report, author=actor, at=now, from_status=old, to_status=status, message=text
        )
        report.status = status
        report.version = expected_version + 1
        report.updated_at = now
        audit.record(
            action="helpdesk.report_updated",
            actor=actor,
            obj=report,
            data={"reference": report.reference, "from": old, "to": status, "message": text},
            ip_address=ip,
        )
        if status == old:
            title = _("New message on your e-SAR problem report %(reference)s") % {
                "reference": report.reference
            }
        else:
            title = _("Your e-SAR problem report %(reference)s is now “%(status)s”") % {
                "reference": report.reference,
                "status": ReportStatus(status).label,
            }
        notify(
            users=[report.reporter],
            title=title,
            body=text,
            url=reverse("helpdesk:detail", args=[report.pk]),
        )
    return report


# --- The contact -----------------------------------------------------------------------------


def _contact_errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Give the name of the person or team that handles the reports.")
    if not values["phone"] and not values["email"]:
        errors["phone"] = _("Give a phone number or an e-mail address (or both).")
    if values["phone"]:
        digits = sum(char.isdigit() for char in values["phone"])
        if not _PHONE_CHARS.match(values["phone"]) or digits < 6:
            errors["phone"] = _(
                "Write the phone number with its digits, for example 02-000-0000 ext. 12."
            )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address, for example helpdesk@example.org.")
    limits = {"name": 200, "phone": 64, "email": 254, "notes": 2000}
    for name, limit in limits.items():
        if len(values[name]) > limit and name not in errors:
            errors[name] = _("At most %(max)s characters.") % {"max": limit}
    return errors


def save_contact(
    *,
    actor: User | None,  # None: the system itself (the demo seeding)
    name: str,
    phone: str = "",
    email: str = "",
    notes: str = "",
    expected_version: int | None,
    ip: str | None = None,
) -> tuple[HelpdeskContact, dict[str, list[str]]]:
    """Set the helpdesk contact; return it and its changes as {field: [old, new]}.

    `expected_version` is the version the editor's page showed (None: no contact was set yet).
    `actor` None is the system itself (the demo seeding); a person needs the DLA permission.
    """
    if actor is not None and not has_perm(actor, Perm.HELPDESK_CONTACT_EDIT):
        raise NotAllowed(_("Only DLA administrators can set the helpdesk contact."))
    values = {
        "name": " ".join((name or "").split()),
        "phone": " ".join((phone or "").split()),
        "email": (email or "").strip().lower(),
        "notes": (notes or "").replace("\x00", "").strip(),
    }
    if errors := _contact_errors(values):
        raise Invalid(
            _("The contact was not saved. Correct the fields marked below."), errors=errors
        )
    stale = Conflict(
        _(
            "Someone else saved the helpdesk contact while you were editing it. Nothing was "
            "saved: open the page again to see their change."
        )
    )
    now = timezone.now()
    with transaction.atomic():
        existing = current_contact()
        if expected_version is None:
            if existing is not None:
                raise stale
            try:
                with transaction.atomic():
                    contact = HelpdeskContact.objects.create(
                        pk=CONTACT_PK, updated_at=now, updated_by=_user(actor), **values
                    )
            except IntegrityError:
                raise stale from None
            changes = {field: ["", value] for field, value in values.items() if value}
        else:
            if existing is None:
                raise stale
            changes = {
                field: [getattr(existing, field), value]
                for field, value in values.items()
                if getattr(existing, field) != value
            }
            if not changes:
                return existing, {}
            updated = HelpdeskContact.objects.filter(
                pk=CONTACT_PK, version=expected_version
            ).update(
                version=F("version") + 1,
                updated_at=now,
                updated_by=_user(actor),
                **{field: new for field, (_old, new) in changes.items()},
            )
            if not updated:
                raise stale
            contact = HelpdeskContact.objects.get(pk=CONTACT_PK)
        audit.record(
            action="helpdesk.contact_saved",
            actor=actor,
            obj=contact,
            data={"changes": changes, "version": contact.version},
            ip_address=ip,
        )
    return contact, changes


def _user(actor: User | None) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None
