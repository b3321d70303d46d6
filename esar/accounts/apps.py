from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "esar.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from esar.accounts import signals  # noqa: F401
        from esar.accounts.roles import Role
        from esar.core import audit_labels

        # The audit log spells roles out in words.
        audit_labels.register_choices(Role)
