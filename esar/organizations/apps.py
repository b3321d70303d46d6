from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "esar.organizations"
    label = "organizations"
    verbose_name = _("Organisation registry")

    def ready(self) -> None:
        # The registry's home sections and its pages in the front's "Registry" menu.
        from esar.accounts.permissions import Perm, has_perm, role_of
        from esar.accounts.roles import Role
        from esar.core import sections
        from esar.organizations import home

        sections.register_home_section(
            "registry", home.registry_section, order=10, when=home.shows_registry
        )
        sections.register_home_section(
            "institution", home.institution_section, order=30, when=home.shows_institution
        )

        def reads_registry(user, *roles: Role, but: tuple[Role, ...] = ()) -> bool:
            role = role_of(user)
            return (
                has_perm(user, Perm.REGISTRY_VIEW)
                and (not roles or role in roles)
                and role not in but
            )

        sections.register_menu_entry(
            _("Provinces"),
            "organizations:province_list",
            section="provinces",
            menu="registry",
            order=10,
            when=lambda user: reads_registry(
                user, Role.DLA_ADMIN, Role.DLA_ANALYST, Role.ONESQA_REVIEWER, Role.HELPDESK
            ),
        )
        sections.register_menu_entry(
            _("Local authorities"),
            "organizations:lao_list",
            section="laos",
            menu="registry",
            order=20,
            when=lambda user: reads_registry(user, but=(Role.SCHOOL_OFFICER, Role.LAO_OFFICER)),
        )
        sections.register_menu_entry(
            _("My institution"),
            "organizations:my_institution",
            section="institutions",
            menu="registry",
            order=30,
            when=lambda user: reads_registry(user, Role.SCHOOL_OFFICER),
        )
        sections.register_menu_entry(
            _("Institutions"),
            "organizations:institution_list",
            section="institutions",
            menu="registry",
            order=30,
            when=lambda user: reads_registry(user, but=(Role.SCHOOL_OFFICER,)),
        )
        sections.register_menu_entry(
            _("Import registry"),
            "organizations:import",
            section="import",
            menu="more",
            order=40,
            when=lambda user: has_perm(user, Perm.REGISTRY_IMPORT),
        )
