"""Serving a delivered file through the API: verified against the manifest before a byte leaves."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Status

from esar.accounts.types import AuthenticatedRequest
from esar.core.audit import client_ip
from esar.delivery import services
from esar.delivery.downloads import file_response
from esar.delivery.models import Delivery
from esar.delivery.package import FileMismatch


def serve_verified(request: AuthenticatedRequest, delivery: Delivery, path: str) -> Any:
    """The manifest's file at `path` (404 if it lists none; 409 if the stored file changed)."""
    try:
        found = services.verified_file(
            delivery=delivery, path=path, actor=request.user, ip=client_ip(request)
        )
    except FileMismatch as exc:
        return Status(409, {"detail": exc.message})
    if found is None:
        raise Http404
    return file_response(found)
