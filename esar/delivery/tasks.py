"""Background work of delivery: sending to the remote e-SAR (retries with backoff), and the bulk
issuance of e-SAR accounts (a job, fanned out per province; see `esar.delivery.issuance`).

Nothing in the app imports this module (bar its config, which registers the tasks): the
services start these tasks by name through `esar.delivery.jobs`, whose names they carry."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings

from esar.core import jobs
from esar.delivery import issuance, sending
from esar.delivery.jobs import ISSUE_ACCOUNTS, ISSUE_PROVINCE_ACCOUNTS, SEND_DELIVERY

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


def backoff(retries: int) -> int:
    """30 s, 1 min, 2 min, … up to an hour between attempts."""
    return min(BACKOFF_BASE_SECONDS * 2**retries, BACKOFF_MAX_SECONDS)


@shared_task(bind=True, name=SEND_DELIVERY, max_retries=None)
def send_delivery(self: Any, delivery_id: int) -> Any:
    """A thin wrapper of `sending.send`: retries what may succeed later, then marks it failed."""
    limit = settings.ESAR_REMOTE_MAX_RETRIES
    retries = self.request.retries
    outcome = sending.send(delivery_id=delivery_id, final_attempt=retries >= limit)
    if outcome is not sending.SendOutcome.RETRY:
        return outcome.value
    signal = self.retry(countdown=backoff(retries), max_retries=limit, throw=False)
    if self.request.is_eager:
        # Run in-process (the embedded default, tests): Celery's `apply` runs the retry when the
        # task returns it, whereas raising it would escape to the caller.
        return signal
    raise signal


# --- Bulk issuance of e-SAR accounts -----------------------------------------------------------


@shared_task(name=ISSUE_ACCOUNTS)
def issue_accounts(job_id: int) -> None:
    """Run a queued issuance job (a redelivered task finds it started and does nothing)."""
    if not jobs.start_job(job_id):
        return
    try:
        issuance.run(job_id)
    except Exception:
        logger.exception("e-SAR issuance job %s failed", job_id)
        issuance.fail_unexpectedly(job_id)


@shared_task(name=ISSUE_PROVINCE_ACCOUNTS)
def issue_province_accounts(batch_id: int, province_code: str, weight: int) -> None:
    """One province of a national issuance, run by whichever worker process is free."""
    issuance.issue_province_safely(batch_id, province_code, weight)
