"""The embedded mode (no broker): an upload returns at once and its job runs on the runner thread."""

from __future__ import annotations

import threading

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from esar.core import background
from esar.core.models import Job
from esar.organizations.models import LocalAuthority
from esar.organizations.tests.test_import import good_workbook


def test_an_upload_returns_before_its_import_runs_and_the_job_page_follows_it(
    client, transactional_world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ESAR_JOBS_IN_BACKGROUND = True  # as in `make run`: no broker, the runner is on
    world = transactional_world
    client.force_login(world.dla_admin)
    client.cookies["esar_language"] = "en"

    # Keep the runner busy so that the import is still waiting when the request has returned.
    release = threading.Event()
    background.submit(release.wait, 30)
    try:
        response = client.post(
            reverse("organizations:import"),
            {"file": SimpleUploadedFile("registry.xlsx", good_workbook())},
        )
        job = Job.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("core:job_detail", args=[job.pk])
        assert job.status == Job.Status.QUEUED
        assert not LocalAuthority.objects.filter(code="6510407").exists()

        page = client.get(response["Location"]).content.decode()
        assert "Queued" in page
        assert "This page refreshes by itself." in page
        assert 'hx-trigger="every 2s"' in page
    finally:
        release.set()

    background.wait_until_idle(timeout=60)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.started_at is not None and job.finished_at is not None
    assert LocalAuthority.objects.filter(code="6510407").exists()
    page = client.get(reverse("core:job_status", args=[job.pk])).content.decode()
    assert "Succeeded" in page
    assert "hx-get" not in page


def test_without_the_runner_tests_and_brokerless_tasks_still_run_at_commit(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(world.dla_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organizations:import"),
            {"file": SimpleUploadedFile("registry.xlsx", good_workbook())},
        )
    assert Job.objects.get().status == Job.Status.SUCCEEDED
