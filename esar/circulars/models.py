"""Circulars (หนังสือเวียน): letters DLA sends to the provinces, or to everyone, with attachments.

A circular is written as a draft, then published; once published its text and files no longer
change (a mistake is corrected by withdrawing it and publishing a new one). Its audience is a set
of provinces (none = the whole country) and a set of roles (none = every role), so "to Chiang Mai
only" and "for LAO officers" are both expressible. Every change goes through
`esar.circulars.services`; who sees what is decided by `esar.circulars.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.accounts.roles import Role
from esar.organizations.models import Province


class CircularStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_STATUS_VALUES = [choice.value for choice in CircularStatus]


class Circular(models.Model):
    # As printed on the letter, e.g. "มท 0816.4/ว 1234"; unique within its (Buddhist) year.
    number = models.CharField(_("number"), max_length=64)
    # The Buddhist-era calendar year of `issued_on`, kept by the services for the uniqueness rule.
    year = models.PositiveSmallIntegerField(_("year (B.E.)"), editable=False)
    title = models.CharField(_("title"), max_length=255)
    issued_on = models.DateField(_("date"))
    body = models.TextField(_("text"), blank=True)
    provinces = models.ManyToManyField(
        Province,
        verbose_name=_("provinces"),
        blank=True,
        related_name="+",
        help_text=_("None: the whole country."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CircularStatus.choices, default=CircularStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="circular_number_per_year"),
            models.CheckConstraint(
                condition=Q(status__in=_STATUS_VALUES), name="circular_status_valid"
            ),
            # A draft was never published; anything else was, and says when and by whom.
            models.CheckConstraint(
                condition=Q(
                    status=CircularStatus.DRAFT,
                    published_at__isnull=True,
                    published_by__isnull=True,
                )
                | Q(
                    status__in=[CircularStatus.PUBLISHED, CircularStatus.WITHDRAWN],
                    published_at__isnull=False,
                    published_by__isnull=False,
                ),
                name="circular_published_stamped",
            ),
            models.CheckConstraint(
                condition=Q(status=CircularStatus.WITHDRAWN, withdrawn_at__isnull=False)
                | (~Q(status=CircularStatus.WITHDRAWN) & Q(withdrawn_at__isnull=True)),
                name="circular_withdrawn_stamped",
            ),
        ]
        indexes = [models.Index(fields=["status", "-issued_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == CircularStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == CircularStatus.PUBLISHED


class CircularRole(models.Model):
    """One role a circular is meant for; a circular without any is meant for every role."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="audience_roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("audience role")
        verbose_name_plural = _("audience roles")
        constraints = [
            models.UniqueConstraint(fields=["circular", "role"], name="circular_role_once"),
            models.CheckConstraint(
                condition=Q(role__in=[choice.value for choice in Role]),
                name="circular_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["role", "circular"])]

    def __str__(self) -> str:
        return f"{self.circular_id}: {self.role}"


def attachment_path(instance: CircularAttachment, filename: str) -> str:
    # Named by content hash: the stored name never depends on what the user typed.
    return f"circulars/{instance.circular_id}/{instance.sha256}.{instance.extension}"


class CircularAttachment(models.Model):
    circular = models.ForeignKey(Circular, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "sha256"], name="circular_file_once"),
            models.CheckConstraint(
                condition=Q(extension__in=["pdf", "docx", "xlsx"]),
                name="circular_file_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class CircularRead(models.Model):
    """That a person opened a circular's page (the first time)."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [
            models.UniqueConstraint(fields=["user", "circular"], name="circular_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.circular_id}"
