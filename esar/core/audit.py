"""Recording audit events. Every service that changes state calls `record`."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from esar.core.models import AuditEvent

# Who acts: a signed-in user, the anonymous one (recorded without an actor, as no one) or no one
# (a command or a seed). The kernel names the user model by its base: it may not import accounts.
Actor = AbstractBaseUser | AnonymousUser | None


def _signed_in(actor: Actor) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person's computer (or of their office's NAT), as far as it can be
    trusted: the audit log, the log-in lock-out (django-axes) and API tokens all read it here.

    Without a reverse proxy (ESAR_TRUSTED_PROXIES = 0) it is the connection's address, and any
    X-Forwarded-For header is ignored: a client could write anything there. Behind N proxies,
    each appending the address it saw to X-Forwarded-For, the client is the N-th address from the
    right (REMOTE_ADDR being the last proxy); the entries further left were written by the client
    and are ignored. A header shorter than expected, or a malformed entry, falls back to the
    nearest address a trusted proxy wrote.
    """
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = getattr(settings, "ESAR_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    # REMOTE_ADDR is the last proxy; the last proxies - 1 entries of the header are the others.
    chain = [*forwarded, remote or ""][-(proxies + 1) :]
    for candidate in chain:
        found = _address(candidate)
        if found is not None:
            return found
    return remote


def record(
    *,
    action: str,
    actor: Actor = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    actor_obj = _signed_in(actor)
    return AuditEvent.objects.create(
        action=action,
        # By id: the field points to settings.AUTH_USER_MODEL, which the type checker names
        # accounts' User, a model the kernel may not import.
        actor_id=actor_obj.pk if actor_obj else None,
        actor_username=actor_obj.get_username() if actor_obj else "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        ip_address=ip_address,
        data=data or {},
    )


def build(
    *, action: str, actor: Actor = None, obj: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """An unsaved event, for bulk_create when one change touches many rows."""
    actor_obj = _signed_in(actor)
    return AuditEvent(
        action=action,
        actor_id=actor_obj.pk if actor_obj else None,  # by id, as in `record`
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
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
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
