"""The errors every service raises, one vocabulary for every app.

A service refuses with one of these; nothing was changed. Its `message` says why in the user's
language; `details` lists the lines behind it (what a report lacks); `errors` names the fields
({field: message}) when the refusal is about them. Pages and the API map them the same way
(`status`): a visible object the role may not act on is 403, a lost race or a stale version 409,
bad or incomplete input 422. Out of scope is never one of these: it is a 404 (`Http404`) from the
selectors, the same as missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from django.forms import BaseForm


class ServiceError(Exception):
    """An action that cannot be done; nothing was changed."""

    status: ClassVar[int] = 400

    def __init__(
        self,
        message: str,
        *,
        details: list[str] | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.errors = errors or {}


class NotAllowed(ServiceError):
    """The person sees the object but their role may not do this to it."""

    status = 403


class Conflict(ServiceError):
    """Someone else changed it first, or it is not in a state that allows this."""

    status = 409


class Invalid(ServiceError):
    """The values given are refused."""

    status = 422


def form_status(*forms: BaseForm, refused: bool = False) -> int:
    """The status of a page drawn again with its forms: 422 when a bound form holds errors (or
    the caller found the post `refused` by other checks, such as a file's rows), else 200."""
    if refused or any(form.is_bound and form.errors for form in forms):
        return Invalid.status
    return 200
