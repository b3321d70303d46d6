"""What each person should do next: the home page of each role.

The front writes the frame of each role's page (its heading, its introduction, the e-SAR
delivery account's one task); the apps fill it with the sections they registered in
esar.core.sections (the registry's figures, the SARs' steps, the circulars ...), in their order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from esar.accounts.models import User
from esar.accounts.permissions import is_delivery_account, role_of
from esar.accounts.roles import Role
from esar.core import sections
from esar.core.sections import Figure, Step


@dataclass
class Block:
    """A section's own part of the page, rendered from its template."""

    template: str
    context: dict[str, Any]


@dataclass
class Home:
    role: Role | None
    organization: object = None
    heading: str | Promise = ""
    intro: str | Promise = ""
    figures: list[Figure] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


HEADINGS: dict[Role, tuple[str | Promise, str | Promise]] = {
    Role.SCHOOL_OFFICER: (
        _("Your institution"),
        _(
            "You write and send your institution's Self-Assessment Report (SAR) to your local authority."
        ),
    ),
    Role.LAO_OFFICER: (
        _("Your local authority"),
        _("You review your institutions' SARs, write the synthesis and deliver them into e-SAR."),
    ),
    Role.PROVINCE_SUPERVISOR: (
        _("Your province"),
        _("You supervise and follow up the local authorities and institutions of your province."),
    ),
    Role.DLA_ADMIN: (
        _("The whole country"),
        _("You run the yearly cycle and follow completeness and timeliness nationally."),
    ),
    Role.ONESQA_REVIEWER: (
        _("ONESQA"),
        _("You receive the SARs that local authorities deliver into e-SAR."),
    ),
    Role.HELPDESK: (
        _("Helpdesk"),
        _("Find the organisation of the person who calls, by name or code."),
    ),
}
HEADINGS[Role.DLA_ANALYST] = HEADINGS[Role.DLA_ADMIN]


def next_steps(user: User) -> dict[str, Any]:
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
    else:
        home.heading, home.intro = HEADINGS[role]

    urgent: list[Step] = []
    chores: list[Step] = []
    for section in sections.home_sections_for(user):
        part = section.build(user)
        home.figures.extend(part.figures)
        urgent.extend(part.urgent)
        home.steps.extend(part.steps)
        chores.extend(part.chores)
        if part.template:
            home.blocks.append(Block(part.template, part.context))
    home.steps[:0] = urgent
    home.steps.extend(chores)
    # A school officer always has their institution's steps; the others may have nothing to do.
    if not home.steps and role is not Role.SCHOOL_OFFICER:
        home.steps.append(Step(_("Nothing is waiting for you right now."), tone="success"))
    return {"home": home}
