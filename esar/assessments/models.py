"""ONESQA's external assessments of institutions, and the target group they imply.

The target group of an academic year is every active institution that ONESQA never assessed, or
last assessed on or before the year's cutoff (semester 1 opening minus the year's rule, 5 years by
default). It is computed by a NOT EXISTS over the history, so every list can filter by it without
storing a flag that could go stale.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.organizations.models import Institution


class ExternalAssessment(models.Model):
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="external_assessments",
    )
    round = models.CharField(
        _("round"),
        max_length=40,
        blank=True,
        help_text=_("ONESQA's round (1–4) or the fiscal year of the assessment."),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), null=True, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    result = models.CharField(_("result"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    scope_paths = {
        "province": "institution__lao__province",
        "lao": "institution__lao",
        "institution": "institution",
    }

    class Meta:
        verbose_name = _("external assessment")
        verbose_name_plural = _("external assessments")
        ordering = ["institution", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "assessed_on"], name="external_assessment_unique_date"
            ),
        ]
        indexes = [models.Index(fields=["institution", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.assessed_on:%Y-%m-%d}"


def recent_assessment_exists(cutoff, institution_ref: str = "pk") -> Exists:
    """EXISTS an assessment after `cutoff` for the outer institution (so: not in the target group)."""
    return Exists(
        ExternalAssessment.objects.filter(
            institution=OuterRef(institution_ref), assessed_on__gt=cutoff
        )
    )
