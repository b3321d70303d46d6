"""The remote e-SAR channel against a real local HTTP server that fails on purpose.

The Celery task runs in-process (no broker in tests), retries included; the server is a separate
thread speaking HTTP, so what is checked is what crossed the wire.
"""

from __future__ import annotations

import hashlib

import pytest

from esar.core.models import AuditEvent, Notice
from esar.delivery import services
from esar.delivery.models import Delivery, DeliveryStatus
from esar.delivery.tests.remote_server import TEST_TOKEN, remote_esar


@pytest.fixture
def remote_settings(settings):
    def configure(url: str, *, retries: int = 3) -> None:
        settings.ESAR_DELIVERY_CHANNEL = "remote"
        settings.ESAR_REMOTE_URL = url
        settings.ESAR_REMOTE_TOKEN = TEST_TOKEN
        settings.ESAR_REMOTE_TIMEOUT_SECONDS = 5
        settings.ESAR_REMOTE_MAX_RETRIES = retries

    return configure


def test_a_refused_request_and_a_lost_answer_are_retried_and_the_package_is_stored_once(
    world, year, accepted, completed, esar, remote_settings, django_capture_on_commit_callbacks
):
    with remote_esar(script=["503", "drop"]) as remote:
        remote_settings(remote.url)
        with django_capture_on_commit_callbacks(execute=True):
            delivery = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
        assert delivery.status == DeliveryStatus.QUEUED  # sent after the transaction commits

        delivery.refresh_from_db()
        key = str(delivery.idempotency_key)
        # Three attempts, all with the same key: refused, answer lost, answered.
        assert remote.requests == [(key, "503"), (key, "drop"), (key, "ok")]
        assert list(remote.packages) == [key]
        stored = remote.packages[key]

    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.remote_receipt == stored.receipt
    assert delivery.attempts == 3
    assert delivery.last_error == ""
    assert stored.manifest == delivery.manifest
    # Every file arrived whole: the PDFs byte for byte, each with the manifest's hash.
    assert set(stored.files) == {entry["path"] for entry in delivery.manifest["files"]}
    document = next(e for e in delivery.manifest["files"] if e["kind"] == "document")
    with accepted.document.file.open("rb") as stream:
        assert stored.files[document["path"]] == stream.read()
    for entry in delivery.manifest["files"]:
        assert hashlib.sha256(stored.files[entry["path"]]).hexdigest() == entry["sha256"]
    assert AuditEvent.objects.filter(action="delivery.delivered").count() == 1


def test_a_failure_that_outlasts_the_retries_is_shown_to_the_lao_who_sends_it_again(
    world,
    year,
    accepted,
    completed,
    esar,
    client,
    remote_settings,
    django_capture_on_commit_callbacks,
):
    with remote_esar(script=["503", "503", "503"]) as remote:
        remote_settings(remote.url, retries=2)
        with django_capture_on_commit_callbacks(execute=True):
            delivery = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        assert delivery.attempts == 3
        assert "503" in delivery.last_error
        assert remote.packages == {}
        assert Notice.objects.filter(
            recipient=world.cm_city_officer, title__contains=delivery.receipt_number
        ).exists()

        client.force_login(esar.account.user)
        page = client.get(f"/esar/{delivery.pk}/", headers={"Accept-Language": "en"})
        assert 'data-testid="failed"' in page.content.decode()
        assert "503" in page.content.decode()
        assert 'data-testid="retry"' in page.content.decode()
        # Nothing is delivered twice meanwhile: the revisions are in this delivery already.
        assert services.deliver(lao=world.cm_city, year=year, actor=esar.account.user) is None

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/esar/{delivery.pk}/retry/")
        assert response.status_code == 302

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.DELIVERED
        assert list(remote.packages) == [str(delivery.idempotency_key)]
        assert {key for key, _ in remote.requests} == {str(delivery.idempotency_key)}
    assert Delivery.objects.count() == 1


def test_a_file_changed_after_delivery_is_never_sent(
    world, year, accepted, completed, esar, remote_settings, django_capture_on_commit_callbacks
):
    with remote_esar() as remote:
        remote_settings(remote.url)
        # The stored PDF is altered between the delivery and its sending.
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            delivery = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
        with open(accepted.document.file.path, "ab") as stored:
            stored.write(b"tampered")
        for callback in callbacks:
            callback()

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        assert "no longer matches" in delivery.last_error
        assert remote.requests == []
        assert remote.packages == {}


def test_a_delivered_package_is_not_sent_again_by_a_repeated_task(
    world, year, accepted, completed, esar, remote_settings, django_capture_on_commit_callbacks
):
    from esar.delivery.tasks import send_delivery

    with remote_esar() as remote:
        remote_settings(remote.url)
        with django_capture_on_commit_callbacks(execute=True):
            delivery = services.deliver(lao=world.cm_city, year=year, actor=esar.account.user)
        # The broker delivers the task a second time.
        send_delivery.delay(delivery.pk)
        assert len(remote.requests) == 1
        assert len(remote.packages) == 1
