from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DLA_ADMIN = "dla_admin", _("DLA administrator")
    DLA_ANALYST = "dla_analyst", _("DLA analyst")
    PROVINCE_SUPERVISOR = "province_supervisor", _("Province supervisor")
    LAO_OFFICER = "lao_officer", _("LAO officer")
    SCHOOL_OFFICER = "school_officer", _("School officer")
    ONESQA_REVIEWER = "onesqa_reviewer", _("ONESQA reviewer")
    HELPDESK = "helpdesk", _("Helpdesk officer")


# Which organisation field of a membership each role uses.
AGENCY_ROLES = frozenset({Role.DLA_ADMIN, Role.DLA_ANALYST, Role.ONESQA_REVIEWER, Role.HELPDESK})
ROLE_ORGANIZATION_FIELD = {
    **dict.fromkeys(AGENCY_ROLES, "agency"),
    Role.PROVINCE_SUPERVISOR: "province_office",
    Role.LAO_OFFICER: "lao",
    Role.SCHOOL_OFFICER: "institution",
}
# Which agency an agency role belongs to (helpdesk may sit at either).
ROLE_AGENCIES = {
    Role.DLA_ADMIN: {"DLA"},
    Role.DLA_ANALYST: {"DLA"},
    Role.ONESQA_REVIEWER: {"ONESQA"},
    Role.HELPDESK: {"DLA", "ONESQA"},
}
