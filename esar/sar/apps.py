from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SarConfig(AppConfig):
    name = "esar.sar"
    label = "sar"
    verbose_name = _("Self-assessment reports")

    def ready(self) -> None:
        from esar.accounts.permissions import Perm, has_perm
        from esar.core import audit_labels, sections
        from esar.sar import home
        from esar.sar.models import AttachmentKind

        # The audit log spells these coded values out in words.
        audit_labels.register_choices(AttachmentKind)

        # The SARs' home section (esar.sar.home) and one menu entry, by what the role does.

        sections.register_home_section("sar", home.section, order=20, when=home.shows_sars)
        sections.register_menu_entry(
            _("My SAR"),
            "sar:index",
            section="sar",
            order=10,
            when=lambda user: has_perm(user, Perm.SAR_WRITE),
        )
        sections.register_menu_entry(
            _("Review SARs"),
            "sar:queue",
            section="sar",
            order=10,
            when=lambda user: (
                has_perm(user, Perm.SAR_REVIEW) and not has_perm(user, Perm.SAR_WRITE)
            ),
        )
        sections.register_menu_entry(
            _("SARs"),
            "sar:list",
            section="sar",
            order=10,
            when=lambda user: (
                has_perm(user, Perm.SAR_VIEW)
                and not has_perm(user, Perm.SAR_WRITE)
                and not has_perm(user, Perm.SAR_REVIEW)
            ),
        )
