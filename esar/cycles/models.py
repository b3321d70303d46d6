"""Academic years (Buddhist era) and the settings DLA sets for each: dates, deadlines, rules.

Nothing of the yearly cycle is a constant in code: the opening of semester 1, the deadline of each
hop, the target-group rule and the upload limit are fields of the year, edited by DLA.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Hop(models.TextChoices):
    """The deadlines of one year's cycle, in the order they fall."""

    SAR_SUBMISSION = "sar_submission", _("School sends its SAR to the LAO")
    LAO_REVIEW = "lao_review", _("LAO reviews the SARs")
    LAO_SYNTHESIS = "lao_synthesis", _("LAO completes its synthesis")
    ESAR_DELIVERY = "esar_delivery", _("LAO delivers the SARs into e-SAR")


class AcademicYearQuerySet(models.QuerySet["AcademicYear"]):
    def current(self, today: dt.date | None = None) -> AcademicYear | None:
        """The year whose semester 1 has opened most recently (the one being reported on)."""
        today = today or timezone.localdate()
        return self.filter(semester1_start__lte=today).order_by("-semester1_start").first()


class AcademicYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("academic year (B.E.)"),
        primary_key=True,
        validators=[MinValueValidator(2500), MaxValueValidator(2700)],
    )
    semester1_start = models.DateField(_("semester 1 opens"))
    sar_due = models.DateField(_("SAR to the LAO by"))
    review_due = models.DateField(_("LAO review by"))
    synthesis_due = models.DateField(_("LAO synthesis by"))
    delivery_due = models.DateField(_("delivery into e-SAR by"))
    target_group_years = models.PositiveSmallIntegerField(
        _("target group: years since the last external assessment"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "Institutions never assessed by ONESQA, or last assessed this many years or more "
            "before semester 1 opened, are in the target group."
        ),
    )
    upload_limit_mb = models.PositiveIntegerField(
        _("largest file accepted (MB)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(2048)],
    )
    is_open = models.BooleanField(
        _("open for reports"),
        default=True,
        help_text=_("Schools can write and send SARs for an open year."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = AcademicYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sar_due__gte=F("semester1_start"))
                & Q(review_due__gte=F("sar_due"))
                & Q(synthesis_due__gte=F("review_due"))
                & Q(delivery_due__gte=F("synthesis_due")),
                name="academic_year_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    def due(self, hop: Hop | str) -> dt.date:
        return {
            Hop.SAR_SUBMISSION: self.sar_due,
            Hop.LAO_REVIEW: self.review_due,
            Hop.LAO_SYNTHESIS: self.synthesis_due,
            Hop.ESAR_DELIVERY: self.delivery_due,
        }[Hop(hop)]

    def is_late(self, hop: Hop | str, when: dt.datetime) -> bool:
        """Late when done after the end of the due day, Thai time."""
        return timezone.localdate(when) > self.due(hop)

    def target_group_cutoff(self) -> dt.date:
        """An assessment on or before this date is old enough to put an institution in the group."""
        start = self.semester1_start
        year = start.year - self.target_group_years
        try:
            return start.replace(year=year)
        except ValueError:  # 29 February
            return start.replace(year=year, day=28)
