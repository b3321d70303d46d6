"""What every SAR page shares: the 404/403 guards and the frame around one report's pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from esar.accounts.types import AuthenticatedRequest
from esar.sar import content as sar_content
from esar.sar.models import Sar
from esar.sar.presentation import reading
from esar.sar.rules import can_review, can_write


def _404_unless(condition: bool) -> None:
    if not condition:
        raise Http404


def _403_unless(condition: bool) -> None:
    """For a SAR the person sees: their role may not do this to it (esar.core.errors)."""
    if not condition:
        raise PermissionDenied


def _frame(request: AuthenticatedRequest, sar: Sar, tab: str, **extra: Any) -> dict[str, Any]:
    """What every page of one SAR shows around its content: header, menu, open reasons."""
    user = request.user
    writer = can_write(user, sar.institution_id)
    context = {
        "sar": sar,
        "tab": tab,
        "menu_standards": reading.standards_menu(sar),
        "can_write": writer,
        "can_edit": writer and sar.is_editable,
        "can_review": can_review(user, sar.institution.lao_id),
        "reasons": reading.open_reasons(sar),
        "timeliness": reading.timeliness(sar),
        "nav_section": "sar",
    }
    context.update(extra)
    return context


def _errors_of(*forms: Any) -> list[str]:
    lines = []
    for form in forms:
        subforms = getattr(form, "forms", None)
        if subforms is not None:
            lines += _errors_of(*subforms)
            lines += [str(e) for e in form.non_form_errors()]
            continue
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            lines += [f"{label}: {e}" if label else str(e) for e in errors]
    return lines


def _summary_fields(content: sar_content.Content) -> list[tuple[str, Any, str]]:
    return [
        (name, label, getattr(content.summary, name))
        for name, label in sar_content.SUMMARY_FIELDS.items()
    ]
