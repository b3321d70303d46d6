"""Refusals of a service or a page's form, in the API's 422 body {"detail", "errors"}.

The same shape as a refused request parameter (`esar.core.validation.validation_error_body`), so
that a client program reads one kind of 422 whatever refused the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Status

from esar.core.errors import ServiceError


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
    rows: list[dict[str, str]] = []
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


def service_error(exc: ServiceError) -> Status[dict[str, Any]]:
    """A service's refusal as the API answers it, the same for every app: 403 not allowed, 409
    conflict, 422 invalid or incomplete; {"detail", "details"}, with `missing` (coded) for an
    incomplete report and the refused field in `details` where the service names one."""
    body: dict[str, Any] = {"detail": exc.message, "details": exc.details}
    field = getattr(exc, "field", None)
    if field:
        body["details"] = [field]
    missing = getattr(exc, "missing", None)
    if missing is not None:
        body["missing"] = [entry.as_json() for entry in missing]
    return Status(exc.status, body)
