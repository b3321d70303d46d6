"""Sending a queued delivery to the remote e-SAR through its channel: one attempt at a time.

`send` is the body of the Celery task `delivery.send` (`esar.delivery.tasks`), which retries an
attempt that may succeed later with a growing delay; the last one that fails marks the delivery
failed and tells the LAO's officers. The built-in channel delivers at once and never comes here.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from esar.core import audit, events
from esar.core.notices import notify
from esar.delivery.channels import ChannelError, channel_named
from esar.delivery.models import Delivery, DeliveryStatus
from esar.delivery.services import lao_officers


class SendOutcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"
    NOTHING_TO_DO = "nothing_to_do"


def send(*, delivery_id: int, final_attempt: bool) -> SendOutcome:
    """One attempt to send a queued delivery through its channel (the Celery task's body).

    Safe to run twice: only a queued or sending delivery is sent, and the remote e-SAR stores one
    package per idempotency key.
    """
    claimed = Delivery.objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENT]
    ).update(status=DeliveryStatus.SENT, attempts=F("attempts") + 1)
    if not claimed:
        return SendOutcome.NOTHING_TO_DO
    delivery = Delivery.objects.select_related("lao", "year").get(pk=delivery_id)
    try:
        receipt = channel_named(delivery.channel).send(delivery)
    except ChannelError as exc:
        if exc.retryable and not final_attempt:
            Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENT).update(
                last_error=exc.message
            )
            return SendOutcome.RETRY
        _failed(delivery, exc.message)
        return SendOutcome.FAILED
    with transaction.atomic():
        done = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=timezone.now(),
            remote_receipt=receipt,
            last_error="",
        )
        if done:
            audit.record(
                action="delivery.delivered",
                obj=delivery,
                data={"remote_receipt": receipt, "attempts": delivery.attempts},
            )
            events.announce(events.HopsMoved.of(delivery.year, lao_ids=[delivery.lao_id]))
    return SendOutcome.DELIVERED


def _failed(delivery: Delivery, message: str) -> None:
    with transaction.atomic():
        failed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.FAILED, last_error=message
        )
        if not failed:
            return
        audit.record(
            action="delivery.failed",
            obj=delivery,
            data={"error": message[:500], "attempts": delivery.attempts},
        )
        notify(
            users=lao_officers(delivery.lao_id),
            title=_("Delivery %(receipt)s into e-SAR failed") % {"receipt": delivery},
            body=message,
            url=reverse("delivery:detail", args=[delivery.pk]),
        )
