"""The types of the acting user, for annotations.

Every page behind sign-in and every service that acts for someone takes an ``esar.accounts.models.User``;
``AuthenticatedRequest`` is the request of a view behind ``login_required`` (or the sign-in middleware),
whose ``user`` is never anonymous, so that ``request.user`` passes where a ``User`` is expected. This is
the pattern django-stubs documents ("How can I create a HttpRequest that's guaranteed to have an
authenticated user?"); it is a promise to the type checker, not a check, so use it only behind sign-in.

Views open to everyone keep ``HttpRequest`` and check ``request.user.is_authenticated`` themselves;
the checks that run on any request (permissions, scoping) take a ``RequestUser``, signed in or not.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from esar.accounts.models import User

__all__ = ["AuthenticatedRequest", "RequestUser", "User"]

# The user of any request: the signed-in account, or Django's anonymous one.
RequestUser: TypeAlias = User | AnonymousUser


class AuthenticatedRequest(HttpRequest):
    user: User
