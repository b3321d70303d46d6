"""The deployment path: the upload is queued on the real Redis broker and a Celery worker runs it."""

from __future__ import annotations

import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app
from esar.core.models import Job
from esar.organizations.models import Institution, LocalAuthority
from esar.organizations.tests.test_import import good_workbook

REDIS_URL = os.environ.get("ESAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.broker, pytest.mark.xdist_group("broker")]


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        # The suite runs on the machine's real Redis: a missing broker is a failure, not a pass.
        pytest.fail(f"no Redis broker at {REDIS_URL}: start Redis or set ESAR_TEST_REDIS_URL")
    # The session's Celery app already points at REDIS_URL (see conftest.py); only stop running eagerly.
    assert app.conf.broker_url == REDIS_URL
    app.conf.task_always_eager = False
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


def test_an_upload_is_run_by_a_worker_and_the_job_page_follows_it(
    client, transactional_world, broker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = transactional_world
    client.force_login(world.dla_admin)
    client.cookies["esar_language"] = "en"

    response = client.post(
        reverse("organizations:import"),
        {"file": SimpleUploadedFile("registry.xlsx", good_workbook())},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.2)
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert job.finished_at is not None
    assert LocalAuthority.objects.filter(code="6510407").exists()
    assert Institution.objects.filter(code="3051000001").exists()
    body = client.get(response["Location"]).content.decode()
    assert "Succeeded" in body
