"""The helpdesk: problems an LAO meets with e-SAR, and the contact DLA names to handle them.

An LAO officer reports a problem from the page where it happened (`Report.page_url`, always a
local path); the report gets a reference such as HD-2569-00012 (Buddhist year) and a status the
LAO follows through its `ReportUpdate` history. DLA sets the one current `HelpdeskContact`; its
earlier values are kept in the audit log. Every change goes through `esar.helpdesk.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.organizations.models import LocalAuthority

# The one row of the current contact.
CONTACT_PK = 1


class HelpdeskContact(models.Model):
    """Who handles e-SAR problem reports, as DLA set it. Nothing about it is hard-coded."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=CONTACT_PK, editable=False)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("office hours and notes"), blank=True)
    # Incremented by every save; a save that expected another version lost a race.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("helpdesk contact")
        verbose_name_plural = _("helpdesk contacts")
        constraints = [
            models.CheckConstraint(condition=Q(id=CONTACT_PK), name="helpdesk_contact_single"),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="helpdesk_contact_reachable"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportCategory(models.TextChoices):
    LOGIN = "login", _("Cannot log in")
    DELIVERY = "delivery", _("Delivery failed")
    FILE = "file", _("File problem")
    OTHER = "other", _("Other")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# The statuses a report may move to from each status. A resolved or closed report can be taken
# up again when the LAO says the problem is still there.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReportStatus.OPEN: (ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED, ReportStatus.CLOSED),
    ReportStatus.IN_PROGRESS: (ReportStatus.RESOLVED, ReportStatus.CLOSED),
    ReportStatus.RESOLVED: (ReportStatus.IN_PROGRESS, ReportStatus.CLOSED),
    ReportStatus.CLOSED: (ReportStatus.IN_PROGRESS,),
}

_STATUS_VALUES = [choice.value for choice in ReportStatus]


class Report(models.Model):
    lao = models.ForeignKey(
        LocalAuthority,
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        related_name="helpdesk_reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="helpdesk_reports",
    )
    # HD-<year>-<number>: the Buddhist year of submission and a number counted within it.
    year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    number = models.PositiveIntegerField(_("number"))
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    page_title = models.CharField(_("page title"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=ReportCategory.choices)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    # The address the report was e-mailed to (the contact at the time), and when.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_emailed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    # Institutions do not see their LAO's reports: no "institution" path.
    scope_paths = {"province": "lao__province", "lao": "lao"}

    class Meta:
        verbose_name = _("e-SAR problem report")
        verbose_name_plural = _("e-SAR problem reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="helpdesk_report_reference"),
            models.CheckConstraint(
                condition=Q(status__in=_STATUS_VALUES), name="helpdesk_report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=[choice.value for choice in ReportCategory]),
                name="helpdesk_report_category_valid",
            ),
            # A local path or nothing: the page is shown as a link and must never lead away.
            models.CheckConstraint(
                condition=Q(page_url="")
                | (Q(page_url__startswith="/") & ~Q(page_url__startswith="//")),
                name="helpdesk_report_page_local",
            ),
        ]
        indexes = [
            models.Index(fields=["lao", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        # Shown in the audit log, where DLA searches by reference or LAO code.
        return f"{self.reference} {self.lao.code} {self.lao.name_th}"

    @property
    def reference(self) -> str:
        return f"HD-{self.year}-{self.number:05d}"

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.RESOLVED, ReportStatus.CLOSED)


class ReportUpdate(models.Model):
    """One step of a report's history: its submission, a status change, or a message."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(
        _("from status"), max_length=12, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices)
    message = models.TextField(_("message"), blank=True)

    scope_paths = {"province": "report__lao__province", "lao": "report__lao"}

    class Meta:
        verbose_name = _("report update")
        verbose_name_plural = _("report updates")
        ordering = ["report", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=_STATUS_VALUES), name="helpdesk_update_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(from_status="") | Q(from_status__in=_STATUS_VALUES),
                name="helpdesk_update_from_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status or '-'} → {self.to_status}"

    @property
    def changes_status(self) -> bool:
        return self.from_status != self.to_status
