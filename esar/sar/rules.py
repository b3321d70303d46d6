"""Who may act on a SAR. Visibility (404) is decided by `esar.accounts.scoping`; these decide the
actions inside what a person can see, without a query beyond their membership."""

from __future__ import annotations

from esar.accounts.permissions import Perm, has_perm
from esar.accounts.scoping import Level, scope_for
from esar.accounts.types import RequestUser


def can_write(user: RequestUser, institution_id: int) -> bool:
    """The school's own officers write and submit its SAR."""
    scope = scope_for(user)
    return (
        has_perm(user, Perm.SAR_WRITE)
        and scope.level is Level.INSTITUTION
        and scope.key == institution_id
    )


def can_review(user: RequestUser, lao_id: int) -> bool:
    """The officers of the school's LAO (its ต้นสังกัด) review its SARs."""
    scope = scope_for(user)
    return has_perm(user, Perm.SAR_REVIEW) and scope.level is Level.LAO and scope.key == lao_id
