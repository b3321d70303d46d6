"""Deliveries of an LAO's accepted SARs and completed synthesis into ONESQA's e-SAR store.

DLA issues each LAO one e-SAR account (`EsarAccount`); only that account delivers, and every
delivery records which issuance it was made with. A delivery is a package: the accepted revisions
not delivered before and the completed synthesis version not delivered before, listed in a
manifest with the SHA-256 of every file. A revision or synthesis version is delivered at most once
(unique rows), so a later revision of the same SAR is a second delivery, and both stay visible.
ONESQA acknowledges receipt and keeps its own notes for the external assessment.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear
from esar.organizations.models import LocalAuthority
from esar.sar.models import Revision
from esar.synthesis.models import SynthesisVersion

LAO_SCOPE = {"province": "lao__province", "lao": "lao"}


class EsarAccount(models.Model):
    """One issuance of an LAO's e-SAR account by DLA; a re-issue revokes the previous one."""

    lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        related_name="esar_accounts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="esar_accounts",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_paths = LAO_SCOPE

    class Meta:
        verbose_name = _("e-SAR account")
        verbose_name_plural = _("e-SAR accounts")
        ordering = ["lao", "-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lao"],
                condition=Q(revoked_at__isnull=True),
                name="esar_account_one_active_per_lao",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="esar_account_revocation_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"e-SAR {self.lao.code} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Channel(models.TextChoices):
    BUILTIN = "builtin", _("e-SAR store of this system")
    REMOTE = "remote", _("Remote e-SAR")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    year = models.ForeignKey(
        AcademicYear,
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    account = models.ForeignKey(
        EsarAccount,
        verbose_name=_("e-SAR account"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("delivered on"), default=timezone.now)
    # Set from the primary key in the transaction that creates the row: "ESAR-2569-000123".
    receipt_number = models.CharField(
        _("receipt number"), max_length=32, unique=True, null=True, blank=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    # Sent to the remote e-SAR with every attempt, so that a retried request is stored once.
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True)
    manifest = models.JSONField(_("manifest"), default=dict)
    manifest_sha256 = models.CharField(_("manifest SHA-256"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    remote_receipt = models.CharField(_("e-SAR receipt"), max_length=255, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    acknowledged_at = models.DateTimeField(_("received by ONESQA"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_paths = LAO_SCOPE

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in DeliveryStatus]),
                name="delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[choice.value for choice in Channel]),
                name="delivery_channel_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.DELIVERED) | Q(delivered_at__isnull=False),
                name="delivery_delivered_has_date",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(status=DeliveryStatus.DELIVERED),
                name="delivery_acknowledged_only_when_delivered",
            ),
        ]
        indexes = [
            models.Index(fields=["lao", "year"]),
            models.Index(fields=["year", "status"]),
        ]

    def __str__(self) -> str:
        return self.receipt_number or f"delivery #{self.pk}"


class DeliveredRevision(models.Model):
    """An accepted revision in a delivery: a revision is delivered once, ever."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="revisions")
    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, related_name="delivered", verbose_name=_("revision")
    )

    scope_paths = {"province": "delivery__lao__province", "lao": "delivery__lao"}

    class Meta:
        verbose_name = _("delivered revision")
        verbose_name_plural = _("delivered revisions")
        ordering = ["delivery", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery}: {self.revision_id}"


class DeliveredSynthesis(models.Model):
    """A completed synthesis version in a delivery: delivered once, ever."""

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="syntheses")
    synthesis_version = models.OneToOneField(
        SynthesisVersion,
        on_delete=models.PROTECT,
        related_name="delivered",
        verbose_name=_("completed synthesis"),
    )

    scope_paths = {"province": "delivery__lao__province", "lao": "delivery__lao"}

    class Meta:
        verbose_name = _("delivered synthesis")
        verbose_name_plural = _("delivered syntheses")

    def __str__(self) -> str:
        return f"{self.delivery}: {self.synthesis_version_id}"


class AssessmentNote(models.Model):
    """ONESQA's own note on a delivered SAR for the external assessment; only ONESQA reads it."""

    delivered_revision = models.ForeignKey(
        DeliveredRevision, on_delete=models.PROTECT, related_name="notes"
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    # No province or LAO path: nobody below the national agencies sees a note, and the selectors
    # let only ONESQA reviewers through.
    scope_paths: dict[str, str] = {}

    class Meta:
        verbose_name = _("note for the external assessment")
        verbose_name_plural = _("notes for the external assessment")
        ordering = ["delivered_revision", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
