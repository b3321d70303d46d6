"""What each person should do next: the content of the home page of each role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from esar.accounts.models import Membership
from esar.accounts.permissions import Perm, has_perm, is_delivery_account, role_of
from esar.accounts.roles import Role
from esar.circulars import selectors as circular_selectors
from esar.core.models import Job
from esar.organizations import selectors


@dataclass
class Step:
    text: str | Promise
    url: str = ""
    link_text: str | Promise = ""
    tone: str = "info"  # info | warning | success


@dataclass
class Figure:
    label: str | Promise
    value: int
    url: str = ""


@dataclass
class Home:
    role: Role | None
    organization: object = None
    heading: str | Promise = ""
    intro: str | Promise = ""
    figures: list[Figure] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    institution: object = None
    lao_contacts: list = field(default_factory=list)
    circulars: object = None


def _registry_figures(user) -> tuple[list[Figure], dict[str, int]]:
    laos = selectors.laos_for(user)
    institutions = selectors.institutions_for(user)
    counts = institutions.aggregate(
        total=Count("id"),
        without_onesqa=Count("id", filter=Q(onesqa_code="")),
        without_officer=Count(
            "id", filter=~Q(Exists(Membership.objects.filter(institution=OuterRef("pk"))))
        ),
    )
    lao_counts = laos.aggregate(
        total=Count("id"),
        without_officer=Count(
            "id", filter=~Q(Exists(Membership.objects.filter(lao=OuterRef("pk"))))
        ),
    )
    figures = [
        Figure(_("Local authorities"), lao_counts["total"], reverse("organizations:lao_list")),
        Figure(_("Institutions"), counts["total"], reverse("organizations:institution_list")),
    ]
    return figures, {
        "laos": lao_counts["total"],
        "laos_without_officer": lao_counts["without_officer"],
        "institutions": counts["total"],
        "institutions_without_onesqa": counts["without_onesqa"],
        "institutions_without_officer": counts["without_officer"],
    }


def _data_steps(counts: dict[str, int]) -> list[Step]:
    steps = []
    if counts["laos_without_officer"]:
        n = counts["laos_without_officer"]
        steps.append(
            Step(
                ngettext(
                    "%(n)d local authority has no LAO officer account yet.",
                    "%(n)d local authorities have no LAO officer account yet.",
                    n,
                )
                % {"n": n},
                reverse("organizations:lao_list"),
                _("See the local authorities"),
                "warning",
            )
        )
    if counts["institutions_without_officer"]:
        n = counts["institutions_without_officer"]
        steps.append(
            Step(
                ngettext(
                    "%(n)d institution has no school officer account yet.",
                    "%(n)d institutions have no school officer account yet.",
                    n,
                )
                % {"n": n},
                reverse("organizations:institution_list"),
                _("See the institutions"),
                "warning",
            )
        )
    if counts["institutions_without_onesqa"]:
        n = counts["institutions_without_onesqa"]
        steps.append(
            Step(
                ngettext(
                    "%(n)d institution has no ONESQA code recorded: its SAR cannot be matched in e-SAR.",
                    "%(n)d institutions have no ONESQA code recorded: their SARs cannot be matched in e-SAR.",
                    n,
                )
                % {"n": n},
                reverse("organizations:institution_list"),
                _("Check the codes"),
                "warning",
            )
        )
    return steps


def next_steps(user) -> dict:
    role = role_of(user)
    membership = getattr(user, "membership", None)
    home = Home(role=role, organization=membership.organization if membership else None)
    if role is None:
        home.heading = _("Your account has no role yet")
        home.steps.append(
            Step(
                _(
                    "Ask the Department of Local Administration to give your account an organisation and a role."
                )
            )
        )
        return {"home": home}
    home.circulars = circular_selectors.for_home(user)
    if is_delivery_account(user):
        # Its password travels on printed letters: it delivers, and leaves the rest to the
        # LAO's officers (no registry figures, no SAR steps it could not open).
        home.heading = _("Your local authority's e-SAR account")
        home.intro = _(
            "With this account you deliver your local authority's accepted SARs and its completed "
            "synthesis into e-SAR, follow the deliveries and report problems to the helpdesk. "
            "Reviews, the synthesis and password resets are done by the local authority's "
            "officers with their own accounts."
        )
        home.steps.append(
            Step(
                _("Deliver what is ready and follow what ONESQA has received."),
                reverse("delivery:index"),
                _("Deliver to e-SAR"),
            )
        )
        return {"home": home}

    sar_roles = (
        Role.SCHOOL_OFFICER,
        Role.LAO_OFFICER,
        Role.PROVINCE_SUPERVISOR,
        Role.DLA_ADMIN,
        Role.DLA_ANALYST,
    )
    sar_steps: list[Step] = []
    sar_figures: list[Figure] = []
    if role in sar_roles:
        from esar.sar.home import steps_for

        sar_steps, sar_figures = steps_for(user, role, Step, Figure)

    if role is Role.SCHOOL_OFFICER:
        home.steps.extend(sar_steps)
        institution = selectors.institutions_for(user).first()
        home.institution = institution
        home.heading = _("Your institution")
        home.intro = _(
            "You write and send your institution's Self-Assessment Report (SAR) to your local authority."
        )
        if institution is not None:
            home.lao_contacts = list(
                # The LAO's officers: not its e-SAR delivery account, not disabled accounts.
                Membership.objects.filter(
                    lao_id=institution.lao_id, delivery_account=False, user__is_active=True
                )
                .select_related("user")
                .order_by("user__username")
            )
            home.steps.append(
                Step(
                    _("Check that your institution's codes and the levels it teaches are right."),
                    reverse("organizations:institution_detail", args=[institution.code]),
                    _("Open your institution"),
                )
            )
            if not institution.onesqa_code:
                home.steps.append(
                    Step(
                        _(
                            "Your institution has no ONESQA code recorded. Ask your LAO officer to add it."
                        ),
                        tone="warning",
                    )
                )
        return {"home": home}

    figures, counts = _registry_figures(user)
    home.figures = figures
    if role is Role.LAO_OFFICER:
        home.heading = _("Your local authority")
        home.intro = _(
            "You review your institutions' SARs, write the synthesis and deliver them into e-SAR."
        )
        home.figures = figures[1:]
    elif role is Role.PROVINCE_SUPERVISOR:
        home.heading = _("Your province")
        home.intro = _(
            "You supervise and follow up the local authorities and institutions of your province."
        )
    elif role in (Role.DLA_ADMIN, Role.DLA_ANALYST):
        home.heading = _("The whole country")
        home.intro = _(
            "You run the yearly cycle and follow completeness and timeliness nationally."
        )
        home.figures.insert(
            0,
            Figure(
                _("Provinces"),
                selectors.provinces_for(user).count(),
                reverse("organizations:province_list"),
            ),
        )
    elif role is Role.ONESQA_REVIEWER:
        home.heading = _("ONESQA")
        home.intro = _("You receive the SARs that local authorities deliver into e-SAR.")
    elif role is Role.HELPDESK:
        home.heading = _("Helpdesk")
        home.intro = _("Find the organisation of the person who calls, by name or code.")
    home.steps.extend(sar_steps)
    home.figures.extend(sar_figures)
    home.steps.extend(_data_steps(counts))
    if has_perm(user, Perm.REGISTRY_IMPORT):
        last_job = Job.objects.filter(kind="registry_import").order_by("-created_at").first()
        if counts["institutions"] == 0:
            home.steps.insert(
                0,
                Step(
                    _("The registry is empty: import the local authorities and institutions."),
                    reverse("organizations:import"),
                    _("Import the registry"),
                    "warning",
                ),
            )
        elif last_job is not None and last_job.status == Job.Status.FAILED:
            home.steps.insert(
                0,
                Step(
                    _("The last registry import was refused: read its errors and import again."),
                    reverse("core:job_detail", args=[last_job.pk]),
                    _("See the errors"),
                    "warning",
                ),
            )
    if not home.steps:
        home.steps.append(Step(_("Nothing is waiting for you right now."), tone="success"))
    return {"home": home}
