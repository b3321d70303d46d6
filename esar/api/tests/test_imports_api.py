"""Imports through /api/v1/: a file uploaded as on the import pages, imported by a job."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from esar.api.tests.conftest import API
from esar.assessments.models import ExternalAssessment
from esar.assessments.tests.test_import import good_file as assessments_file
from esar.core.models import Job
from esar.organizations.models import Institution, LocalAuthority
from esar.organizations.tests.test_import import LAO_HEADER, csv_bytes, good_workbook

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


class Uploader:
    def __init__(self, client, token: str, callbacks, language: str | None = "en") -> None:
        self.client = client
        self.callbacks = callbacks
        self.headers = {"Authorization": f"Bearer {token}"}
        if language:
            self.headers["Accept-Language"] = language

    def post(self, kind: str, data: bytes | None, name: str = "file.xlsx", **fields):
        form = dict(fields)
        if data is not None:
            form["file"] = SimpleUploadedFile(name, data)
        # The job is queued on commit and, as in every test, runs then (no broker, no runner).
        with self.callbacks(execute=True):
            return self.client.post(f"{API}/imports/{kind}", form, headers=self.headers)

    def get(self, path: str):
        return self.client.get(f"{API}{path}", headers=self.headers)


@pytest.fixture
def uploader(client, token_for, django_capture_on_commit_callbacks):
    def make(user, language: str | None = "en") -> Uploader:
        return Uploader(client, token_for(user), django_capture_on_commit_callbacks, language)

    return make


def stored_imports() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_dla_administrator_imports_the_registry_and_follows_the_job(world, uploader):
    dla = uploader(world.dla_admin)

    response = dla.post("registry", good_workbook(), "ทะเบียน 2568.xlsx")

    assert response.status_code == 202, response.content
    started = response.json()
    job = Job.objects.get()
    assert started["id"] == job.pk
    assert started["kind"] == "registry_import"
    assert started["url"] == f"{API}/jobs/{job.pk}"
    assert job.created_by == world.dla_admin
    assert job.input_name == "ทะเบียน 2568.xlsx"
    assert LocalAuthority.objects.filter(code="6510407").exists()
    assert Institution.objects.filter(code="3051000001").exists()

    done = dla.get(f"/jobs/{job.pk}").json()
    assert done["state"] == "succeeded"
    assert done["outcome"]["counts"]["laos"]["created"] == 2
    assert done["outcome"]["dry_run"] is False


def test_rows_refused_by_the_job_change_nothing_and_are_listed_in_thai(world, uploader):
    before = LocalAuthority.objects.count()
    dla = uploader(world.dla_admin, language=None)
    data = csv_bytes([LAO_HEADER, ["6510407", "เทศบาลตำบลบ้านธิ", "ลำภูน", "ทต.", "", ""]])

    response = dla.post("registry", data, "laos.csv")

    assert response.status_code == 202
    job = dla.get(response.json()["url"].removeprefix(API)).json()
    assert job["state"] == "failed"
    assert [(error["row"], error["column"]) for error in job["errors"]] == [(2, "จังหวัด")]
    assert "ลำภูน" in job["errors"][0]["reason"]
    assert "province" not in job["errors"][0]["reason"]
    assert LocalAuthority.objects.count() == before


def test_a_dry_run_reports_and_saves_nothing(world, uploader):
    response = uploader(world.dla_admin).post("registry", good_workbook(), dry_run="true")

    assert response.status_code == 202
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert job.params["dry_run"] is True
    assert not LocalAuthority.objects.filter(code="6510407").exists()
    outcome = uploader(world.dla_admin).get(f"/jobs/{job.pk}").json()["outcome"]
    assert outcome["dry_run"] is True
    assert outcome["note"] == "Checked only: nothing was saved."


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.4\n...", "registry.xlsx", "ไฟล์นี้เป็นไฟล์ PDF ไม่ใช่ตาราง"),
        (PNG, "registry.png", "ไฟล์นี้เป็นรูปภาพ ไม่ใช่ตาราง"),
        (b"", "registry.csv", "ไฟล์ที่ส่งว่างเปล่า"),
    ],
)
def test_a_file_that_is_no_table_is_422_in_thai_and_queues_nothing(
    world, uploader, data, name, reason
):
    response = uploader(world.dla_admin, language=None).post("registry", data, name)

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"].startswith(reason)
    assert body["details"] == [body["detail"]]
    assert not Job.objects.exists()
    assert stored_imports() == []


def test_a_pdf_is_refused_with_the_reason_of_its_import(world, uploader):
    registry = uploader(world.dla_admin).post("registry", b"%PDF-1.4\n", "a.xlsx").json()
    assessments = uploader(world.dla_admin).post("assessments", b"%PDF-1.4\n", "a.xlsx").json()
    assert registry["detail"] == (
        "This is a PDF file, not a table. Upload the registry as .xlsx or .csv."
    )
    assert assessments["detail"] == (
        "This is a PDF file, not a table. Upload the external assessments as .xlsx or .csv."
    )
    assert not Job.objects.exists()


def test_a_file_over_the_size_limit_or_none_at_all_is_422(world, uploader, settings):
    settings.ESAR_IMPORT_MAX_BYTES = 100
    dla = uploader(world.dla_admin)

    too_large = dla.post("registry", good_workbook())
    missing = dla.post("registry", None)

    assert too_large.status_code == 422
    assert "The file is too large" in too_large.json()["detail"]
    assert missing.status_code == 422
    assert missing.json()["detail"] == "This field is required."
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "dla_analyst",
        "onesqa_reviewer",
        "helpdesk",
        "cm_supervisor",
        "cm_city_officer",
        "cm_school_officer",
        "nobody",
    ],
)
def test_only_a_dla_administrator_imports_the_registry(world, uploader, persona):
    before = LocalAuthority.objects.count()
    caller = uploader(getattr(world, persona))

    response = caller.post("registry", good_workbook())

    assert response.status_code == 403
    assert response.json()["detail"] == "Only DLA administrators import the registry."
    assert not Job.objects.exists()
    assert LocalAuthority.objects.count() == before
    assert stored_imports() == []
    assert caller.get("/imports/registry/template").status_code == 403


def test_onesqa_reviewers_import_external_assessments(world, uploader):
    onesqa = uploader(world.onesqa_reviewer)

    response = onesqa.post("assessments", assessments_file(), "สมศ.xlsx")

    assert response.status_code == 202, response.content
    job = Job.objects.get()
    assert response.json()["kind"] == "assessments_import"
    assert job.created_by == world.onesqa_reviewer
    assert ExternalAssessment.objects.exists()
    assert onesqa.get(f"/jobs/{job.pk}").json()["state"] == "succeeded"
    # The reviewer's job is the reviewer's: another reviewer of the same import may not read it.
    assert uploader(world.dla_analyst).get(f"/jobs/{job.pk}").status_code == 404


@pytest.mark.parametrize(
    "persona", ["dla_analyst", "cm_supervisor", "cm_city_officer", "cm_school_officer"]
)
def test_others_may_not_import_external_assessments(world, uploader, persona):
    caller = uploader(getattr(world, persona))

    response = caller.post("assessments", assessments_file())

    assert response.status_code == 403
    assert not Job.objects.exists()
    assert not ExternalAssessment.objects.exists()
    assert caller.get("/imports/assessments/template").status_code == 403


@pytest.mark.parametrize(
    ("persona", "kind", "sheet"),
    [
        ("dla_admin", "registry", "อปท."),
        ("dla_admin", "assessments", "การประเมินภายนอก"),
        ("onesqa_reviewer", "assessments", "การประเมินภายนอก"),
    ],
)
def test_the_templates_of_the_pages(world, uploader, persona, kind, sheet):
    response = uploader(getattr(world, persona)).get(f"/imports/{kind}/template")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="esar-{"registry" if kind == "registry" else kind}-template.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert sheet in book.sheetnames


def test_an_unknown_kind_is_422(world, uploader):
    assert uploader(world.dla_admin).post("provinces", good_workbook()).status_code == 422
    assert not Job.objects.exists()
