"""Where a delivery goes: this system's own e-SAR store, or ONESQA's remote e-SAR over HTTPS.

`BuiltinStore` delivers in the transaction that makes the delivery: the rows are the store.
`RemoteEsar` posts the package (the manifest, then every file it lists, streamed in chunks) to the
remote e-SAR with the delivery's `Idempotency-Key`; the remote stores one package per key and
answers a repeated key with the same receipt, so a retry after a lost answer stores nothing twice.
It runs in a Celery task (`esar.delivery.tasks`), which retries what `ChannelError.retryable` says
may succeed later.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from esar.delivery.models import Channel, Delivery
from esar.delivery.package import FileMismatch, manifest_bytes, package_files

# Answers after which the same request may succeed: timeouts, throttling, server trouble.
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class ChannelError(Exception):
    """Sending failed; `message` is shown to the LAO, `retryable` says whether to try again."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class DeliveryChannel(Protocol):
    name: str
    # True: `send` is called in the transaction that makes the delivery; False: in a task.
    delivers_at_once: bool

    def send(self, delivery: Delivery) -> str:
        """Deliver the package; return the receipt of the e-SAR store, or raise ChannelError."""
        ...


class BuiltinStore:
    name = Channel.BUILTIN.value
    delivers_at_once = True

    def send(self, delivery: Delivery) -> str:
        # The delivered rows and the immutable files they point to are the store.
        return delivery.receipt_number or ""


class RemoteEsar:
    name = Channel.REMOTE.value
    delivers_at_once = False

    def __init__(self, *, url: str, token: str, timeout: float) -> None:
        self.url = url.rstrip("/") + "/packages"
        self.token = token
        self.timeout = timeout

    def send(self, delivery: Delivery) -> str:
        try:
            files = list(package_files(delivery.manifest))
            # Refuse to send a file that changed since delivery, before anything leaves.
            for package_file in files:
                package_file.verify()
        except FileMismatch as exc:
            raise ChannelError(exc.message, retryable=False) from exc
        headers = {
            "Idempotency-Key": str(delivery.idempotency_key),
            "Authorization": f"Bearer {self.token}",
            "X-Manifest-SHA256": delivery.manifest_sha256,
        }
        with ExitStack() as stack:
            parts: list[tuple[str, Any]] = [
                (
                    "manifest",
                    ("manifest.json", manifest_bytes(delivery.manifest), "application/json"),
                )
            ]
            for package_file in files:
                stream = stack.enter_context(package_file.open())
                entry = package_file.entry
                parts.append((entry["path"], (entry["path"], stream, entry["content_type"])))
            try:
                with httpx.Client(timeout=self.timeout) as client:
                    response = client.post(self.url, headers=headers, files=parts)
            except httpx.TransportError as exc:
                raise ChannelError(
                    _("The remote e-SAR could not be reached or did not answer: %(error)s")
                    % {"error": type(exc).__name__},
                    retryable=True,
                ) from exc
        return self._receipt(response)

    def _receipt(self, response: httpx.Response) -> str:
        if response.status_code in (200, 201):
            try:
                receipt = str(response.json().get("receipt") or "")
            except ValueError:
                receipt = ""
            if receipt:
                return receipt[:255]
            raise ChannelError(
                _("The remote e-SAR accepted the package but sent no receipt."), retryable=True
            )
        detail = response.text[:300]
        message = _("The remote e-SAR answered %(status)s: %(detail)s") % {
            "status": response.status_code,
            "detail": detail,
        }
        raise ChannelError(message, retryable=response.status_code in RETRYABLE_STATUS)


def channel_named(name: str) -> DeliveryChannel:
    if name == Channel.REMOTE:
        return RemoteEsar(
            url=settings.ESAR_REMOTE_URL,
            token=settings.ESAR_REMOTE_TOKEN,
            timeout=settings.ESAR_REMOTE_TIMEOUT_SECONDS,
        )
    return BuiltinStore()


def configured_channel() -> DeliveryChannel:
    """The channel new deliveries go through (ESAR_DELIVERY_CHANNEL)."""
    return channel_named(settings.ESAR_DELIVERY_CHANNEL)
