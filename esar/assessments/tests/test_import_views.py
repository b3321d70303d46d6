"""The import page: DLA administrators and ONESQA reviewers; the job page shows the outcome."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from esar.assessments.models import ExternalAssessment
from esar.assessments.tests.test_import import HEADER, ROWS, good_file
from esar.core.models import Job
from esar.organizations.tests.test_import import csv_bytes

URLS = ["/assessments/import/", "/assessments/import/template.xlsx"]


def login_en(client, user):
    client.force_login(user)
    client.cookies["esar_language"] = "en"


def upload(client, data: bytes, name: str, *, callbacks, dry_run: bool = False):
    form = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        form["dry_run"] = "on"
    with callbacks(execute=True):
        return client.post(reverse("assessments:import"), form)


@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "persona",
    ["cm_school_officer", "cm_city_officer", "cm_supervisor", "dla_analyst", "helpdesk", "nobody"],
)
def test_everyone_but_dla_administrators_and_onesqa_reviewers_gets_404(client, world, persona, url):
    client.force_login(getattr(world, persona))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["cm_school_officer", "cm_supervisor"])
def test_a_school_officer_or_a_supervisor_cannot_post_a_file_either(
    client, world, persona, django_capture_on_commit_callbacks
):
    client.force_login(getattr(world, persona))
    response = upload(client, good_file(), "a.xlsx", callbacks=django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert not Job.objects.exists()
    assert not ExternalAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["dla_admin", "onesqa_reviewer"])
def test_the_page_explains_the_columns_and_offers_the_template(client, world, persona):
    login_en(client, getattr(world, persona))
    body = client.get("/assessments/import/").content.decode()
    assert 'type="file"' in body and 'enctype="multipart/form-data"' in body
    assert "วันที่ประเมิน" in body and "รหัส สมศ." in body
    assert reverse("assessments:template") in body

    response = client.get("/assessments/import/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0] == tuple(HEADER)
    assert len(rows) == 2


def test_an_onesqa_reviewer_uploads_a_file_and_sees_the_result(
    client, world, settings, django_capture_on_commit_callbacks
):
    login_en(client, world.onesqa_reviewer)

    response = upload(
        client, good_file(), "สมศ 2568.xlsx", callbacks=django_capture_on_commit_callbacks
    )

    job = Job.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.kind, job.status, job.created_by) == (
        "assessments_import",
        Job.Status.SUCCEEDED,
        world.onesqa_reviewer,
    )
    stored = (Path(settings.MEDIA_ROOT) / job.input_path).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == job.params["sha256"]
    assert ExternalAssessment.objects.count() == 4
    body = client.get(response["Location"]).content.decode()
    assert "Import of external assessments" in body
    assert "Succeeded" in body
    assert "External assessments" in body and "สมศ 2568.xlsx" in body
    assert reverse("assessments:import") in body  # "Import another file"
    assert "สมศ 2568.xlsx" in client.get("/assessments/import/").content.decode()


def test_a_refused_file_lists_its_rows_on_the_job_page_and_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    login_en(client, world.dla_admin)
    data = csv_bytes([HEADER, ROWS[0], ["3050009999", "", "", "", "x", ""]])

    response = upload(client, data, "a.csv", callbacks=django_capture_on_commit_callbacks)

    assert Job.objects.get().status == Job.Status.FAILED
    assert not ExternalAssessment.objects.exists()
    body = client.get(response["Location"]).content.decode()
    assert "nothing was changed" in body
    assert "<td>3</td><td>รหัสสถานศึกษา</td>" in body
    assert "No institution in the registry has the MOE code 3050009999." in body
    assert "<td>3</td><td>วันที่ประเมิน</td>" in body


def test_a_pdf_is_refused_with_a_clear_message_before_any_job(
    client, world, django_capture_on_commit_callbacks
):
    login_en(client, world.dla_admin)
    response = upload(
        client, b"%PDF-1.4\n...", "onesqa.xlsx", callbacks=django_capture_on_commit_callbacks
    )
    assert response.status_code == 422
    assert "This is a PDF file, not a table. Upload the external assessments" in (
        response.content.decode()
    )
    assert not Job.objects.exists()


def test_a_dry_run_saves_nothing(client, world, django_capture_on_commit_callbacks):
    login_en(client, world.dla_admin)
    response = upload(
        client, good_file(), "a.xlsx", dry_run=True, callbacks=django_capture_on_commit_callbacks
    )
    assert not ExternalAssessment.objects.exists()
    assert "Checked only: nothing was saved." in client.get(response["Location"]).content.decode()


def test_a_file_over_the_size_limit_is_refused_before_any_job(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.ESAR_IMPORT_MAX_BYTES = 100
    login_en(client, world.dla_admin)
    response = upload(client, good_file(), "a.xlsx", callbacks=django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert "The file is too large" in response.content.decode()
    assert not Job.objects.exists()


def test_another_reviewer_cannot_open_the_job(client, world, django_capture_on_commit_callbacks):
    login_en(client, world.onesqa_reviewer)
    response = upload(client, good_file(), "a.xlsx", callbacks=django_capture_on_commit_callbacks)
    client.force_login(world.helpdesk)
    assert client.get(response["Location"]).status_code == 404
    client.force_login(world.dla_admin)
    assert client.get(response["Location"]).status_code == 200
