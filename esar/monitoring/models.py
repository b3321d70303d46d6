"""Progress rows: where every institution and LAO stands on each hop of a year, in one place.

One row per (institution, year) and per (LAO, year) keeps the time of each hop and whether it was
late; one row per (province, year) keeps the quality levels of the province's accepted SARs. They
are derived data: `esar.monitoring.progress` recomputes them from the reports themselves inside the
transaction of every service that moves a hop, and again for a whole year when rules change
(deadlines, the target group, the registry). Dashboards, exports, reminders and the API read
these rows only, so every page shows the same figures and none counts 50,000 reports.

"On time" and "late" are stored (they depend on the year's deadlines, refreshed when DLA edits
them); "overdue" depends on today and is decided when read (see `esar.monitoring.status`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution, LocalAuthority, Province


class SarState(models.TextChoices):
    """An institution's SAR for the year, as its LAO sees it."""

    NONE = "none", _("Not started")
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


class InstitutionProgress(models.Model):
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="progress")
    # Where the institution sits (copied from the registry when the row is refreshed).
    lao = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    in_target_group = models.BooleanField(_("target group"), default=False)
    sar_id = models.BigIntegerField(null=True, blank=True)
    sar_state = models.CharField(
        _("SAR"), max_length=10, choices=SarState.choices, default=SarState.NONE
    )
    submitted_at = models.DateTimeField(_("first sent to the LAO"), null=True, blank=True)
    submitted_late = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_late = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(_("delivered to e-SAR"), null=True, blank=True)
    delivered_late = models.BooleanField(default=False)
    received_at = models.DateTimeField(_("received by ONESQA"), null=True, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    scope_paths = {"province": "province", "lao": "lao", "institution": "institution"}

    class Meta:
        verbose_name = _("institution progress")
        verbose_name_plural = _("institution progress")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"], name="institution_progress_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(sar_state__in=[choice.value for choice in SarState]),
                name="institution_progress_state_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "lao"]),
            models.Index(fields=["year", "province"]),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year_id}: {self.sar_state}"


class LaoProgress(models.Model):
    """An LAO's own hops and the counts of its institutions' hops (all, and the target group)."""

    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    lao = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="progress")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    # The LAO's hops.
    synthesis_completed_at = models.DateTimeField(_("synthesis complete"), null=True, blank=True)
    synthesis_late = models.BooleanField(default=False)
    delivered_at = models.DateTimeField(_("delivered to e-SAR"), null=True, blank=True)
    delivered_late = models.BooleanField(default=False)
    received_at = models.DateTimeField(_("received by ONESQA"), null=True, blank=True)
    # Its active institutions' hops; t_* count the target group only.
    institutions = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    submitted_late = models.PositiveIntegerField(default=0)
    awaiting_review = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    accepted_late = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    t_institutions = models.PositiveIntegerField(default=0)
    t_submitted = models.PositiveIntegerField(default=0)
    t_submitted_late = models.PositiveIntegerField(default=0)
    t_accepted = models.PositiveIntegerField(default=0)
    t_accepted_late = models.PositiveIntegerField(default=0)
    t_delivered = models.PositiveIntegerField(default=0)
    t_received = models.PositiveIntegerField(default=0)
    # Quality levels of the accepted SARs: {"items": {id: {rank: n}}, "standards": {...}}.
    levels = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField(default=timezone.now)

    scope_paths = {"province": "province", "lao": "lao"}

    class Meta:
        verbose_name = _("LAO progress")
        verbose_name_plural = _("LAO progress")
        constraints = [
            models.UniqueConstraint(fields=["lao", "year"], name="lao_progress_one_per_year"),
        ]
        indexes = [models.Index(fields=["year", "province"])]

    def __str__(self) -> str:
        return f"{self.lao_id} {self.year_id}"


class ProvinceProgress(models.Model):
    """The quality levels of a province's accepted SARs (the sum of its LAOs' rows).

    Counts of hops are summed from `LaoProgress` when read (a few thousand rows at most); the
    level tallies are kept here so that the national dashboard reads 77 small rows.
    """

    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="progress")
    levels = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField(default=timezone.now)

    scope_paths = {"province": "province"}

    class Meta:
        verbose_name = _("province progress")
        verbose_name_plural = _("province progress")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"], name="province_progress_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.year_id}"


# --- Reminders ---------------------------------------------------------------------------------


class ReminderSettings(models.Model):
    """When the daily reminders go out (one row, edited by DLA's administrators)."""

    enabled = models.BooleanField(_("send reminders"), default=True)
    days_before = models.PositiveSmallIntegerField(
        _("days before a deadline"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
        help_text=_("A first reminder goes out this many days before each deadline (0: none)."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("repeat while overdue, every (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "After the day after the deadline, reminders repeat this often until it is done."
        ),
    )
    escalate = models.BooleanField(
        _("tell province supervisors about overdue LAOs"),
        default=True,
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reminder_settings_single_row"),
            models.CheckConstraint(
                condition=Q(days_before__lte=60), name="reminder_settings_days_before_range"
            ),
            models.CheckConstraint(
                condition=Q(overdue_every_days__gte=1) & Q(overdue_every_days__lte=60),
                name="reminder_settings_overdue_every_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> ReminderSettings:
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class ReminderRun(models.Model):
    """One run of the daily reminder job, for operators."""

    day = models.DateField(_("day"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    people_owing = models.PositiveIntegerField(_("people with a reminder due"), default=0)
    reminded = models.PositiveIntegerField(_("people reminded"), default=0)
    supervisors_reminded = models.PositiveIntegerField(_("supervisors told"), default=0)
    already_reminded = models.PositiveIntegerField(_("already reminded that day"), default=0)
    # How many reminders of each hop went out: {"sar_submission": n, ..., "escalation": n}.
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.day} ({self.pk})"


class ReminderDigest(models.Model):
    """The claim that a person got their digest of a day: at most one per person per day.

    The job claims rows with `bulk_create(ignore_conflicts=True)` under its run, then re-reads the
    rows of its run to learn which people are its own; a second run the same day claims nobody.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    run = models.ForeignKey(ReminderRun, on_delete=models.CASCADE, related_name="digests")
    escalation = models.BooleanField(default=False)
    items = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="reminder_digest_one_per_day"),
        ]
        indexes = [models.Index(fields=["run", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
