"""Background jobs: claimed once, progress only while running, visible to their starter and DLA admins."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.core import jobs
from esar.core.models import Job
from esar.organizations.models import Agency


def make_job(user, **fields) -> Job:
    job = jobs.create_job(kind="registry_import", user=user, input_name="laos.csv")
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)
        job.refresh_from_db()
    return job


def test_a_job_is_started_only_once(world):
    job = make_job(world.dla_admin)
    assert job.status == Job.Status.QUEUED
    assert jobs.start_job(job.pk) is True
    # A task delivered twice by the broker must not run the work twice.
    assert jobs.start_job(job.pk) is False
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert job.started_at is not None


def test_progress_is_recorded_only_while_running_and_never_beyond_the_total(world):
    job = make_job(world.dla_admin)
    jobs.set_progress(job.pk, done=5, total=10)
    job.refresh_from_db()
    assert job.progress_done == 0  # still queued

    jobs.start_job(job.pk)
    jobs.set_progress(job.pk, done=5, total=10, stage="Reading")
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.percent, job.stage) == (5, 10, 50, "Reading")

    jobs.set_progress(job.pk, done=12, total=10)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (12, 12)


def test_finishing_records_the_result_or_the_errors_once(world):
    ok = make_job(world.dla_admin)
    jobs.start_job(ok.pk)
    assert jobs.finish_job(ok.pk, result={"n": 1}) is True
    assert jobs.finish_job(ok.pk, errors=[{"message": "late"}]) is False
    ok.refresh_from_db()
    assert ok.status == Job.Status.SUCCEEDED
    assert ok.result == {"n": 1}
    assert ok.finished_at is not None
    assert ok.percent == 100

    bad = make_job(world.dla_admin)
    jobs.start_job(bad.pk)
    jobs.finish_job(bad.pk, errors=[{"row": 2, "column": "code", "message": "bad"}])
    bad.refresh_from_db()
    assert bad.status == Job.Status.FAILED
    assert bad.errors[0]["row"] == 2


def test_the_progress_reporter_writes_at_most_once_per_interval(world, django_assert_num_queries):
    job = make_job(world.dla_admin)
    jobs.start_job(job.pk)
    report = jobs.ProgressReporter(job.pk, interval=3600)
    with django_assert_num_queries(1):
        report(1, 100)
        report(2, 100)
        report(3, 100)
    with django_assert_num_queries(1):
        report(100, 100)  # the last step is always written


def test_error_text_is_translated_from_its_msgid_when_shown(world):
    error = {
        "msgid": "The code %(value)s is also in row %(other)s.",
        "params": {"value": "1", "other": 2},
    }
    with translation.override("en"):
        assert jobs.error_reason(error) == "The code 1 is also in row 2."
    with translation.override("th"):
        assert jobs.error_reason(error) == "รหัส 1 ซ้ำกับแถวที่ 2"
    assert jobs.error_reason({"message": "plain"}) == "plain"


def test_a_job_is_visible_to_its_starter_and_to_dla_administrators_only(world):
    dla = Agency.objects.get(code="DLA")
    other_admin = create_account(
        username="dla.admin2", password=None, role=Role.DLA_ADMIN, organization=dla
    )
    job = make_job(world.dla_admin)
    assert jobs.job_for(world.dla_admin, job.pk) == job
    assert jobs.job_for(other_admin, job.pk) == job
    for outsider in (world.dla_analyst, world.cm_supervisor, world.cm_school_officer, world.nobody):
        with pytest.raises(Http404):
            jobs.job_for(outsider, job.pk)
    own = make_job(world.cm_supervisor)
    assert jobs.job_for(world.cm_supervisor, own.pk) == own
    assert list(jobs.jobs_for(world.cm_supervisor)) == [own]


# --- The job page ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, world):
    job = make_job(world.dla_admin)
    response = client.get(reverse("core:job_detail", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["dla_analyst", "cm_supervisor", "cm_school_officer", "nobody"])
def test_someone_elses_job_page_is_404(client, world, persona):
    job = make_job(world.dla_admin)
    client.force_login(getattr(world, persona))
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_status", args=[job.pk])).status_code == 404


def test_a_missing_job_is_404_like_a_forbidden_one(client, world):
    client.force_login(world.dla_admin)
    assert client.get(reverse("core:job_detail", args=[999999])).status_code == 404


def test_a_running_job_page_refreshes_itself_with_and_without_javascript(client, world):
    job = make_job(world.dla_admin, status=Job.Status.RUNNING, progress_done=30, progress_total=120)
    client.force_login(world.dla_admin)
    client.cookies["esar_language"] = "en"

    body = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()

    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in body
    assert f'hx-get="{reverse("core:job_status", args=[job.pk])}"' in body
    assert 'hx-trigger="every 2s"' in body
    assert '<progress id="job-progress" class="w-100" max="100" value="25">' in body
    assert "30 of 120" in body
    assert "Running" in body


def test_the_polled_partial_stops_polling_when_the_job_is_done(client, world):
    job = make_job(world.dla_admin, status=Job.Status.RUNNING)
    client.force_login(world.dla_admin)
    client.cookies["esar_language"] = "en"
    url = reverse("core:job_status", args=[job.pk])

    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" in running
    assert "<html" not in running

    jobs.finish_job(job.pk, result={"note": "Checked only: nothing was saved."})
    done = client.get(url, headers={"HX-Request": "true"})
    assert "hx-get" not in done.content.decode()
    assert "Succeeded" in done.content.decode()
    assert done["Cache-Control"] == "no-store"
