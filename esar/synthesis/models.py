"""An LAO's synthesis (สังเคราะห์) of its institutions' SARs for a year, and its issues for ONESQA.

The LAO writes its overall summary and the issues it wants ONESQA to assess; the figures are
computed from the SARs (`figures.compute`). Completing freezes a `SynthesisVersion`: the figures,
the text, the issues and the accepted revisions it was built from. Reopening needs a reason;
every completed version is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution, LocalAuthority
from esar.sar.models import Revision
from esar.standards.models import Standard


class SynthesisStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    COMPLETE = "complete", _("Complete")


class Synthesis(models.Model):
    lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        related_name="syntheses",
    )
    year = models.ForeignKey(
        AcademicYear,
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        related_name="syntheses",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SynthesisStatus.choices, default=SynthesisStatus.DRAFT
    )
    summary = models.TextField(_("overall summary"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Schools do not see their LAO's synthesis: no "institution" path.
    scope_paths = {"province": "lao__province", "lao": "lao"}

    class Meta:
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")
        ordering = ["-year", "lao__name_th"]
        constraints = [
            models.UniqueConstraint(fields=["lao", "year"], name="synthesis_one_per_year"),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in SynthesisStatus]),
                name="synthesis_status_valid",
            ),
        ]

    def __str__(self) -> str:
        # Also kept as the object of its audit events: in the language of the request.
        label = str(_("Synthesis %(year)s")) % {"year": self.year_id}
        return f"{label} {self.lao.code} {self.lao.name_th}"


class OnesqaIssue(models.Model):
    """An issue the LAO asks ONESQA to assess and follow up, tied to standards and institutions."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="issues")
    text = models.TextField(_("issue"))
    standards = models.ManyToManyField(Standard, verbose_name=_("standards"), related_name="+")
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions"), related_name="+", blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("issue for ONESQA")
        verbose_name_plural = _("issues for ONESQA")
        ordering = ["synthesis", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class SynthesisVersion(models.Model):
    """A completed synthesis, frozen: figures, text, issues and the revisions it counted."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    figures = models.JSONField(_("figures"))
    summary = models.TextField(_("overall summary"), blank=True)
    issues = models.JSONField(_("issues for ONESQA"), default=list)
    source_revisions = models.ManyToManyField(Revision, through="SynthesisSource", related_name="+")
    completed_at = models.DateTimeField(_("completed"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    scope_paths = {"province": "synthesis__lao__province", "lao": "synthesis__lao"}

    class Meta:
        verbose_name = _("completed synthesis")
        verbose_name_plural = _("completed syntheses")
        ordering = ["synthesis", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["synthesis", "number"], name="synthesis_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.synthesis} v{self.number}"


class SynthesisSource(models.Model):
    """An accepted revision a completed synthesis was built from (kept: it cannot be deleted)."""

    version = models.ForeignKey(SynthesisVersion, on_delete=models.CASCADE)
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "revision"], name="synthesis_source_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.revision_id}"
