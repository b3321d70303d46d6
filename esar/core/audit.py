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
