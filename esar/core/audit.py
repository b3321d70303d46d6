"""Recording audit events. Every service that changes state calls `record`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from esar.core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor_obj,
        actor_username=actor_obj.get_username() if actor_obj else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        ip_address=ip_address,
        data=data or {},
    )


def build(
    *, action: str, actor: Any = None, obj: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """An unsaved event, for bulk_create when one change touches many rows."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        action=action,
        actor=actor_obj,
        actor_username=actor_obj.get_username() if actor_obj else "",
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        data=data or {},
    )


def filter_events(
    qs: models.QuerySet[AuditEvent],
    *,
    q: str | None = None,
    action: str | None = None,
    actor: str | None = None,
    date_from=None,
    date_to=None,
) -> models.QuerySet[AuditEvent]:
    """The search of the audit log: by free text on the object, action prefix, actor, period."""
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_username__iexact=actor.strip())
    if q:
        qs = qs.filter(models.Q(object_repr__icontains=q) | models.Q(object_id=q))
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
