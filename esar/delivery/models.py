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
    # The issuance this one replaced (a re-issue when the LAO's officer changed).
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    # The bulk issuance it was made in (none for a single issue).
    batch = models.ForeignKey(
        "IssuanceBatch",
        verbose_name=_("issuance batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
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


class IssuanceBatch(models.Model):
    """One bulk issuance of e-SAR accounts by DLA, for a province or for the whole country.

    Every active LAO of the scope without an active account got one, with a one-time password
    that exists in clear only in the batch's distribution files (`IssuanceProvince`): one PDF of
    letters and one Excel list per province, downloadable by DLA administrators until one of
    them deletes the files once they are handed over.
    """

    class Scope(models.TextChoices):
        PROVINCE = "province", _("One province")
        NATIONAL = "national", _("The whole country")

    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    province = models.ForeignKey(
        "organizations.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    job = models.OneToOneField(
        "core.Job",
        verbose_name=_("background job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issuance_batch",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The one-time passwords of the batch expire together.
    expires_at = models.DateTimeField(_("passwords expire"))
    provinces_total = models.PositiveIntegerField(_("provinces"), default=0)
    provinces_done = models.PositiveIntegerField(_("provinces done"), default=0)
    issued_count = models.PositiveIntegerField(_("accounts issued"), default=0)
    skipped_count = models.PositiveIntegerField(_("LAOs that already had an account"), default=0)
    files_deleted_at = models.DateTimeField(_("files deleted"), null=True, blank=True)
    files_deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("files deleted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("e-SAR account issuance")
        verbose_name_plural = _("e-SAR account issuances")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="province", province__isnull=False)
                | Q(scope="national", province__isnull=True),
                name="issuance_batch_scope_matches_province",
            ),
            models.CheckConstraint(
                condition=Q(provinces_done__lte=models.F("provinces_total")),
                name="issuance_batch_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Issuance of e-SAR accounts #%(number)s")) % {"number": self.pk}

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def has_files(self) -> bool:
        return self.files_deleted_at is None


class IssuanceProvince(models.Model):
    """One province's part of a batch: what it issued and its distribution files.

    Written in the same transaction as the province's accounts, so a province is issued once per
    batch (a task the broker delivers twice finds it done) and never without its letters.
    """

    batch = models.ForeignKey(
        IssuanceBatch,
        verbose_name=_("issuance batch"),
        on_delete=models.CASCADE,
        related_name="provinces",
    )
    province = models.ForeignKey(
        "organizations.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued = models.PositiveIntegerField(_("accounts issued"), default=0)
    skipped = models.PositiveIntegerField(_("LAOs that already had an account"), default=0)
    # LAOs whose username esar<code> belongs to another account: [{"lao": code, "username": …}].
    conflicts = models.JSONField(_("usernames taken by another account"), default=list, blank=True)
    # Nothing was issued here: an unexpected error rolled the province back (issue it again).
    failed = models.BooleanField(_("failed"), default=False)
    pdf_path = models.CharField(_("letters (PDF)"), max_length=500, blank=True)
    xlsx_path = models.CharField(_("list (Excel)"), max_length=500, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("PDF size"), default=0)
    xlsx_size = models.PositiveBigIntegerField(_("Excel size"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("province of an issuance")
        verbose_name_plural = _("provinces of an issuance")
        ordering = ["province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "province"], name="issuance_province_once_per_batch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.province_id}"

    @property
    def has_files(self) -> bool:
        return bool(self.pdf_path or self.xlsx_path)


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
