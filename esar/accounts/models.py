from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esar.accounts.roles import AGENCY_ROLES, Role


class User(AbstractUser):
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """The one organisation and role of an account."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    province_office = models.ForeignKey(
        "organizations.ProvincialOffice",
        verbose_name=_("provincial office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    lao = models.ForeignKey(
        "organizations.LocalAuthority",
        verbose_name=_("local authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    institution = models.ForeignKey(
        "organizations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_organization_matches_role",
                condition=(
                    Q(
                        role__in=sorted(r.value for r in AGENCY_ROLES),
                        agency__isnull=False,
                        province_office__isnull=True,
                        lao__isnull=True,
                        institution__isnull=True,
                    )
                    | Q(
                        role=Role.PROVINCE_SUPERVISOR,
                        agency__isnull=True,
                        province_office__isnull=False,
                        lao__isnull=True,
                        institution__isnull=True,
                    )
                    | Q(
                        role=Role.LAO_OFFICER,
                        agency__isnull=True,
                        province_office__isnull=True,
                        lao__isnull=False,
                        institution__isnull=True,
                    )
                    | Q(
                        role=Role.SCHOOL_OFFICER,
                        agency__isnull=True,
                        province_office__isnull=True,
                        lao__isnull=True,
                        institution__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_role_display()} ({self.organization})"

    @property
    def organization(self):
        return self.agency or self.province_office or self.lao or self.institution

    @property
    def organization_code(self) -> str:
        org = self.organization
        if org is None:
            return ""
        return str(getattr(org, "code", None) or org.pk)
