"""Education standard sets as versioned data.

A standard set belongs to one education level (early childhood, basic, vocational) and takes
effect from an academic year. A report records the set it was written against, so a later set
replaces an earlier one for new years without touching past reports. Sets, standards, items and
quality levels are never edited once a report uses them; a change is a new version.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from esar.organizations.models import EducationLevel, LocalizedNameMixin


class StandardSetQuerySet(models.QuerySet["StandardSet"]):
    def in_force(self, level: str, year: int) -> StandardSet | None:
        """The set of `level` that applies to academic year `year` (B.E.), or None."""
        return (
            self.filter(education_level=level, effective_from_year__lte=year, is_active=True)
            .order_by("-effective_from_year", "-version")
            .first()
        )


class StandardSet(LocalizedNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    education_level = models.CharField(
        _("education level"), max_length=16, choices=EducationLevel.choices
    )
    version = models.PositiveSmallIntegerField(
        _("version (B.E. year of the announcement)"),
        help_text=_("For example 2561 for the Ministry's announcement of 2018."),
    )
    effective_from_year = models.PositiveSmallIntegerField(_("in force from academic year (B.E.)"))
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    source_th = models.CharField(
        _("source (Thai)"),
        max_length=255,
        blank=True,
        help_text=_("The announcement that set these standards."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive sets are not offered for new reports.")
    )
    good_rank = models.PositiveSmallIntegerField(
        _("lowest rank that counts as good"),
        default=3,
        help_text=_("Syntheses list institutions below this level on any standard (3 = good)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = StandardSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard set")
        verbose_name_plural = _("standard sets")
        ordering = ["education_level", "-effective_from_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["education_level", "version"], name="standard_set_level_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(education_level__in=[choice.value for choice in EducationLevel]),
                name="standard_set_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QualityLevel(LocalizedNameMixin, models.Model):
    """One of the ordered quality levels of a set: 1 developing … 5 excellent for the 2561 sets."""

    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="quality_levels"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the lowest."))
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("quality level")
        verbose_name_plural = _("quality levels")
        ordering = ["standard_set", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard_set", "rank"], name="quality_level_rank_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Standard(LocalizedNameMixin, models.Model):
    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="standards"
    )
    number = models.CharField(_("number"), max_length=10)
    name_th = models.CharField(_("name (Thai)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["standard_set", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard_set", "number"], name="standard_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class StandardItem(LocalizedNameMixin, models.Model):
    """An item (ประเด็นพิจารณา) of a standard: what a report rates and describes."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("number"), max_length=12, help_text=_("For example 1.1.3 or 2.4."))
    group_th = models.CharField(
        _("group (Thai)"),
        max_length=255,
        blank=True,
        help_text=_("A heading that several items share, such as 1.1 academic achievement."),
    )
    group_en = models.CharField(_("group (English)"), max_length=255, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="standard_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def group_name(self) -> str:
        """The group heading in the active language (Thai when there is no English)."""
        lang = translation.get_language() or "th"
        if lang.startswith("en") and self.group_en:
            return self.group_en
        return self.group_th
