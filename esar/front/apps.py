from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """The top of the house: the role home pages, the menu and the demo seeding commands.

    It may import every app; no app imports it. The apps register what they show on the home
    page and in the menu (esar.core.sections) and the front arranges it.
    """

    name = "esar.front"
    label = "front"
    verbose_name = _("Home pages")

    def ready(self) -> None:
        from esar.core import sections

        sections.register_menu_entry(_("Home"), "front:home", section="home", order=0)
