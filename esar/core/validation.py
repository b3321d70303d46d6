"""pydantic's validation errors as people can read them: one Thai (or English) line per field.

Used by the API (django-ninja reports pydantic's English errors with internal locations; the API
answers 422 with {"detail", "errors": [{"location", "field", "message"}]}) and by services that
validate typed documents such as a SAR's content.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# pydantic error type -> message; %(name)s placeholders come from the error's context.
MESSAGES = {
    "missing": gettext_lazy("This value is required."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "string_type": gettext_lazy("Must be text."),
    "enum": gettext_lazy("Must be one of: %(expected)s."),
    "literal_error": gettext_lazy("Must be one of: %(expected)s."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "int_type": gettext_lazy("Must be a whole number."),
    "int_from_float": gettext_lazy("Must be a whole number."),
    "greater_than_equal": gettext_lazy("Must be %(ge)s or more."),
    "greater_than": gettext_lazy("Must be more than %(gt)s."),
    "less_than_equal": gettext_lazy("Must be %(le)s or less."),
    "less_than": gettext_lazy("Must be less than %(lt)s."),
    "bool_parsing": gettext_lazy("Must be true or false."),
    "bool_type": gettext_lazy("Must be true or false."),
    "json_invalid": gettext_lazy("The body is not valid JSON."),
    "model_attributes_type": gettext_lazy("The body must be a JSON object."),
    "dict_type": gettext_lazy("The body must be a JSON object."),
    "model_type": gettext_lazy("The body must be a JSON object."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "date_parsing": gettext_lazy("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Must be a date (YYYY-MM-DD)."),
    "date_type": gettext_lazy("Must be a date (YYYY-MM-DD)."),
    "float_parsing": gettext_lazy("Must be a number."),
    "float_type": gettext_lazy("Must be a number."),
    "too_long": gettext_lazy("At most %(max_length)s entries."),
    "list_type": gettext_lazy("Must be a list."),
    "string_pattern_mismatch": gettext_lazy("Contains characters that are not allowed."),
}


def _location(loc: list[Any] | tuple[Any, ...]) -> tuple[str, str]:
    """('query', 'q') or ('body', 'username'): where the value was, without ninja's wrapping."""
    parts = [str(part) for part in loc]
    if not parts:
        return "", ""
    source, rest = parts[0], parts[1:]
    if source == "body" and len(rest) > 1:
        rest = rest[1:]  # ninja nests the body under the view's parameter name
    return source, ".".join(rest)


def error_message(error: dict[str, Any]) -> str:
    """The text of one pydantic error in the active language."""
    template = MESSAGES.get(error.get("type", ""))
    message = _("Invalid value.")
    if template is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            message = str(template) % (error.get("ctx") or {})
    return message


def field_error(error: dict[str, Any]) -> dict[str, str]:
    location, field = _location(error.get("loc", ()))
    return {"location": location, "field": field, "message": error_message(error)}


def document_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Errors of a validated document (no request location): the field path and the message."""
    return [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())),
            "message": error_message(error),
        }
        for error in errors
    ]


def validation_error_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "detail": _("The request has invalid values; see errors."),
        "errors": [field_error(error) for error in errors],
    }
