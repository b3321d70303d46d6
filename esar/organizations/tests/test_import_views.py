"""The import pages: only DLA administrators; the upload runs the job and its page shows the outcome."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from esar.core.models import Job
from esar.organizations.models import Institution, LocalAuthority
from esar.organizations.tests.test_import import LAO_HEADER, csv_bytes, good_workbook

IMPORT_URLS = ["/registry/import/", "/registry/import/template.xlsx"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def login_en(client, user):
    client.force_login(user)
    client.cookies["esar_language"] = "en"


def upload(client, data: bytes, name: str, *, dry_run: bool = False, callbacks=None):
    form = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        form["dry_run"] = "on"
    with callbacks(execute=True):
        return client.post(reverse("organizations:import"), form)


@pytest.mark.parametrize("url", IMPORT_URLS)
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", IMPORT_URLS)
@pytest.mark.parametrize(
    "persona", ["cm_school_officer", "cm_city_officer", "cm_supervisor", "dla_analyst", "nobody"]
)
def test_everyone_but_a_dla_administrator_is_refused(client, world, persona, url):
    """Readers of the registry may not import into it: 403; an account without a role: 404."""
    client.force_login(getattr(world, persona))
    assert client.get(url).status_code == (404 if persona == "nobody" else 403)


def test_a_school_officer_cannot_post_a_file_either(
    client, world, django_capture_on_commit_callbacks
):
    login_en(client, world.cm_school_officer)
    response = upload(
        client, good_workbook(), "r.xlsx", callbacks=django_capture_on_commit_callbacks
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
    assert not LocalAuthority.objects.filter(code="6510407").exists()


def test_the_upload_page_explains_the_columns_and_offers_the_template(client, world):
    login_en(client, world.dla_admin)
    response = client.get("/registry/import/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in body
    assert 'enctype="multipart/form-data"' in body
    assert "รหัสสถานศึกษา" in body and "รหัส อปท." in body
    assert "อบจ., เทศบาลนคร" in body
    assert reverse("organizations:import_template") in body
    assert 'aria-current="page' in body  # the "Import registry" tab is the current one


def test_the_template_is_an_xlsx_with_thai_headers_and_an_example_of_each_kind(client, world):
    client.force_login(world.dla_admin)
    response = client.get("/registry/import/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["อปท.", "สถานศึกษา"]
    lao_rows = list(workbook["อปท."].iter_rows(values_only=True))
    assert lao_rows[0][:2] == ("รหัส อปท.", "ชื่อ อปท.")
    assert len(lao_rows) == 2
    institution_rows = list(workbook["สถานศึกษา"].iter_rows(values_only=True))
    assert institution_rows[0][0] == "รหัสสถานศึกษา"
    assert len(institution_rows) == 2


def test_a_dla_administrator_uploads_a_file_and_sees_the_result(
    client, world, media, django_capture_on_commit_callbacks
):
    login_en(client, world.dla_admin)

    response = upload(
        client, good_workbook(), "ทะเบียน 2568.xlsx", callbacks=django_capture_on_commit_callbacks
    )

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED
    assert job.created_by == world.dla_admin
    assert job.input_name == "ทะเบียน 2568.xlsx"
    assert job.input_path.startswith("imports/")
    stored = (media / job.input_path).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == job.params["sha256"]
    assert LocalAuthority.objects.filter(code="6510407").exists()
    assert Institution.objects.filter(code="3051000001").exists()

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Succeeded" in body
    assert "ทะเบียน 2568.xlsx" in body
    assert "Local authorities" in body and "Institutions" in body
    assert 'http-equiv="refresh"' not in body  # finished: no more refreshing
    assert "hx-get" not in body
    assert "Import another file" in body


def test_a_refused_file_shows_the_row_errors_and_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    login_en(client, world.dla_admin)
    before = LocalAuthority.objects.count()
    data = csv_bytes([LAO_HEADER, ["6510407", "เทศบาลตำบลบ้านธิ", "ลำภูน", "ทต.", "", ""]])

    response = upload(client, data, "laos.csv", callbacks=django_capture_on_commit_callbacks)

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert LocalAuthority.objects.count() == before
    body = client.get(response["Location"]).content.decode()
    assert "Failed" in body
    assert "nothing was changed" in body
    assert 'data-testid="job-errors"' in body
    assert "<td>2</td><td>จังหวัด</td>" in body
    assert "“ลำภูน” is not a province" in body


def test_a_pdf_named_xlsx_is_refused_on_the_upload_page_before_any_job(
    client, world, django_capture_on_commit_callbacks
):
    login_en(client, world.dla_admin)
    response = upload(
        client, b"%PDF-1.4\n...", "registry.xlsx", callbacks=django_capture_on_commit_callbacks
    )
    assert response.status_code == 422
    assert "This is a PDF file, not a table. Upload the registry as .xlsx or .csv." in (
        response.content.decode()
    )
    assert not Job.objects.exists()


def test_a_dry_run_from_the_page_saves_nothing(client, world, django_capture_on_commit_callbacks):
    login_en(client, world.dla_admin)
    response = upload(
        client,
        good_workbook(),
        "r.xlsx",
        dry_run=True,
        callbacks=django_capture_on_commit_callbacks,
    )
    assert not LocalAuthority.objects.filter(code="6510407").exists()
    body = client.get(response["Location"]).content.decode()
    assert "Checked only: nothing was saved." in body


def test_a_file_over_the_size_limit_is_refused_before_any_job(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.ESAR_IMPORT_MAX_BYTES = 100
    login_en(client, world.dla_admin)
    response = upload(
        client, good_workbook(), "r.xlsx", callbacks=django_capture_on_commit_callbacks
    )
    assert response.status_code == 422
    assert "The file is too large" in response.content.decode()
    assert not Job.objects.exists()


def test_the_upload_page_lists_recent_imports(client, world, django_capture_on_commit_callbacks):
    login_en(client, world.dla_admin)
    upload(client, good_workbook(), "first.xlsx", callbacks=django_capture_on_commit_callbacks)
    body = client.get("/registry/import/").content.decode()
    assert "first.xlsx" in body


def test_posting_without_a_file_shows_the_form_again(client, world):
    login_en(client, world.dla_admin)
    response = client.post(reverse("organizations:import"), {})
    assert response.status_code == 422
    assert "is-invalid" in response.content.decode()
    assert not Job.objects.exists()
