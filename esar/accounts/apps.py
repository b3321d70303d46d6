from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "esar.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from esar.accounts import signals  # noqa: F401
        from esar.accounts.permissions import Perm, has_perm, role_of
        from esar.accounts.roles import Role
        from esar.accounts.selectors import looks_after_accounts
        from esar.core import access, audit_labels, sections

        # The audit log spells roles out in words.
        audit_labels.register_choices(Role)

        # The kernel's pages ask accounts who may read them; its own pages join the menu.

        access.register_check(access.AUDIT_VIEW, lambda user: has_perm(user, Perm.AUDIT_VIEW))
        access.register_check(access.EVERY_JOB, lambda user: role_of(user) is Role.DLA_ADMIN)
        sections.register_menu_entry(
            _("Reset passwords"),
            "accounts:account_list",
            section="accounts",
            menu="more",
            order=100,
            when=looks_after_accounts,
        )
        sections.register_menu_entry(
            _("Account policy"),
            "accounts:policy",
            section="account_policy",
            menu="more",
            order=120,
            when=lambda user: has_perm(user, Perm.ACCOUNT_POLICY_EDIT),
        )
