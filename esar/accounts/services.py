"""Writes to accounts. Views, the API, commands and tests all create accounts through here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from esar.accounts.models import Membership, User
from esar.accounts.roles import ROLE_AGENCIES, ROLE_ORGANIZATION_FIELD, Role
from esar.core import audit
from esar.organizations.models import Agency, Institution, LocalAuthority, ProvincialOffice

_ORG_MODELS = {
    "agency": Agency,
    "province_office": ProvincialOffice,
    "lao": LocalAuthority,
    "institution": Institution,
}


def _check_organization(role: Role, organization: Any) -> str:
    field = ROLE_ORGANIZATION_FIELD[role]
    if not isinstance(organization, _ORG_MODELS[field]):
        raise ValidationError(
            _("The role %(role)s belongs to a %(kind)s.")
            % {"role": role.label, "kind": _ORG_MODELS[field]._meta.verbose_name}
        )
    if field == "agency" and organization.code not in ROLE_AGENCIES[role]:
        raise ValidationError(
            _("The role %(role)s cannot belong to %(agency)s.")
            % {"role": role.label, "agency": organization}
        )
    return field


@transaction.atomic
def create_account(
    *,
    username: str,
    password: str | None,
    role: Role | str,
    organization: Any,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    actor: Any = None,
    validate: bool = True,
    password_hash: str | None = None,
) -> User:
    """Create a user with its one membership. `password_hash` lets seeding reuse one hash."""
    role = Role(role)
    field = _check_organization(role, organization)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
    )
    if password_hash:
        user.password = password_hash
    elif password:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, role=role, **{field: organization})
    audit.record(
        action="account.created",
        actor=actor,
        obj=user,
        data={
            "role": role.value,
            "organization": str(getattr(organization, "code", organization.pk)),
        },
    )
    return user
