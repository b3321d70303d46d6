"""Every change to a synthesis: open, write, complete (a frozen version), reopen with a reason.

The same rules as the SAR services: only the LAO's own officers write; a write from a stale page
raises `Conflict` and changes nothing; every change records an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import RequestUser
from esar.core import audit, events
from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.errors import ServiceError as SarError
from esar.cycles.models import AcademicYear, Hop
from esar.organizations.models import Institution, LocalAuthority
from esar.standards.models import Standard
from esar.synthesis.figures import Figures, accepted_revisions, compute
from esar.synthesis.models import (
    OnesqaIssue,
    Synthesis,
    SynthesisSource,
    SynthesisStatus,
    SynthesisVersion,
)

__all__ = ["Conflict", "Invalid", "NotAllowed", "SarError"]


def can_write(user: RequestUser, lao_id: int) -> bool:
    scope = scope_for(user)
    return has_perm(user, Perm.SYNTHESIS_WRITE) and scope.level is Level.LAO and scope.key == lao_id


def _require_writer(actor: User, synthesis: Synthesis) -> None:
    if not can_write(actor, synthesis.lao_id):
        raise NotAllowed(_("Only the LAO's own officers can change its synthesis."))


def _stale() -> Conflict:
    return Conflict(
        _(
            "Someone else changed this synthesis after you opened it. Your changes were not "
            "saved: reload the page to see the latest version, then make them again."
        )
    )


def open_synthesis(*, lao: LocalAuthority, year: AcademicYear, actor: User) -> Synthesis:
    if not can_write(actor, lao.pk):
        raise NotAllowed(_("Only the LAO's own officers can write its synthesis."))
    existing = Synthesis.objects.filter(lao=lao, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            synthesis = Synthesis.objects.create(lao=lao, year=year, updated_by=actor)
            audit.record(action="synthesis.created", actor=actor, obj=synthesis)
    except IntegrityError:
        return Synthesis.objects.get(lao=lao, year=year)
    return synthesis


@dataclass(frozen=True)
class IssueInput:
    text: str
    standard_ids: list[int]
    institution_ids: list[int]


def save(
    *,
    synthesis: Synthesis,
    actor: User,
    expected_version: int,
    summary: str,
    issues: list[IssueInput],
) -> Synthesis:
    """Replace the summary and the list of issues for ONESQA."""
    _require_writer(actor, synthesis)
    if synthesis.status != SynthesisStatus.DRAFT:
        raise Conflict(_("The synthesis is complete: reopen it, with a reason, to change it."))
    clean = [i for i in issues if i.text.strip()]
    standard_ids = {sid for issue in clean for sid in issue.standard_ids}
    institution_ids = {iid for issue in clean for iid in issue.institution_ids}
    known_standards = set(Standard.objects.filter(pk__in=standard_ids).values_list("pk", flat=True))
    own = set(
        Institution.objects.filter(pk__in=institution_ids, lao_id=synthesis.lao_id).values_list(
            "pk", flat=True
        )
    )
    for issue in clean:
        if not issue.standard_ids:
            raise Invalid(_("Each issue for ONESQA must name at least one standard."))
        if not set(issue.standard_ids) <= known_standards:
            raise Invalid(_("An issue names a standard that does not exist."))
        if not set(issue.institution_ids) <= own:
            raise Invalid(_("An issue names an institution that is not one of this LAO's."))
    with transaction.atomic():
        updated = Synthesis.objects.filter(
            pk=synthesis.pk, version=expected_version, status=SynthesisStatus.DRAFT
        ).update(
            summary=summary.strip(),
            version=F("version") + 1,
            updated_at=timezone.now(),
            updated_by=actor,
        )
        if not updated:
            raise _stale()
        synthesis.issues.all().delete()
        for order, issue in enumerate(clean):
            row = OnesqaIssue.objects.create(
                synthesis=synthesis, text=issue.text.strip(), order=order
            )
            row.standards.set(issue.standard_ids)
            row.institutions.set(issue.institution_ids)
        audit.record(
            action="synthesis.saved", actor=actor, obj=synthesis, data={"issues": len(clean)}
        )
    synthesis.refresh_from_db()
    return synthesis


def complete(*, synthesis: Synthesis, actor: User, expected_version: int) -> SynthesisVersion:
    """Freeze the synthesis as a new completed version (late if after the year's deadline)."""
    _require_writer(actor, synthesis)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Synthesis.objects.select_for_update().select_related("year", "lao").get(pk=synthesis.pk)
        )
        if locked.version != expected_version or locked.status != SynthesisStatus.DRAFT:
            raise _stale()
        figures = compute(locked.lao, locked.year)
        issues = [
            {
                "text": issue.text,
                "standards": sorted(issue.standards.values_list("pk", flat=True)),
                "institutions": sorted(issue.institutions.values_list("pk", flat=True)),
            }
            for issue in locked.issues.all()
        ]
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = SynthesisVersion.objects.create(
            synthesis=locked,
            number=number,
            figures=figures.as_json(),
            summary=locked.summary,
            issues=issues,
            completed_at=now,
            completed_by=actor,
            is_late=locked.year.is_late(Hop.LAO_SYNTHESIS, now),
        )
        SynthesisSource.objects.bulk_create(
            SynthesisSource(version=version, revision_id=revision_id)
            for revision_id in accepted_revisions(locked.lao, locked.year)
        )
        Synthesis.objects.filter(pk=locked.pk).update(
            status=SynthesisStatus.COMPLETE,
            version=F("version") + 1,
            updated_at=now,
            updated_by=actor,
        )
        audit.record(
            action="synthesis.completed",
            actor=actor,
            obj=locked,
            data={"version": number, "late": version.is_late},
        )
        events.announce(events.HopsMoved.of(locked.year, lao_ids=[locked.lao_id]))
    synthesis.refresh_from_db()
    return version


def reopen(*, synthesis: Synthesis, actor: User, expected_version: int, reason: str) -> Synthesis:
    """Open a completed synthesis for changes again; the completed version stays as it was."""
    _require_writer(actor, synthesis)
    if not reason.strip():
        raise Invalid(_("Say why the synthesis is reopened."))
    now = timezone.now()
    with transaction.atomic():
        updated = Synthesis.objects.filter(
            pk=synthesis.pk, version=expected_version, status=SynthesisStatus.COMPLETE
        ).update(
            status=SynthesisStatus.DRAFT,
            version=F("version") + 1,
            updated_at=now,
            updated_by=actor,
        )
        if not updated:
            raise _stale()
        latest = synthesis.versions.latest("number")  # a complete synthesis has versions
        SynthesisVersion.objects.filter(pk=latest.pk).update(
            reopened_at=now, reopened_by=actor, reopen_reason=reason.strip()
        )
        audit.record(
            action="synthesis.reopened",
            actor=actor,
            obj=synthesis,
            data={"version": latest.number, "reason": reason.strip()},
        )
        events.announce(events.HopsMoved.of(synthesis.year, lao_ids=[synthesis.lao_id]))
    synthesis.refresh_from_db()
    return synthesis


def is_out_of_date(synthesis: Synthesis, current: Figures | None = None) -> bool:
    """A completed synthesis whose figures no longer match the SARs (one was returned, say).

    `current` is today's figures when the caller has computed them already.
    """
    if synthesis.pk is None or synthesis.status != SynthesisStatus.COMPLETE:
        return False
    latest = synthesis.versions.order_by("-number").first()
    if latest is None:
        return False
    current = current or compute(synthesis.lao, synthesis.year)
    return latest.figures != current.as_json()
