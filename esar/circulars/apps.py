from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularsConfig(AppConfig):
    name = "esar.circulars"
    label = "circulars"
    verbose_name = _("Circulars")

    def ready(self) -> None:
        from esar.circulars import home
        from esar.core import sections

        sections.register_home_section("circulars", home.section, order=40)
        sections.register_menu_entry(
            _("Circulars"), "circulars:list", section="circulars", menu="more", order=10
        )
