"""Background jobs through /api/v1/: the caller's jobs as their pages show them, nobody else's."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from esar.api.tests.conftest import API
from esar.core.models import Job
from esar.organizations.models import LocalAuthority
from esar.organizations.tests.test_import import LAO_HEADER, csv_bytes, good_workbook
from esar.synthesis.tasks import start_province_export
from esar.testing.years import make_year


def page_upload(client, user, data: bytes, name: str, callbacks) -> Job:
    """What the registry import page does: upload a file; the job runs once committed."""
    client.force_login(user)
    with callbacks(execute=True):
        client.post(reverse("organizations:import"), {"file": SimpleUploadedFile(name, data)})
    client.logout()
    return Job.objects.latest("pk")


@pytest.fixture
def imported(client, world, django_capture_on_commit_callbacks) -> Job:
    return page_upload(
        client, world.dla_admin, good_workbook(), "ทะเบียน.xlsx", django_capture_on_commit_callbacks
    )


@pytest.fixture
def refused(client, world, django_capture_on_commit_callbacks) -> Job:
    data = csv_bytes([LAO_HEADER, ["6510407", "เทศบาลตำบลบ้านธิ", "ลำภูน", "ทต.", "", ""]])
    return page_upload(
        client, world.dla_admin, data, "laos.csv", django_capture_on_commit_callbacks
    )


def test_a_finished_import_reports_its_outcome_as_its_page_does(api, world, token_for, imported):
    token = token_for(world.dla_admin)

    response = api.get(f"/jobs/{imported.pk}", token)

    assert response.status_code == 200, response.content
    job = response.json()
    assert job["kind"] == "registry_import"
    assert job["kind_label"] == "Registry import"
    assert (job["state"], job["state_label"], job["finished"]) == ("succeeded", "Succeeded", True)
    assert job["progress"]["percent"] == 100
    assert job["input_name"] == "ทะเบียน.xlsx"
    assert job["started_by"] == world.dla_admin.username
    assert job["url"] == f"{API}/jobs/{imported.pk}"
    assert job["page_url"] == f"/jobs/{imported.pk}/"
    assert job["file_url"] is None
    assert job["errors"] == [] and job["error_count"] == 0
    outcome = job["outcome"]
    assert outcome["dry_run"] is False
    assert outcome["table"]["columns"] == ["Created (rows)", "Updated", "Unchanged"]
    assert [row["label"] for row in outcome["table"]["rows"]] == [
        "Local authorities",
        "Institutions",
    ]
    assert outcome["counts"]["laos"]["created"] >= 1
    assert {"label": "File", "value": "ทะเบียน.xlsx"} in outcome["facts"]


def test_a_refused_file_lists_its_rows_with_thai_reasons(client, world, token_for, refused):
    token = token_for(world.dla_admin)

    # No Accept-Language: the answer is in Thai, as the pages are.
    response = client.get(f"{API}/jobs/{refused.pk}", headers={"Authorization": f"Bearer {token}"})

    job = response.json()
    assert job["state"] == "failed"
    assert job["outcome"] is None
    assert job["kind_label"] == "การนำเข้าทะเบียน"
    assert job["failed_text"].startswith("ไฟล์ไม่ผ่านการตรวจสอบ")
    assert job["error_count"] == 1
    [error] = job["errors"]
    assert (error["row"], error["column"]) == (2, "จังหวัด")
    assert "ลำภูน" in error["reason"]
    assert "is not a province" not in error["reason"]


def test_the_reasons_follow_the_callers_language(api, world, token_for, refused):
    job = api.get(f"/jobs/{refused.pk}", token_for(world.dla_admin)).json()
    assert "“ลำภูน” is not a province" in job["errors"][0]["reason"]
    assert "nothing was changed" in job["failed_text"]


@pytest.mark.parametrize(
    "persona", ["dla_analyst", "cm_supervisor", "cm_city_officer", "onesqa_reviewer", "nobody"]
)
def test_someone_elses_job_is_404_and_not_in_their_list(api, world, token_for, imported, persona):
    token = token_for(getattr(world, persona))

    assert api.get(f"/jobs/{imported.pk}", token).status_code == 404
    assert api.get(f"/jobs/{imported.pk}/file", token).status_code == 404
    listed = api.get("/jobs", token).json()
    assert listed == {"count": 0, "items": []}


def test_the_list_holds_the_callers_jobs_newest_first_with_filters(
    api, world, token_for, imported, refused
):
    token = token_for(world.dla_admin)

    listed = api.get("/jobs", token).json()
    assert [item["id"] for item in listed["items"]] == [refused.pk, imported.pk]
    assert listed["items"][0]["error_count"] == 1
    failed = api.get("/jobs", token, state="failed").json()
    assert [item["id"] for item in failed["items"]] == [refused.pk]
    assert api.get("/jobs", token, kind="assessments_import").json()["count"] == 0
    assert api.get("/jobs", token, state="done").status_code == 422


def test_a_supervisors_export_links_to_its_file_for_the_supervisor_only(
    api, world, token_for, django_capture_on_commit_callbacks
):
    year = make_year(2569)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_province_export(province=world.chiang_mai, year=year, actor=world.cm_supervisor)
    token = token_for(world.cm_supervisor)

    found = api.get(f"/jobs/{job.pk}", token).json()
    assert found["state"] == "succeeded"
    assert found["file_url"] == f"{API}/jobs/{job.pk}/file"
    download = api.client.get(found["file_url"], headers={"Authorization": f"Bearer {token}"})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.worksheets

    # The same export's job and file are nobody else's, not even another province's supervisor.
    other = token_for(world.kk_supervisor)
    assert api.get(f"/jobs/{job.pk}", other).status_code == 404
    assert api.get(f"/jobs/{job.pk}/file", other).status_code == 404
    # A DLA administrator sees every job, as on the job pages.
    assert api.get(f"/jobs/{job.pk}", token_for(world.dla_admin)).status_code == 200


def test_a_job_that_made_no_file_has_no_download(api, world, token_for, imported):
    assert api.get(f"/jobs/{imported.pk}/file", token_for(world.dla_admin)).status_code == 404
    assert LocalAuthority.objects.filter(code="6510407").exists()


def test_without_a_token_it_is_401(api, imported):
    assert api.get("/jobs").status_code == 401
    assert api.get(f"/jobs/{imported.pk}").status_code == 401
