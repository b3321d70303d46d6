"""Sending a delivery to the remote e-SAR in the background, with retries and backoff."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from esar.delivery import services

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def backoff(retries: int) -> int:
    """30 s, 1 min, 2 min, … up to an hour between attempts."""
    return min(BACKOFF_BASE_SECONDS * 2**retries, BACKOFF_MAX_SECONDS)


@shared_task(bind=True, name="delivery.send", max_retries=None)
def send_delivery(self: Any, delivery_id: int) -> Any:
    """A thin wrapper of `services.send`: retries what may succeed later, then marks it failed."""
    limit = settings.ESAR_REMOTE_MAX_RETRIES
    retries = self.request.retries
    outcome = services.send(delivery_id=delivery_id, final_attempt=retries >= limit)
    if outcome is not services.SendOutcome.RETRY:
        return outcome.value
    signal = self.retry(countdown=backoff(retries), max_retries=limit, throw=False)
    if self.request.is_eager:
        # Run in-process (the embedded default, tests): Celery's `apply` runs the retry when the
        # task returns it, whereas raising it would escape to the caller.
        return signal
    raise signal
