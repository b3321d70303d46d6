"""Who may open the kernel's own pages, answered by the app that knows the roles.

Core holds pages (the audit log, the job pages) whose readers are decided by a role, but the roles
live above it, in accounts. Accounts registers the answer at start-up (`register_check`); a
question nobody answers is refused, so a page is closed until its check is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

# Any request's user: core is below accounts and cannot name its User.
AnyUser = AbstractBaseUser | AnonymousUser

AUDIT_VIEW = "audit.view"
# Sees every job on the job pages, not only their own.
EVERY_JOB = "jobs.view_all"

_checks: dict[str, Callable[[Any], bool]] = {}


def register_check(name: str, check: Callable[[Any], bool]) -> None:
    _checks[name] = check


def allows(user: AnyUser, name: str) -> bool:
    check = _checks.get(name)
    return check is not None and check(user)
