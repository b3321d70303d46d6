"""Refusals of a service or a page's form, in the API's 422 body {"detail", "errors"}.

The same shape as a refused request parameter (`esar.core.validation.validation_error_body`), so
that a client program reads one kind of 422 whatever refused the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def field_errors_body(
    errors: Mapping[str, Sequence[Any]],
    *,
    detail: str | None = None,
    rename: Mapping[str, str] | None = None,
    location: str = "body",
) -> dict[str, Any]:
    """{field: [messages]} as the 422 body; `rename` maps a form's field names to the API's.

    Errors of no field (a form's `__all__`) are named by the empty field."""
    rename = rename or {}
    rows = []
    for name, messages in errors.items():
        field = "" if name == "__all__" else rename.get(name, name)
        rows.extend(
            {"location": location, "field": field, "message": str(message)} for message in messages
        )
    return {"detail": detail or _("The request has invalid values; see errors."), "errors": rows}


def validation_error_body(
    exc: ValidationError, *, detail: str | None = None, rename: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A Django ValidationError of a service: per field when it names fields."""
    if hasattr(exc, "error_dict"):
        return field_errors_body(exc.message_dict, detail=detail, rename=rename)
    return field_errors_body({"__all__": exc.messages}, detail=detail, rename=rename)
