"""Sending a SAR and deciding on what was sent: submit, accept, return for revision.

A submission freezes the draft into a new immutable revision (content, hashed files, ratings);
the LAO then accepts it or returns it with reasons attached to its parts. Each function checks
who may act, changes state in one transaction guarded by the expected state (a lost race raises
`Conflict` and changes nothing), records an audit event, announces the hop and tells the people
who must act next. Changes to the draft itself are in `esar.sar.services.drafts`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts import selectors as account_selectors
from esar.accounts.models import User
from esar.accounts.roles import Role
from esar.core import audit, events
from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.notices import notify
from esar.core.thaidate import format_datetime
from esar.cycles.models import Hop
from esar.sar import content as sar_content
from esar.sar.models import (
    EDITABLE_STATUSES,
    Attachment,
    ReturnReason,
    Revision,
    RevisionRating,
    RevisionStandardRating,
    RevisionStatus,
    Sar,
    SarStatus,
)
from esar.sar.rules import can_review
from esar.sar.services.drafts import (
    Incomplete,
    changed_by_someone_else,
    missing_before_submission,
    require_editable,
    require_writer,
)
from esar.standards.models import QualityLevel, Standard, StandardItem

REASON_SECTIONS = ("general", "basic_data", "item", "summary", "document", "evidence")


def _people(role: Role, **organization: Any) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            membership__role=role,
            **{f"membership__{k}": v for k, v in organization.items()},
        )
    )


# --- Submitting ------------------------------------------------------------------------------


def revision_sha256(
    raw_content: dict[str, Any], document: Attachment, evidence: list[Attachment]
) -> str:
    """One hash over the content and the hashes of every file: what the school sent."""
    return sar_content.content_sha256(
        {
            "content": raw_content,
            "document": document.sha256,
            "evidence": sorted(attachment.sha256 for attachment in evidence),
        }
    )


def submit(*, sar: Sar, actor: User, expected_version: int, ip: str | None = None) -> Revision:
    """Send the draft to the LAO as a new immutable revision."""
    require_writer(actor, sar)
    require_editable(sar)
    if sar.version != expected_version:
        raise changed_by_someone_else()
    missing = missing_before_submission(sar)
    if missing:
        raise Incomplete(missing)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Sar.objects.select_for_update(of=("self",))
            .select_related("year", "document")
            .get(pk=sar.pk)
        )
        if locked.version != expected_version or locked.status not in EDITABLE_STATUSES:
            raise changed_by_someone_else()
        document = locked.document
        if document is None:  # missing_before_submission saw it; the version says nothing changed
            raise Incomplete(missing_before_submission(locked))
        parsed = sar_content.parse(locked.content)
        raw = parsed.as_json()
        evidence = list(locked.evidence.all())
        number = (locked.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        sets = list(locked.standard_sets.all())
        revision = Revision.objects.create(
            sar=locked,
            number=number,
            content=raw,
            content_sha256=revision_sha256(raw, document, evidence),
            document=document,
            submitted_at=now,
            submitted_by=actor,
            is_late=locked.year.is_late(Hop.SAR_SUBMISSION, now),
        )
        revision.evidence.set(evidence)
        revision.standard_sets.set(sets)
        levels = {
            (level.standard_set_id, level.rank): level.pk
            for level in QualityLevel.objects.filter(standard_set__in=sets)
        }
        set_of_item = dict(
            StandardItem.objects.filter(standard__standard_set__in=sets).values_list(
                "pk", "standard__standard_set_id"
            )
        )
        RevisionRating.objects.bulk_create(
            [
                RevisionRating(
                    revision=revision,
                    item_id=int(key),
                    level_id=levels[(set_of_item[int(key)], entry.level)],
                    target_id=(
                        levels.get((set_of_item[int(key)], entry.target))
                        if entry.target is not None
                        else None
                    ),
                )
                for key, entry in parsed.items.items()
                if entry.level is not None and int(key) in set_of_item
            ]
        )
        set_of_standard = dict(
            Standard.objects.filter(standard_set__in=sets).values_list("pk", "standard_set_id")
        )
        RevisionStandardRating.objects.bulk_create(
            [
                RevisionStandardRating(
                    revision=revision,
                    standard_id=int(key),
                    level_id=levels[(set_of_standard[int(key)], entry.level)],
                )
                for key, entry in parsed.standards.items()
                if entry.level is not None and int(key) in set_of_standard
            ]
        )
        Sar.objects.filter(pk=locked.pk).update(
            status=SarStatus.SUBMITTED,
            current_revision=revision,
            version=F("version") + 1,
            updated_at=now,
            updated_by=actor,
        )
        audit.record(
            action="sar.submitted",
            actor=actor,
            obj=locked,
            data={
                "revision": number,
                "late": revision.is_late,
                "sha256": revision.content_sha256,
            },
            ip_address=ip,
        )
        institution = locked.institution
        events.announce(events.HopsMoved.of(locked.year, institution_ids=[institution.pk]))
        notify(
            users=list(account_selectors.lao_officers(institution.lao_id)),
            title=_("SAR %(year)s of %(institution)s awaits your review")
            % {"year": locked.year_id, "institution": institution.name_th},
            body=_("Revision %(number)s was sent on %(when)s%(late)s.")
            % {
                "number": number,
                "when": format_datetime(now),
                "late": _(" (late)") if revision.is_late else "",
            },
            url=reverse("sar:review", args=[locked.pk]),
        )
    sar.refresh_from_db()
    return revision


# --- Reviewing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonInput:
    section: str
    text: str
    item_id: int | None = None


def _require_reviewer(actor: User, sar: Sar) -> None:
    if not can_review(actor, sar.institution.lao_id):
        raise NotAllowed(_("Only the officers of the institution's LAO can review its report."))


def _claim_review(
    revision: Revision,
    actor: User,
    status: str,
    note: str,
    now: dt.datetime,
    *,
    from_statuses: tuple[str, ...] = (RevisionStatus.PENDING,),
) -> None:
    claimed = Revision.objects.filter(pk=revision.pk, status__in=from_statuses).update(
        status=status, reviewed_at=now, reviewed_by=actor, review_note=note
    )
    if not claimed:
        done = Revision.objects.select_related("reviewed_by").get(pk=revision.pk)
        who = done.reviewed_by.display_name if done.reviewed_by else "-"
        raise Conflict(
            _("This revision was already %(outcome)s by %(who)s on %(when)s. Nothing was changed.")
            % {
                "outcome": done.get_status_display(),
                "who": who,
                "when": format_datetime(done.reviewed_at) if done.reviewed_at else "-",
            }
        )
    updated = Sar.objects.filter(pk=revision.sar_id, current_revision=revision).update(
        status=SarStatus.ACCEPTED if status == RevisionStatus.ACCEPTED else SarStatus.RETURNED,
        version=F("version") + 1,
        updated_at=now,
        updated_by=actor,
    )
    if not updated:
        raise Conflict(_("A newer revision of this report has been sent. Nothing was changed."))


def accept(*, revision: Revision, actor: User, note: str = "", ip: str | None = None) -> Revision:
    sar = revision.sar
    _require_reviewer(actor, sar)
    now = timezone.now()
    with transaction.atomic():
        _claim_review(revision, actor, RevisionStatus.ACCEPTED, note.strip(), now)
        audit.record(
            action="sar.accepted",
            actor=actor,
            obj=sar,
            data={"revision": revision.number},
            ip_address=ip,
        )
        events.announce(events.HopsMoved.of(sar.year, institution_ids=[sar.institution_id]))
        notify(
            users=_people(Role.SCHOOL_OFFICER, institution_id=sar.institution_id),
            title=_("Your SAR %(year)s was accepted by the LAO") % {"year": sar.year_id},
            body=note.strip(),
            url=reverse("sar:detail", args=[sar.pk]),
        )
    revision.refresh_from_db()
    return revision


def return_for_revision(
    *,
    revision: Revision,
    actor: User,
    reasons: list[ReasonInput],
    note: str = "",
    ip: str | None = None,
    after_acceptance: bool = False,
) -> Revision:
    """Send the report back to the school with reasons attached to its parts.

    The revision is the pending one or, with `after_acceptance`, the accepted current one: an
    LAO that finds a problem after accepting (while writing its synthesis, say) returns it the
    same way, and a synthesis completed from it then shows as out of date. The flag is the
    officer's explicit intent, so a return from a page opened before someone else accepted is
    still refused.
    """
    sar = revision.sar
    _require_reviewer(actor, sar)
    clean = [ReasonInput(r.section, r.text.strip(), r.item_id) for r in reasons if r.text.strip()]
    if not clean:
        raise Invalid(_("Give at least one reason, so that the school knows what to change."))
    item_ids = set(
        StandardItem.objects.filter(
            standard__standard_set__in=revision.standard_sets.all()
        ).values_list("pk", flat=True)
    )
    for reason in clean:
        if reason.section not in REASON_SECTIONS:
            raise Invalid(_("Unknown part of the report: %(part)s.") % {"part": reason.section})
        if (reason.section == "item") != (reason.item_id is not None):
            raise Invalid(_("A reason about an item must name the item, and only then."))
        if reason.item_id is not None and reason.item_id not in item_ids:
            raise Invalid(
                _("Item %(item)s is not part of this report's standards.")
                % {"item": reason.item_id}
            )
    now = timezone.now()
    with transaction.atomic():
        _claim_review(
            revision,
            actor,
            RevisionStatus.RETURNED,
            note.strip(),
            now,
            from_statuses=(
                (RevisionStatus.ACCEPTED,) if after_acceptance else (RevisionStatus.PENDING,)
            ),
        )
        ReturnReason.objects.bulk_create(
            [
                ReturnReason(revision=revision, section=r.section, item_id=r.item_id, text=r.text)
                for r in clean
            ]
        )
        audit.record(
            action="sar.returned",
            actor=actor,
            obj=sar,
            data={
                "revision": revision.number,
                "reasons": len(clean),
                "after_acceptance": after_acceptance,
            },
            ip_address=ip,
        )
        events.announce(events.HopsMoved.of(sar.year, institution_ids=[sar.institution_id]))
        notify(
            users=_people(Role.SCHOOL_OFFICER, institution_id=sar.institution_id),
            title=_("Your SAR %(year)s was returned for revision") % {"year": sar.year_id},
            body="\n".join(r.text for r in clean),
            url=reverse("sar:detail", args=[sar.pk]),
        )
    revision.refresh_from_db()
    return revision
