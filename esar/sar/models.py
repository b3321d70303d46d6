"""Self-assessment reports (SARs), their immutable revisions, files and review outcomes.

One SAR per institution and academic year. The school edits a draft (`Sar.content`, the document
PDF and evidence files); submitting freezes a copy as a `Revision` with the hashes of its content
and files. The LAO accepts a revision or returns it with reasons; a returned SAR is edited and
submitted again as a new revision. Revisions and files are never changed or deleted.

Every state change goes through `esar.sar.services`, guarded by a conditional UPDATE on the
expected state (`Sar.version`, `Revision.status`), so two people acting at once cannot overwrite
each other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.standards.models import QualityLevel, Standard, StandardItem, StandardSet

_INSTITUTION_SCOPE = {
    "province": "institution__lao__province",
    "lao": "institution__lao",
    "institution": "institution",
}


def _prefixed(prefix: str) -> dict[str, str]:
    return {level: f"{prefix}__{path}" for level, path in _INSTITUTION_SCOPE.items()}


class SarStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


EDITABLE_STATUSES = (SarStatus.DRAFT, SarStatus.RETURNED)


class Sar(models.Model):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="sars"
    )
    year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="sars"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SarStatus.choices, default=SarStatus.DRAFT
    )
    standard_sets = models.ManyToManyField(
        StandardSet, verbose_name=_("standard sets"), related_name="sars", through="SarStandardSet"
    )
    # The draft: basic data, ratings and narrative per item, overall summary (see content.py).
    content = models.JSONField(_("draft content"), default=dict, blank=True)
    document = models.ForeignKey(
        "Attachment",
        verbose_name=_("SAR document (PDF)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence: models.ManyToManyField[Attachment, Any] = models.ManyToManyField(
        "Attachment", verbose_name=_("evidence files"), related_name="+", blank=True
    )
    current_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("latest revision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Incremented by every write; a write that expected another version lost a race.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    scope_paths = _INSTITUTION_SCOPE

    class Meta:
        verbose_name = _("self-assessment report")
        verbose_name_plural = _("self-assessment reports")
        ordering = ["-year", "institution_id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="sar_one_per_year"),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in SarStatus]),
                name="sar_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=SarStatus.DRAFT) | Q(current_revision__isnull=False),
                name="sar_sent_has_revision",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        # Shown in the audit log, where DLA searches by the institution's code or name.
        return f"SAR {self.year_id} {self.institution.code} {self.institution.name_th}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class SarStandardSet(models.Model):
    """The standard set a SAR is written against for one level; a set in use cannot be deleted."""

    sar = models.ForeignKey(Sar, on_delete=models.CASCADE)
    standard_set = models.ForeignKey(StandardSet, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sar", "standard_set"], name="sar_standard_set_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sar_id}: {self.standard_set_id}"


class AttachmentKind(models.TextChoices):
    DOCUMENT = "document", _("SAR document")
    EVIDENCE = "evidence", _("Evidence")


def attachment_path(instance: Attachment, filename: str) -> str:
    # Named by content hash: the stored name never depends on what the user typed.
    return f"sar/{instance.sar.year_id}/{instance.sar.institution_id}/{instance.sha256}.pdf"


class Attachment(models.Model):
    """A stored file of a SAR: written once, never changed; drafts and revisions point to it."""

    sar = models.ForeignKey(Sar, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(max_length=100, default="application/pdf")
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    scope_paths = _prefixed("sar")

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["sar", "sha256"])]

    def __str__(self) -> str:
        return self.original_name


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")


class Revision(models.Model):
    """A submitted SAR, frozen: its content and files never change."""

    sar = models.ForeignKey(Sar, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    content = models.JSONField(_("content"))
    content_sha256 = models.CharField(_("content SHA-256"), max_length=64)
    document = models.ForeignKey(
        Attachment, verbose_name=_("SAR document (PDF)"), on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ManyToManyField(
        Attachment, related_name="+", blank=True, through="RevisionEvidence"
    )
    standard_sets = models.ManyToManyField(
        StandardSet, related_name="+", through="RevisionStandardSet"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)
    status = models.CharField(
        _("review"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)

    scope_paths = _prefixed("sar")

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["sar", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sar", "number"], name="revision_number_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in RevisionStatus]),
                name="revision_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=RevisionStatus.PENDING, reviewed_at__isnull=True)
                | (
                    ~Q(status=RevisionStatus.PENDING)
                    & Q(reviewed_at__isnull=False, reviewed_by__isnull=False)
                ),
                name="revision_review_recorded",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.sar} r{self.number}"


class RevisionStandardSet(models.Model):
    revision = models.ForeignKey("Revision", on_delete=models.CASCADE)
    standard_set = models.ForeignKey(StandardSet, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "standard_set"], name="revision_standard_set_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision_id}: {self.standard_set_id}"


class RevisionEvidence(models.Model):
    """An evidence file frozen into a revision; a file a revision holds cannot be deleted."""

    revision = models.ForeignKey("Revision", on_delete=models.CASCADE)
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "attachment"], name="revision_evidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.revision_id}: {self.attachment_id}"


class RevisionRating(models.Model):
    """The level an item reached in a revision: rows, so that syntheses and dashboards can count."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(QualityLevel, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(
        QualityLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["revision", "item"], name="revision_rating_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.revision_id} {self.item_id}: {self.level_id}"


class RevisionStandardRating(models.Model):
    """The level a standard as a whole reached in a revision (for "below good on a standard")."""

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="standard_ratings"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(QualityLevel, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("standard rating")
        verbose_name_plural = _("standard ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "standard"], name="revision_standard_rating_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.revision_id} {self.standard_id}: {self.level_id}"


class ReturnReason(models.Model):
    """Why a revision was returned, attached to a part of the report."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="reasons")
    # "general", "basic_data", "summary", "document", "evidence" or "item" (with `item`).
    section = models.CharField(_("part of the report"), max_length=20)
    item = models.ForeignKey(
        StandardItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("reason for return")
        verbose_name_plural = _("reasons for return")
        ordering = ["revision", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(section="item") & Q(item__isnull=False))
                | (~Q(section="item") & Q(item__isnull=True)),
                name="return_reason_item_matches_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:60]}"
