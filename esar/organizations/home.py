"""The registry's part of each home page: the organisations under the person and what their data
still lacks; for a school officer, their institution and whom to call at its LAO.

Registered in OrganizationsConfig.ready() as the home sections "registry" and "institution"
(esar.core.sections).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from esar.accounts.models import Membership, User
from esar.accounts.permissions import Perm, has_perm, role_of
from esar.accounts.roles import Role
from esar.accounts.types import RequestUser
from esar.core.models import Job
from esar.core.sections import Figure, HomePart, Step
from esar.organizations import selectors


def shows_registry(user: RequestUser) -> bool:
    """Figures of the registry for every role that reads it, except the school officer's."""
    return has_perm(user, Perm.REGISTRY_VIEW) and role_of(user) is not Role.SCHOOL_OFFICER


def shows_institution(user: RequestUser) -> bool:
    return role_of(user) is Role.SCHOOL_OFFICER


def registry_section(user: User) -> HomePart:
    role = role_of(user)
    figures, counts = _registry_figures(user)
    if role is Role.LAO_OFFICER:
        figures = figures[1:]
    elif role in (Role.DLA_ADMIN, Role.DLA_ANALYST):
        figures.insert(
            0,
            Figure(
                _("Provinces"),
                selectors.provinces_for(user).count(),
                reverse("organizations:province_list"),
            ),
        )
    return HomePart(figures=figures, urgent=_import_steps(user, counts), chores=_data_steps(counts))


def institution_section(user: User) -> HomePart:
    institution = selectors.institutions_for(user).first()
    part = HomePart(
        template="organizations/includes/home_institution.html",
        context={"institution": institution, "lao_contacts": []},
    )
    if institution is None:
        return part
    part.context["lao_contacts"] = list(
        # The LAO's officers: not its e-SAR delivery account, not disabled accounts.
        Membership.objects.filter(
            lao_id=institution.lao_id, delivery_account=False, user__is_active=True
        )
        .select_related("user")
        .order_by("user__username")
    )
    part.steps.append(
        Step(
            _("Check that your institution's codes and the levels it teaches are right."),
            reverse("organizations:institution_detail", args=[institution.code]),
            _("Open your institution"),
        )
    )
    if not institution.onesqa_code:
        part.steps.append(
            Step(
                _("Your institution has no ONESQA code recorded. Ask your LAO officer to add it."),
                tone="warning",
            )
        )
    return part


def _registry_figures(user: User) -> tuple[list[Figure], dict[str, int]]:
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


def _import_steps(user: User, counts: dict[str, int]) -> list[Step]:
    """For those who import the registry: it is empty, or its last import was refused."""
    if not has_perm(user, Perm.REGISTRY_IMPORT):
        return []
    last_job = Job.objects.filter(kind="registry_import").order_by("-created_at").first()
    if counts["institutions"] == 0:
        return [
            Step(
                _("The registry is empty: import the local authorities and institutions."),
                reverse("organizations:import"),
                _("Import the registry"),
                "warning",
            )
        ]
    if last_job is not None and last_job.status == Job.Status.FAILED:
        return [
            Step(
                _("The last registry import was refused: read its errors and import again."),
                reverse("core:job_detail", args=[last_job.pk]),
                _("See the errors"),
                "warning",
            )
        ]
    return []


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
