"""The types of the acting user, for annotations.

Every page behind sign-in and every service that acts for someone takes an ``esar.accounts.models.User``;
``AuthenticatedRequest`` is the request of a view behind ``login_required`` (or the sign-in middleware),
whose ``user`` is never anonymous, so that ``request.user`` passes where a ``User`` is expected.
Views open to everyone keep ``HttpRequest`` and check ``request.user.is_authenticated`` themselves.
"""

from __future__ import annotations

from django.http import HttpRequest

from esar.accounts.models import User

__all__ = ["AuthenticatedRequest", "User"]


class AuthenticatedRequest(HttpRequest):
    user: User
