"""How an audit event reads to a person: the name of what happened and its details in words.

The events keep their program names (`sar.submitted`, `{"late": False}`) for searching and for
the API; the log page and the admin show them in the reader's language, dates in the B.E.

The words of the coded values the details hold (roles, kinds of file, channels...) are the
choices of the apps that define them, which the kernel may not import: each app hands its choices
to `register_choices` in its AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from esar.core import thaidate

ACTION_LABELS: dict[str, Promise] = {
    "account.created": pgettext_lazy("audit event", "Account created"),
    "account.logged_in": pgettext_lazy("audit event", "Logged in"),
    "account.logged_out": pgettext_lazy("audit event", "Logged out"),
    "account.login_failed": pgettext_lazy("audit event", "Log-in failed"),
    "account.one_time_password_refused": pgettext_lazy("audit event", "One-time password refused"),
    "account.password_changed": pgettext_lazy("audit event", "Password changed"),
    "account.password_reset": pgettext_lazy("audit event", "Password reset"),
    "account.policy_changed": pgettext_lazy("audit event", "Account policy changed"),
    "account.second_factor_enrolled": pgettext_lazy("audit event", "Second factor set up"),
    "account.second_factor_failed": pgettext_lazy("audit event", "Second factor code refused"),
    "account.second_factor_removed": pgettext_lazy("audit event", "Second factor removed"),
    "account.second_factor_verified": pgettext_lazy("audit event", "Second factor verified"),
    "api.token_issued": pgettext_lazy("audit event", "API token issued"),
    "api.token_revoked": pgettext_lazy("audit event", "API token revoked"),
    "assessments.imported": pgettext_lazy("audit event", "External assessments imported"),
    "circular.created": pgettext_lazy("audit event", "Circular drafted"),
    "circular.file_attached": pgettext_lazy("audit event", "File attached to a circular"),
    "circular.file_removed": pgettext_lazy("audit event", "File removed from a circular"),
    "circular.published": pgettext_lazy("audit event", "Circular published"),
    "circular.updated": pgettext_lazy("audit event", "Circular draft changed"),
    "circular.withdrawn": pgettext_lazy("audit event", "Circular withdrawn"),
    "delivery.acknowledged": pgettext_lazy("audit event", "Delivery acknowledged by ONESQA"),
    "delivery.created": pgettext_lazy("audit event", "SARs and synthesis sent to ONESQA"),
    "delivery.delivered": pgettext_lazy("audit event", "Delivery received by ONESQA's e-SAR"),
    "delivery.failed": pgettext_lazy("audit event", "Delivery failed"),
    "delivery.file_mismatch": pgettext_lazy("audit event", "Delivered file does not match"),
    "delivery.note_added": pgettext_lazy("audit event", "Note added to a delivered SAR"),
    "delivery.retried": pgettext_lazy("audit event", "Delivery sent again"),
    "demo.assessments_seeded": pgettext_lazy("audit event", "Demonstration assessments created"),
    "demo.seeded": pgettext_lazy("audit event", "Demonstration data created"),
    "esar_account.batch_issued": pgettext_lazy("audit event", "e-SAR accounts issued"),
    "esar_account.distribution_deleted": pgettext_lazy(
        "audit event", "e-SAR account letters deleted"
    ),
    "esar_account.distribution_downloaded": pgettext_lazy(
        "audit event", "e-SAR account letters downloaded"
    ),
    "esar_account.issuance_started": pgettext_lazy(
        "audit event", "Issuance of e-SAR accounts started"
    ),
    "esar_account.issued": pgettext_lazy("audit event", "e-SAR account issued"),
    "esar_account.revoked": pgettext_lazy("audit event", "e-SAR account revoked"),
    "external_assessment.created": pgettext_lazy("audit event", "External assessment recorded"),
    "external_assessment.updated": pgettext_lazy("audit event", "External assessment changed"),
    "helpdesk.contact_saved": pgettext_lazy("audit event", "Helpdesk contact changed"),
    "helpdesk.report_submitted": pgettext_lazy("audit event", "Problem reported to the helpdesk"),
    "helpdesk.report_updated": pgettext_lazy("audit event", "Problem report updated"),
    "institution.created": pgettext_lazy("audit event", "Institution added"),
    "institution.updated": pgettext_lazy("audit event", "Institution changed"),
    "lao.created": pgettext_lazy("audit event", "Local authority added"),
    "lao.updated": pgettext_lazy("audit event", "Local authority changed"),
    "monitoring.reminder_settings_changed": pgettext_lazy(
        "audit event", "Reminder settings changed"
    ),
    "registry.imported": pgettext_lazy("audit event", "Registry imported"),
    "sar.accepted": pgettext_lazy("audit event", "SAR accepted by the LAO"),
    "sar.created": pgettext_lazy("audit event", "SAR opened"),
    "sar.draft_saved": pgettext_lazy("audit event", "SAR draft saved"),
    "sar.file_attached": pgettext_lazy("audit event", "File attached to a SAR"),
    "sar.file_removed": pgettext_lazy("audit event", "File removed from a SAR"),
    "sar.returned": pgettext_lazy("audit event", "SAR returned for revision"),
    "sar.started_from_previous": pgettext_lazy(
        "audit event", "SAR started from the previous year's"
    ),
    "sar.submitted": pgettext_lazy("audit event", "SAR sent to the LAO"),
    "standards.set_created": pgettext_lazy("audit event", "Standard set created"),
    "standards.set_deactivated": pgettext_lazy("audit event", "Standard set withdrawn from use"),
    "standards.set_reactivated": pgettext_lazy("audit event", "Standard set back in use"),
    "supervision.follow_up_added": pgettext_lazy("audit event", "Follow-up action added"),
    "supervision.follow_up_closed": pgettext_lazy("audit event", "Follow-up action closed"),
    "supervision.follow_up_reopened": pgettext_lazy("audit event", "Follow-up action reopened"),
    "supervision.visit_recorded": pgettext_lazy("audit event", "Supervision visit recorded"),
    "supervision.visit_updated": pgettext_lazy("audit event", "Supervision visit changed"),
    "synthesis.completed": pgettext_lazy("audit event", "Synthesis completed"),
    "synthesis.created": pgettext_lazy("audit event", "Synthesis opened"),
    "synthesis.reopened": pgettext_lazy("audit event", "Synthesis reopened"),
    "synthesis.saved": pgettext_lazy("audit event", "Synthesis saved"),
    "years.created": pgettext_lazy("audit event", "Academic year created"),
    "years.updated": pgettext_lazy("audit event", "Academic year changed"),
}

DETAIL_LABELS: dict[str, Promise] = {
    "account": pgettext_lazy("audit detail", "Account"),
    "action": pgettext_lazy("audit detail", "Action"),
    "after": pgettext_lazy("audit detail", "After"),
    "after_acceptance": pgettext_lazy("audit detail", "After acceptance"),
    "api_tokens_revoked": pgettext_lazy("audit detail", "API tokens revoked"),
    "assessments": pgettext_lazy("audit detail", "Assessments"),
    "attempts": pgettext_lazy("audit detail", "Attempts"),
    "basic_data": pgettext_lazy("audit detail", "Basic data"),
    "batch": pgettext_lazy("audit detail", "Issuance"),
    "before": pgettext_lazy("audit detail", "Before"),
    "category": pgettext_lazy("audit detail", "Category"),
    "changes": pgettext_lazy("audit detail", "Changes"),
    "channel": pgettext_lazy("audit detail", "Channel"),
    "code": pgettext_lazy("audit detail", "Code"),
    "conflicts": pgettext_lazy("audit detail", "Conflicts"),
    "contact_email": pgettext_lazy("audit detail", "Contact e-mail"),
    "created": pgettext_lazy("audit detail", "Created"),
    "delivery_due": pgettext_lazy("audit detail", "Delivery due"),
    "devices": pgettext_lazy("audit detail", "Devices"),
    "due_date": pgettext_lazy("audit detail", "Due date"),
    "education_level": pgettext_lazy("audit detail", "Education level"),
    "effective_from_year": pgettext_lazy("audit detail", "In effect from year"),
    "error": pgettext_lazy("audit detail", "Error"),
    "expires_at": pgettext_lazy("audit detail", "Expires"),
    "failed_provinces": pgettext_lazy("audit detail", "Provinces that failed"),
    "file": pgettext_lazy("audit detail", "File"),
    "files": pgettext_lazy("audit detail", "Files"),
    "follow_ups": pgettext_lazy("audit detail", "Follow-up actions"),
    "format": pgettext_lazy("audit detail", "Format"),
    "from": pgettext_lazy("audit detail", "From"),
    "from_year": pgettext_lazy("audit detail", "From year"),
    "id": pgettext_lazy("audit detail", "Identifier"),
    "institution": pgettext_lazy("audit detail", "Institution"),
    "institutions": pgettext_lazy("audit detail", "Institutions"),
    "is_open": pgettext_lazy("audit detail", "Open"),
    "issued": pgettext_lazy("audit detail", "Issued"),
    "issued_on": pgettext_lazy("audit detail", "Issued on"),
    "issues": pgettext_lazy("audit detail", "Issues"),
    "items": pgettext_lazy("audit detail", "Items"),
    "kind": pgettext_lazy("audit detail", "Kind"),
    "lao": pgettext_lazy("audit detail", "Local authority"),
    "laos": pgettext_lazy("audit detail", "Local authorities"),
    "late": pgettext_lazy("audit detail", "Late"),
    "manifest_sha256": pgettext_lazy("audit detail", "Manifest (SHA-256)"),
    "message": pgettext_lazy("audit detail", "Message"),
    "name": pgettext_lazy("audit detail", "Name"),
    "note": pgettext_lazy("audit detail", "Note"),
    "number": pgettext_lazy("audit detail", "Number"),
    "one_time_password_replaced": pgettext_lazy("audit detail", "One-time password replaced"),
    "organization": pgettext_lazy("audit detail", "Organisation"),
    "page": pgettext_lazy("audit detail", "Page"),
    "pages": pgettext_lazy("audit detail", "Pages"),
    "parts": pgettext_lazy("audit detail", "Parts"),
    "path": pgettext_lazy("audit detail", "Path"),
    "province": pgettext_lazy("audit detail", "Province"),
    "provinces": pgettext_lazy("audit detail", "Provinces"),
    "quality_levels": pgettext_lazy("audit detail", "Quality levels"),
    "reason": pgettext_lazy("audit detail", "Reason"),
    "reasons": pgettext_lazy("audit detail", "Reasons"),
    "reference": pgettext_lazy("audit detail", "Reference"),
    "remote_receipt": pgettext_lazy("audit detail", "Receipt of ONESQA's e-SAR"),
    "replaces": pgettext_lazy("audit detail", "Replaces"),
    "responsible": pgettext_lazy("audit detail", "Responsible"),
    "review_due": pgettext_lazy("audit detail", "Review due"),
    "revision": pgettext_lazy("audit detail", "Revision"),
    "revisions": pgettext_lazy("audit detail", "Revisions"),
    "role": pgettext_lazy("audit detail", "Role"),
    "roles": pgettext_lazy("audit detail", "Roles"),
    "sar_due": pgettext_lazy("audit detail", "SAR due"),
    "scale": pgettext_lazy("audit detail", "Scale"),
    "scope": pgettext_lazy("audit detail", "Scope"),
    "sha256": pgettext_lazy("audit detail", "SHA-256"),
    "size": pgettext_lazy("audit detail", "Size (bytes)"),
    "skipped": pgettext_lazy("audit detail", "Skipped"),
    "source": pgettext_lazy("audit detail", "Source"),
    "standard_sets": pgettext_lazy("audit detail", "Standard sets"),
    "standards": pgettext_lazy("audit detail", "Standards"),
    "status": pgettext_lazy("audit detail", "Status"),
    "step": pgettext_lazy("audit detail", "Step"),
    "summary": pgettext_lazy("audit detail", "Summary"),
    "synthesis_due": pgettext_lazy("audit detail", "Synthesis due"),
    "synthesis_version": pgettext_lazy("audit detail", "Synthesis version"),
    "target_group_years": pgettext_lazy("audit detail", "Target group years"),
    "title": pgettext_lazy("audit detail", "Title"),
    "to": pgettext_lazy("audit detail", "To"),
    "totals": pgettext_lazy("audit detail", "Totals"),
    "type_changes": pgettext_lazy("audit detail", "Type changes"),
    "upload_limit_mb": pgettext_lazy("audit detail", "Upload limit (MB)"),
    "user_created": pgettext_lazy("audit detail", "User created"),
    "username": pgettext_lazy("audit detail", "Username"),
    "values": pgettext_lazy("audit detail", "Values"),
    "visit": pgettext_lazy("audit detail", "Visit"),
    "version": pgettext_lazy("audit detail", "Version"),
    "visit_date": pgettext_lazy("audit detail", "Visit date"),
    "year": pgettext_lazy("audit detail", "Year"),
}

# How a person acted, as the account events record it.
VALUE_LABELS: dict[str, Promise] = {
    "api": pgettext_lazy("audit value", "through the API"),
    "email": pgettext_lazy("audit value", "by the e-mailed link"),
    "change": pgettext_lazy("audit value", "on the password page"),
    "web": pgettext_lazy("audit value", "on the website"),
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def action_label(action: str) -> str:
    """'ส่ง SAR ให้ อปท.' for `sar.submitted`; an action without a label keeps its name."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _field_names(model: type[models.Model] | None) -> dict[str, str]:
    """The words of the model's own fields, for details that are its values (a year's dates)."""
    if model is None:
        return {}
    # Relations seen from the other side (reverse relations) have no words of their own.
    return {
        field.name: str(label)
        for field in model._meta.get_fields()
        if (label := getattr(field, "verbose_name", None))
    }


def detail_label(key: str, fields: dict[str, str] | None = None) -> str:
    label = DETAIL_LABELS.get(key)
    if label is not None:
        return str(label)
    return (fields or {}).get(key, key.replace("_", " "))


# The choices the apps registered (a value registered twice reads as the later one).
_CHOICES: list[type[models.Choices]] = []


def register_choices(*choices: type[models.Choices]) -> None:
    """Let the log spell out these coded values (`Role`, `AttachmentKind`...) in words."""
    for item in choices:
        if item not in _CHOICES:
            _CHOICES.append(item)


def _choice_labels() -> dict[str, str]:
    """The words of the coded values the details hold: roles, kinds of file, scopes..."""
    labels: dict[str, str] = {value: str(label) for value, label in VALUE_LABELS.items()}
    for choices in _CHOICES:
        labels.update({value: str(label) for value, label in choices.choices})
    return labels


def format_value(
    value: Any, choices: dict[str, str] | None = None, fields: dict[str, str] | None = None
) -> str:
    """A detail's value in words: ใช่/ไม่ใช่, dates in the B.E., lists and records spelt out."""
    choices = _choice_labels() if choices is None else choices
    fields = fields or {}
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dt.datetime):
        return thaidate.format_datetime(value)
    if isinstance(value, dt.date):
        return thaidate.format_date(value)
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            try:
                return thaidate.format_datetime(dt.datetime.fromisoformat(value))
            except ValueError:
                return value
        if _ISO_DATE.match(value):
            try:
                return thaidate.format_date(dt.date.fromisoformat(value))
            except ValueError:
                return value
        return choices.get(value, value)
    if isinstance(value, dict):
        return "; ".join(
            f"{detail_label(str(key), fields)}: {format_value(item, choices, fields)}"
            for key, item in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(format_value(item, choices, fields) for item in value) or "—"
    return str(value)


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


def details_of(
    data: dict[str, Any] | None, model: type[models.Model] | None = None
) -> list[Detail]:
    """The event's details as label: value lines.

    `model` is the class of the event's object: a detail named after one of its fields is
    labelled with the field's name.
    """
    choices = _choice_labels()
    fields = _field_names(model)
    lines = []
    for key, value in (data or {}).items():
        if key == "parts" and isinstance(value, list):
            # The parts of a SAR that were saved: section names ("basic_data", "item:15").
            value = [DETAIL_LABELS.get(part, part) for part in value]
            value = [str(part) for part in value]
        lines.append(Detail(detail_label(str(key), fields), format_value(value, choices, fields)))
    return lines
