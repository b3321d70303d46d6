"""Supervision visits (นิเทศ กำกับ ติดตาม): a province supervisor's visit to an LAO or one of its
institutions, what was found and recommended, and the follow-up actions with their due dates.

A visit names exactly one target (an LAO or an institution). The target's LAO and province are
copied onto the visit by `esar.supervision.services`, so that scoping and the province and LAO
filters read one row without joins through the target. Every change goes through the services.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.organizations.models import Institution, LocalAuthority, Province


class Visit(models.Model):
    target_lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority visited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_visits",
    )
    target_institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution visited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_visits",
    )
    # Copied from the target: the LAO visited, or the LAO of the institution visited.
    lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    visit_date = models.DateField(_("date of the visit"))
    visitors = models.TextField(
        _("supervision team"), help_text=_("One person a line: name and position.")
    )
    findings = models.TextField(_("findings"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Incremented by every edit; an edit made on an older version lost a race.
    version = models.PositiveIntegerField(default=1)

    # A school officer sees the visits to their institution; an LAO officer those to the LAO and
    # to any of its institutions.
    scope_paths = {"province": "province", "lao": "lao", "institution": "target_institution"}

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visit_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_lao__isnull=False) & Q(target_institution__isnull=True))
                | (Q(target_lao__isnull=True) & Q(target_institution__isnull=False)),
                name="supervision_visit_one_target",
            ),
            models.CheckConstraint(
                condition=Q(target_lao__isnull=True) | Q(target_lao=F("lao")),
                name="supervision_visit_lao_is_target",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "-visit_date"]),
            models.Index(fields=["lao", "-visit_date"]),
            models.Index(fields=["-visit_date", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.visit_date.isoformat()} {self.target_name}"

    @property
    def target(self) -> LocalAuthority | Institution | None:
        # None only for a visit whose target is missing (both foreign keys are nullable).
        return self.target_institution if self.target_institution_id else self.target_lao

    @property
    def target_name(self) -> str:
        return self.target.name if self.target is not None else ""

    @property
    def target_code(self) -> str:
        return self.target.code if self.target is not None else ""

    @property
    def is_to_institution(self) -> bool:
        return self.target_institution_id is not None


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class FollowUp(models.Model):
    """One action the visit asked for, who is to do it and by when."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.TextField(_("action"))
    responsible = models.CharField(_("responsible"), max_length=200)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    scope_paths = {
        "province": "visit__province",
        "lao": "visit__lao",
        "institution": "visit__target_institution",
    }

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in FollowUpStatus]),
                name="supervision_follow_up_status_valid",
            ),
            # Closed exactly when it carries who closed it and when.
            models.CheckConstraint(
                condition=(
                    Q(status=FollowUpStatus.OPEN)
                    & Q(closed_at__isnull=True)
                    & Q(closed_by__isnull=True)
                )
                | (
                    Q(status=FollowUpStatus.CLOSED)
                    & Q(closed_at__isnull=False)
                    & Q(closed_by__isnull=False)
                ),
                name="supervision_follow_up_closed_fields",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.action[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == FollowUpStatus.OPEN

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_date < (today or timezone.localdate())
