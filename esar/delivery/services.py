"""Every change of a delivery into e-SAR: delivering, retrying, acknowledging, notes.

The same rules as the SAR services: each function checks who may act, changes state in one
transaction guarded by the expected state (a lost race changes nothing and says so), records an
audit event, and tells the people who must know. Views, the API and the Celery task call these.
A queued delivery is sent by `esar.delivery.sending`; the LAO's e-SAR account, which alone
delivers, is issued and revoked in `esar.delivery.accounts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.accounts.models import User
from esar.accounts.permissions import Perm, has_perm
from esar.accounts.roles import Role
from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import RequestUser
from esar.core import audit, events
from esar.core.errors import Conflict, Invalid, NotAllowed
from esar.core.errors import ServiceError as SarError
from esar.core.notices import notify
from esar.core.thaidate import format_datetime
from esar.cycles.models import AcademicYear
from esar.delivery import jobs
from esar.delivery.channels import configured_channel
from esar.delivery.models import (
    AssessmentNote,
    DeliveredRevision,
    DeliveredSynthesis,
    Delivery,
    DeliveryStatus,
    EsarAccount,
)
from esar.delivery.package import (
    FileMismatch,
    PackageFile,
    build_manifest,
    manifest_bytes,
    package_file,
    sha256_hex,
)
from esar.organizations.models import LocalAuthority
from esar.sar.models import Attachment, Revision, RevisionEvidence
from esar.synthesis.figures import accepted_revisions
from esar.synthesis.models import Synthesis, SynthesisStatus, SynthesisVersion

__all__ = ["Conflict", "Invalid", "NotAllowed", "SarError"]

NOTE_MAX_LENGTH = 10_000


def lao_officers(lao_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, membership__role=Role.LAO_OFFICER, membership__lao_id=lao_id
        )
    )


# --- Who delivers: the LAO's own e-SAR account --------------------------------------------------


def account_of(user: RequestUser, lao: LocalAuthority) -> EsarAccount | None:
    """The active e-SAR account `user` is, for `lao` (None for everyone else)."""
    if isinstance(user, AnonymousUser) or not user.is_active:
        return None
    return EsarAccount.objects.filter(lao=lao, user=user, revoked_at__isnull=True).first()


def can_deliver(user: RequestUser, lao: LocalAuthority) -> bool:
    scope = scope_for(user)
    return (
        has_perm(user, Perm.DELIVERY_VIEW)
        and scope.level is Level.LAO
        and scope.key == lao.pk
        and account_of(user, lao) is not None
    )


def _require_deliverer(actor: User, lao: LocalAuthority) -> None:
    if can_deliver(actor, lao):
        return
    scope = scope_for(actor)
    if scope.level is Level.LAO and scope.key == lao.pk:
        raise NotAllowed(
            _(
                "Deliveries into e-SAR are made with the e-SAR account DLA issued to this LAO. "
                "Log in with that account to deliver."
            )
        )
    raise NotAllowed(_("Only the LAO's own e-SAR account can deliver its SARs."))


# --- What is waiting to be delivered -----------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """The accepted revisions and the completed synthesis version not delivered yet."""

    revisions: list[Revision]
    synthesis_version: SynthesisVersion | None

    @property
    def is_empty(self) -> bool:
        return not self.revisions and self.synthesis_version is None

    @property
    def key(self) -> str:
        """What the officer saw on the page; a delivery refuses if it changed meanwhile."""
        revisions = ",".join(str(r.pk) for r in sorted(self.revisions, key=lambda r: r.pk))
        version = self.synthesis_version.pk if self.synthesis_version else ""
        return f"r{revisions};s{version}"


def completed_version(synthesis: Synthesis | None) -> SynthesisVersion | None:
    """The version of a complete synthesis (None while it is being written or reopened)."""
    if synthesis is None or synthesis.status != SynthesisStatus.COMPLETE:
        return None
    return synthesis.versions.order_by("-number").first()


def pending(lao: LocalAuthority, year: AcademicYear) -> Pending:
    revisions = list(
        Revision.objects.filter(pk__in=accepted_revisions(lao, year), delivered__isnull=True)
        .select_related("sar__institution", "sar__year", "document")
        .order_by("sar__institution__code")
    )
    version = completed_version(Synthesis.objects.filter(lao=lao, year=year).first())
    if (
        version is not None
        and DeliveredSynthesis.objects.filter(synthesis_version=version).exists()
    ):
        version = None
    return Pending(revisions, version)


def _evidence_of(revisions: list[Revision]) -> dict[int, list[Attachment]]:
    evidence: dict[int, list[Attachment]] = {revision.pk: [] for revision in revisions}
    for row in (
        RevisionEvidence.objects.filter(revision__in=revisions)
        .select_related("attachment")
        .order_by("attachment__uploaded_at", "attachment__pk")
    ):
        evidence[row.revision_id].append(row.attachment)
    return evidence


# --- Delivering --------------------------------------------------------------------------------


def receipt_number(year: AcademicYear, pk: int) -> str:
    return f"ESAR-{year.year}-{pk:06d}"


def deliver(
    *,
    lao: LocalAuthority,
    year: AcademicYear,
    actor: User,
    expected: str | None = None,
    ip: str | None = None,
) -> Delivery | None:
    """Deliver everything accepted and not yet delivered, with the completed synthesis.

    Returns None when there is nothing new (a second click, a repeated API call). `expected` is
    `Pending.key` of the page the officer saw; if more or less is waiting now, `Conflict`.
    """
    _require_deliverer(actor, lao)
    channel = configured_channel()
    now = timezone.now()
    with transaction.atomic():
        # Every delivery of this LAO and year queues here: a double click makes one delivery.
        synthesis = Synthesis.objects.select_for_update().filter(lao=lao, year=year).first()
        if synthesis is None or synthesis.status != SynthesisStatus.COMPLETE:
            raise Invalid(
                _(
                    "Complete the synthesis of academic year %(year)s before delivering: "
                    "ONESQA receives the SARs together with the LAO's synthesis."
                )
                % {"year": year.year}
            )
        account = (
            EsarAccount.objects.select_for_update()
            .select_related("user")
            .filter(lao=lao, user=actor, revoked_at__isnull=True)
            .first()
        )
        if account is None:
            raise NotAllowed(_("Only the LAO's own e-SAR account can deliver its SARs."))
        todo = pending(lao, year)
        if todo.is_empty:
            return None
        if expected is not None and expected != todo.key:
            raise Conflict(
                _(
                    "What is waiting to be delivered changed after you opened the page. Nothing "
                    "was delivered: check the list again, then deliver."
                )
            )
        delivery = Delivery.objects.create(
            lao=lao,
            year=year,
            account=account,
            created_by=actor,
            created_at=now,
            channel=channel.name,
            status=DeliveryStatus.QUEUED,
        )
        delivery.receipt_number = receipt_number(year, delivery.pk)
        evidence = _evidence_of(todo.revisions)
        delivery.manifest = build_manifest(
            receipt_number=delivery.receipt_number,
            idempotency_key=str(delivery.idempotency_key),
            lao=lao,
            year=year.year,
            account_username=account.user.username,
            created_at=now.isoformat(),
            revisions=[(revision, evidence[revision.pk]) for revision in todo.revisions],
            synthesis_version=todo.synthesis_version,
        )
        delivery.manifest_sha256 = sha256_hex(manifest_bytes(delivery.manifest))
        fields: dict[str, Any] = {
            "receipt_number": delivery.receipt_number,
            "manifest": delivery.manifest,
            "manifest_sha256": delivery.manifest_sha256,
        }
        # Unique rows: a revision or synthesis version is never in two deliveries.
        DeliveredRevision.objects.bulk_create(
            DeliveredRevision(delivery=delivery, revision=revision) for revision in todo.revisions
        )
        if todo.synthesis_version is not None:
            DeliveredSynthesis.objects.create(
                delivery=delivery, synthesis_version=todo.synthesis_version
            )
        if channel.delivers_at_once:
            fields.update(
                status=DeliveryStatus.DELIVERED,
                delivered_at=now,
                remote_receipt=channel.send(delivery),
                attempts=1,
            )
        Delivery.objects.filter(pk=delivery.pk).update(**fields)
        audit.record(
            action="delivery.created",
            actor=actor,
            obj=delivery,
            data={
                "lao": lao.code,
                "year": year.year,
                "account": account.pk,
                "channel": channel.name,
                "revisions": [revision.pk for revision in todo.revisions],
                "synthesis_version": todo.synthesis_version.number
                if todo.synthesis_version
                else None,
                "manifest_sha256": delivery.manifest_sha256,
            },
            ip_address=ip,
        )
        if channel.delivers_at_once:
            events.announce(events.HopsMoved.of(year, lao_ids=[lao.pk]))
        else:
            jobs.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def retry(*, delivery: Delivery, actor: User, ip: str | None = None) -> Delivery:
    """Send a failed delivery again, with the same idempotency key."""
    _require_deliverer(actor, delivery.lao)
    with transaction.atomic():
        queued = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.QUEUED
        )
        if not queued:
            raise Conflict(_("Only a failed delivery can be sent again. Nothing was changed."))
        audit.record(action="delivery.retried", actor=actor, obj=delivery, ip_address=ip)
        jobs.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


# --- ONESQA's side -----------------------------------------------------------------------------


def acknowledge(*, delivery: Delivery, actor: User, ip: str | None = None) -> Delivery:
    """ONESQA confirms it received the delivery; the LAO, its province and DLA see the date."""
    if not has_perm(actor, Perm.ONESQA_INBOX):
        raise NotAllowed(_("Only ONESQA reviewers acknowledge receipt of a delivery."))
    now = timezone.now()
    with transaction.atomic():
        done = Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.DELIVERED, acknowledged_at__isnull=True
        ).update(acknowledged_at=now, acknowledged_by=actor)
        if not done:
            current = Delivery.objects.select_related("acknowledged_by").get(pk=delivery.pk)
            if current.acknowledged_at is not None:
                raise Conflict(
                    _("%(who)s already acknowledged this delivery on %(when)s.")
                    % {
                        "who": current.acknowledged_by.display_name
                        if current.acknowledged_by
                        else "-",
                        "when": format_datetime(current.acknowledged_at),
                    }
                )
            raise Conflict(_("This delivery has not reached e-SAR yet."))
        audit.record(action="delivery.acknowledged", actor=actor, obj=delivery, ip_address=ip)
        events.announce(events.HopsMoved.of(delivery.year, lao_ids=[delivery.lao_id]))
        notify(
            users=lao_officers(delivery.lao_id),
            title=_("ONESQA received delivery %(receipt)s") % {"receipt": delivery},
            body=_("Received on %(when)s.") % {"when": format_datetime(now)},
            url=reverse("delivery:detail", args=[delivery.pk]),
        )
    delivery.refresh_from_db()
    return delivery


def add_note(
    *, delivered_revision: DeliveredRevision, actor: User, text: str, ip: str | None = None
) -> AssessmentNote:
    """ONESQA's note on a delivered SAR for the external assessment (ONESQA reads it only)."""
    if not has_perm(actor, Perm.ONESQA_INBOX):
        raise NotAllowed(_("Only ONESQA reviewers write notes for the external assessment."))
    text = text.strip()
    if not text:
        raise Invalid(_("Write the note before saving it."))
    if len(text) > NOTE_MAX_LENGTH:
        raise Invalid(_("A note holds at most %(count)s characters.") % {"count": NOTE_MAX_LENGTH})
    with transaction.atomic():
        note = AssessmentNote.objects.create(
            delivered_revision=delivered_revision, text=text, author=actor
        )
        # The text stays out of the audit log, which DLA reads.
        audit.record(
            action="delivery.note_added",
            actor=actor,
            obj=delivered_revision.delivery,
            data={"note": note.pk, "revision": delivered_revision.revision_id},
            ip_address=ip,
        )
    return note


def verified_file(
    *, delivery: Delivery, path: str, actor: User, ip: str | None = None
) -> PackageFile | None:
    """The file of the delivery's manifest at `path`, checked against its SHA-256 and size.

    None when the manifest lists no such path. A file changed or lost since the delivery raises
    `FileMismatch` and is recorded in the audit log: it is never served, not even in part.
    """
    found = package_file(delivery.manifest, path)
    if found is None:
        return None
    try:
        found.verify()
    except FileMismatch:
        audit.record(
            action="delivery.file_mismatch",
            actor=actor,
            obj=delivery,
            data={"path": path, "sha256": found.entry.get("sha256", "")},
            ip_address=ip,
        )
        raise
    return found
