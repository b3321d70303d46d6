"""Every change to a SAR's draft: open it, save its parts, start from last year's, attach files.

Each function checks who may act, changes state in one transaction guarded by the expected state
(a lost race raises `Conflict` and changes nothing) and records an audit event. Sending the draft
and the LAO's decision on what was sent are in `esar.sar.services.revisions`. Views, the API and
commands call these; none re-implements them.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from esar.accounts.models import User
from esar.core import audit, events
from esar.core.errors import Conflict, Invalid, NotAllowed, ServiceError
from esar.core.validation import document_errors
from esar.cycles.models import AcademicYear
from esar.organizations.models import EducationLevel, Institution
from esar.sar import content as sar_content
from esar.sar.files import check_pdf
from esar.sar.models import (
    EDITABLE_STATUSES,
    Attachment,
    AttachmentKind,
    Sar,
    SarStatus,
)
from esar.sar.rules import can_write
from esar.standards.models import StandardItem, StandardSet

# The services' errors are the kernel's (esar.core.errors); `SarError` is their common base.
SarError = ServiceError


class Incomplete(Invalid):
    """The draft lacks what `missing` lists; `details` says it in words."""

    def __init__(self, missing: list[sar_content.Missing]) -> None:
        super().__init__(
            _("The report is not complete yet: %(count)s things are missing.")
            % {"count": len(missing)},
            details=[entry.message for entry in missing],
        )
        self.missing = missing


# --- Guards, shared with sending (esar.sar.services.revisions) ---------------------------------


def require_writer(actor: User, sar: Sar) -> None:
    if not can_write(actor, sar.institution_id):
        raise NotAllowed(_("Only the institution's own officers can change its report."))


def require_editable(sar: Sar) -> None:
    if sar.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("The report has been sent to the LAO and cannot be changed until it is returned.")
        )


def changed_by_someone_else() -> Conflict:
    return Conflict(
        _(
            "Someone else changed this report after you opened it. Your changes were not saved: "
            "reload the page to see the latest version, then make them again."
        )
    )


def levels_taught(institution: Institution) -> list[tuple[str, str]]:
    return [(level.value, str(level.label)) for level in institution.levels]


# --- Opening a report ------------------------------------------------------------------------


def open_sar(
    *, institution: Institution, year: AcademicYear, actor: User, ip: str | None = None
) -> Sar:
    """The institution's SAR for `year`, created as an empty draft the first time."""
    if not can_write(actor, institution.pk):
        raise NotAllowed(_("Only the institution's own officers can write its report."))
    existing = Sar.objects.filter(institution=institution, year=year).first()
    if existing is not None:
        return existing
    if not year.is_open:
        raise Conflict(_("Academic year %(year)s is closed for reports.") % {"year": year.year})
    sets: list[StandardSet] = []
    for level, label in levels_taught(institution):
        standard_set = StandardSet.objects.in_force(level, year.year)
        if standard_set is None:
            raise Conflict(
                _(
                    "No standard set for %(level)s is in force in academic year %(year)s. "
                    "Tell the Department of Local Administration."
                )
                % {"level": label, "year": year.year}
            )
        sets.append(standard_set)
    try:
        with transaction.atomic():
            sar = Sar.objects.create(institution=institution, year=year, updated_by=actor)
            sar.standard_sets.set(sets)
            audit.record(
                action="sar.created",
                actor=actor,
                obj=sar,
                data={"year": year.year, "standard_sets": [s.code for s in sets]},
                ip_address=ip,
            )
            events.announce(events.HopsMoved.of(year, institution_ids=[institution.pk]))
    except IntegrityError:
        # Two officers opened it at the same moment: both get the one that was created.
        return Sar.objects.get(institution=institution, year=year)
    return sar


# --- The draft -------------------------------------------------------------------------------


def _validated(raw: dict[str, Any], sar: Sar) -> sar_content.Content:
    try:
        parsed = sar_content.parse(raw)
    except ValidationError as exc:
        # pydantic's ErrorDetails are plain dicts at run time (a TypedDict to the type checker).
        errors = cast("list[dict[str, Any]]", exc.errors())
        raise Invalid(
            _("Some values are not valid; nothing was saved."),
            details=[f"{e['field']}: {e['message']}" for e in document_errors(errors)],
        ) from None
    problems = sar_content.check_references(
        parsed, sar_content.items_of(sar), sar_content.standards_of(sar)
    )
    if problems:
        raise Invalid(_("Some values are not valid; nothing was saved."), details=problems)
    return parsed


def save_draft(
    *,
    sar: Sar,
    actor: User,
    expected_version: int,
    basic_data: dict[str, Any] | None = None,
    items: dict[str, dict[str, Any]] | None = None,
    standards: dict[str, dict[str, Any]] | None = None,
    summary: dict[str, Any] | None = None,
    ip: str | None = None,
) -> Sar:
    """Replace the given parts of the draft: the basic data, some items and standards, the summary.

    `expected_version` is the version the person started from; if someone saved in between,
    `Conflict` is raised and nothing is written.
    """
    require_writer(actor, sar)
    require_editable(sar)
    raw = dict(sar.content or {})
    changed: list[str] = []
    if basic_data is not None:
        raw["basic_data"] = basic_data
        changed.append("basic_data")
    if items:
        merged = dict(raw.get("items") or {})
        for key, entry in items.items():
            merged[str(key)] = entry
        raw["items"] = merged
        changed.extend(f"item:{key}" for key in items)
    if standards:
        merged = dict(raw.get("standards") or {})
        for key, entry in standards.items():
            merged[str(key)] = entry
        raw["standards"] = merged
        changed.extend(f"standard:{key}" for key in standards)
    if summary is not None:
        raw["summary"] = summary
        changed.append("summary")
    parsed = _validated(raw, sar)
    now = timezone.now()
    with transaction.atomic():
        updated = Sar.objects.filter(
            pk=sar.pk, version=expected_version, status__in=EDITABLE_STATUSES
        ).update(
            content=parsed.as_json(), version=F("version") + 1, updated_at=now, updated_by=actor
        )
        if not updated:
            raise changed_by_someone_else()
        audit.record(
            action="sar.draft_saved", actor=actor, obj=sar, data={"parts": changed}, ip_address=ip
        )
    sar.refresh_from_db()
    return sar


def start_from_previous(
    *, sar: Sar, actor: User, expected_version: int, ip: str | None = None
) -> Sar:
    """Fill the draft with last year's report (its latest revision, or its draft if never sent).

    Items are matched by education level and item number, so a new standard set keeps what still
    applies. The as-of date is left empty: this year's counts need their own date.
    """
    require_writer(actor, sar)
    if sar.status != SarStatus.DRAFT:
        raise Conflict(_("Only a report that has never been sent can start from last year's."))
    previous = (
        Sar.objects.filter(institution_id=sar.institution_id, year__year__lt=sar.year_id)
        .select_related("current_revision")
        .order_by("-year__year")
        .first()
    )
    if previous is None:
        raise Conflict(_("There is no earlier report of this institution to start from."))
    source = previous.current_revision.content if previous.current_revision else previous.content
    old = sar_content.parse(source)
    old_items = StandardItem.objects.filter(pk__in=[int(k) for k in old.items]).select_related(
        "standard__standard_set"
    )
    old_keys = {
        str(item.pk): (item.standard.standard_set.education_level, item.number)
        for item in old_items
    }
    new_ids = {(info.education_level, info.number): info.id for info in sar_content.items_of(sar)}
    items: dict[str, Any] = {}
    for key, entry in old.items.items():
        target = new_ids.get(old_keys.get(key, ("", "")))
        if target is not None:
            items[str(target)] = entry.model_dump(mode="json")
    basic = old.basic_data.model_dump(mode="json")
    basic["as_of"] = None
    raw = {"basic_data": basic, "items": items, "summary": old.summary.model_dump(mode="json")}
    parsed = _validated(raw, sar)
    with transaction.atomic():
        updated = Sar.objects.filter(
            pk=sar.pk, version=expected_version, status=SarStatus.DRAFT
        ).update(
            content=parsed.as_json(),
            version=F("version") + 1,
            updated_at=timezone.now(),
            updated_by=actor,
        )
        if not updated:
            raise changed_by_someone_else()
        audit.record(
            action="sar.started_from_previous",
            actor=actor,
            obj=sar,
            data={"from_year": previous.year_id, "items": len(items)},
            ip_address=ip,
        )
    sar.refresh_from_db()
    return sar


# --- Files -----------------------------------------------------------------------------------


def attach_file(
    *, sar: Sar, actor: User, upload: UploadedFile, kind: str, ip: str | None = None
) -> Attachment:
    """Check and store a PDF as the SAR document (replacing the draft's) or as evidence.

    A refused file raises `UploadRefused` and leaves the draft as it was.
    """
    require_writer(actor, sar)
    kind = AttachmentKind(kind)
    checked = check_pdf(upload, limit_mb=sar.year.upload_limit_mb)
    name = (upload.name or "document.pdf").rsplit("/", 1)[-1][:255]
    with transaction.atomic():
        locked = Sar.objects.select_for_update().get(pk=sar.pk)
        require_editable(locked)
        attachment = Attachment.objects.filter(sar=locked, sha256=checked.sha256, kind=kind).first()
        if attachment is None:
            attachment = Attachment(
                sar=locked,
                kind=kind,
                original_name=name,
                size=checked.size,
                sha256=checked.sha256,
                page_count=checked.page_count,
                uploaded_by=actor,
            )
            attachment.file.save(name, upload, save=False)
            attachment.save()
        # Files do not bump `version`: it guards the typed content, and an upload in one tab
        # must not make an edit form open in another tab fail.
        fields: dict[str, Any] = {"updated_at": timezone.now(), "updated_by": actor}
        if kind is AttachmentKind.DOCUMENT:
            fields["document"] = attachment
        else:
            locked.evidence.add(attachment)
        Sar.objects.filter(pk=locked.pk).update(**fields)
        audit.record(
            action="sar.file_attached",
            actor=actor,
            obj=locked,
            data={
                "kind": kind.value,
                "name": name,
                "size": checked.size,
                "sha256": checked.sha256,
                "pages": checked.page_count,
            },
            ip_address=ip,
        )
    sar.refresh_from_db()
    return attachment


def remove_evidence(*, sar: Sar, actor: User, attachment_id: int, ip: str | None = None) -> None:
    """Take an evidence file out of the draft (it stays stored if a revision holds it)."""
    require_writer(actor, sar)
    with transaction.atomic():
        locked = Sar.objects.select_for_update().get(pk=sar.pk)
        require_editable(locked)
        attachment = locked.evidence.filter(pk=attachment_id).first()
        if attachment is None:
            raise Invalid(_("That file is not part of the draft."))
        locked.evidence.remove(attachment)
        Sar.objects.filter(pk=locked.pk).update(updated_at=timezone.now(), updated_by=actor)
        audit.record(
            action="sar.file_removed",
            actor=actor,
            obj=locked,
            data={"name": attachment.original_name, "sha256": attachment.sha256},
            ip_address=ip,
        )
    sar.refresh_from_db()


# --- What the draft still lacks ----------------------------------------------------------------


def levels_of(sar: Sar) -> list[tuple[str, str]]:
    """The levels the SAR reports on: those of its standard sets, fixed when it was opened."""
    levels = set(sar.standard_sets.values_list("education_level", flat=True))
    return [(level.value, str(level.label)) for level in EducationLevel if level.value in levels]


def missing_before_submission(sar: Sar) -> list[sar_content.Missing]:
    return sar_content.checklist(
        sar_content.parse(sar.content),
        items=sar_content.items_of(sar),
        standards=sar_content.standards_of(sar),
        levels_taught=levels_of(sar),
        has_document=sar.document_id is not None,
    )
