from __future__ import annotations

from datetime import datetime

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
    # The LAO's e-SAR delivery account (set by the delivery app when DLA issues it): an LAO
    # membership whose one-time password travels on printed letters, so it may only deliver,
    # follow deliveries and report to the helpdesk (see permissions.DELIVERY_ACCOUNT_PERMISSIONS).
    delivery_account = models.BooleanField(_("e-SAR delivery account"), default=False)

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


class AccountPolicy(models.Model):
    """Login rules DLA sets for the whole system (one row)."""

    initial_password_days = models.PositiveSmallIntegerField(
        _("days an issued one-time password stays valid"),
        default=14,
        help_text=_("An issued or reset password not used within this many days stops working."),
    )
    require_second_factor = models.BooleanField(
        _("require a second factor (TOTP) for DLA and province roles"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("account policy")
        verbose_name_plural = _("account policy")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="account_policy_single_row")]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> AccountPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class OneTimePassword(models.Model):
    """A password someone else set for the account (issued or reset), until its owner changes it.

    It works for one log-in only, before `expires_at`; that log-in leads straight to choosing a
    new password. The row stays as the record of who issued it and when it was used and replaced.
    """

    class Reason(models.TextChoices):
        ISSUED = "issued", _("Account issued")
        RESET = "reset", _("Password reset")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="one_time_password", verbose_name=_("user")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used to log in"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced by the owner's password"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time password")
        verbose_name_plural = _("one-time passwords")

    def __str__(self) -> str:
        return f"{self.user.username}: {self.get_reason_display()}"

    @property
    def is_pending(self) -> bool:
        """The owner has not chosen their own password yet."""
        return self.replaced_at is None


class LoginDevice(models.Model):
    """A browser (or an API script) that signed in to the account before.

    Its key travels in a cookie (or in the token request); only its hash is stored. Wrong
    passwords sent with it are counted here, not against the username and address, so that a
    colleague guessing from the same office address cannot lock the owner out (see
    `esar.accounts.lockout`).
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="login_devices"
    )
    key_hash = models.CharField(_("key (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("first sign-in"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last sign-in"), default=timezone.now)
    failures = models.PositiveSmallIntegerField(_("failed sign-ins since the last one"), default=0)

    class Meta:
        verbose_name = _("sign-in device")
        verbose_name_plural = _("sign-in devices")

    def __str__(self) -> str:
        return f"{self.user.username}: {self.created_at:%Y-%m-%d}"


# Every API token starts with this, so that secret scanners and people recognise one.
TOKEN_PREFIX = "esar_"  # noqa: S105 (a public marker, not a secret)


class ApiToken(models.Model):
    """A bearer token for the API. The token itself is shown once and never stored.

    A key prefix finds the row, the SHA-256 of the whole token checks it (`esar.accounts.tokens`).
    The table keeps the name it had in the API app (`api_apitoken`): the model moved, its rows
    did not.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        db_table = "api_apitoken"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{TOKEN_PREFIX}{self.key_prefix}_…"

    def is_usable(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at and self.user.is_active
