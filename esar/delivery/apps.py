from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    # The architecture calls this room "esar"; the project package already has that name.
    name = "esar.delivery"
    label = "delivery"
    verbose_name = _("Deliveries into e-SAR")

    def ready(self) -> None:
        from esar.accounts.permissions import Perm, has_perm, role_of
        from esar.accounts.roles import Role
        from esar.core import audit_labels, sections
        from esar.delivery import tasks  # noqa: F401
        from esar.delivery.models import Channel, IssuanceBatch

        # The audit log spells these coded values out in words.
        audit_labels.register_choices(IssuanceBatch.Scope, Channel)

        # The services start the tasks by name (esar.delivery.jobs): importing the tasks above
        # registers them in every process, not only in a worker that autodiscovers them.

        sections.register_menu_entry(
            _("Deliver to e-SAR"),
            "delivery:index",
            section="delivery",
            order=30,
            when=lambda user: (
                role_of(user) is Role.LAO_OFFICER and has_perm(user, Perm.DELIVERY_VIEW)
            ),
        )
        sections.register_menu_entry(
            _("e-SAR inbox"),
            "delivery:inbox",
            section="delivery",
            order=40,
            when=lambda user: has_perm(user, Perm.ONESQA_INBOX),
        )
        sections.register_menu_entry(
            _("e-SAR accounts"),
            "delivery:accounts_index",
            section="esar_accounts",
            menu="more",
            order=110,
            when=lambda user: (
                has_perm(user, Perm.ESAR_ACCOUNTS_ISSUE)
                or role_of(user) is Role.PROVINCE_SUPERVISOR
            ),
        )
