"""Bulk issuance of e-SAR accounts through /api/v1/: DLA administrators only, downloads audited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from esar.api.tests.conftest import API
from esar.core.models import AuditEvent, Job
from esar.delivery import distribution
from esar.delivery.models import EsarAccount, IssuanceBatch

OTHERS = ["dla_analyst", "cm_supervisor", "cm_city_officer", "onesqa_reviewer", "helpdesk"]


class Caller:
    def __init__(self, client, token: str, callbacks) -> None:
        self.client = client
        self.callbacks = callbacks
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def get(self, path: str, **params):
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path: str, body: dict, *, run: bool = True):
        # The batch's job is queued on commit and, as in every test, runs then unless told not to.
        with self.callbacks(execute=run):
            return self.client.post(
                f"{API}{path}", body, content_type="application/json", headers=self.headers
            )

    def delete(self, path: str):
        return self.client.delete(f"{API}{path}", headers=self.headers)


@pytest.fixture
def as_user(client, token_for, django_capture_on_commit_callbacks):
    def make(user) -> Caller:
        return Caller(client, token_for(user), django_capture_on_commit_callbacks)

    return make


@pytest.fixture
def dla(world, as_user) -> Caller:
    return as_user(world.dla_admin)


@pytest.fixture
def issued(dla) -> dict:
    """Chiang Mai's batch, run to the end."""
    response = dla.post("/issuances", {"province": "50"})
    assert response.status_code == 202, response.content
    return dla.get(f"/issuances/{response.json()['id']}").json()


def downloads() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action="esar_account.distribution_downloaded").order_by("pk")
    )


def test_the_plan_counts_what_a_batch_would_issue(world, dla):
    province = dla.get("/issuances/plan", province="50").json()
    country = dla.get("/issuances/plan").json()

    assert province["province"] == "50"
    assert (province["active"], province["with_account"], province["to_issue"]) == (2, 0, 2)
    assert province["provinces"] == [
        {"code": "50", "name": "เชียงใหม่", "active": 2, "with_account": 0, "to_issue": 2}
    ]
    assert country["province"] is None
    assert [row["code"] for row in country["provinces"]] == ["40", "50"]
    assert country["to_issue"] == 3
    assert dla.get("/issuances/plan", province="99").status_code == 404
    assert dla.get("/issuances/plan", province="5").status_code == 422


def test_a_province_batch_runs_as_a_job_and_reports_its_files(world, dla):
    response = dla.post("/issuances", {"province": "50"})

    assert response.status_code == 202, response.content
    started = response.json()
    batch = IssuanceBatch.objects.get()
    assert started["id"] == batch.pk
    assert (started["scope"], started["province"]) == ("province", "50")
    assert started["url"] == f"{API}/issuances/{batch.pk}"
    assert started["job"]["id"] == batch.job_id
    assert started["job"]["kind"] == "esar_accounts_issuance"
    assert started["job"]["issuance_url"] == started["url"]
    assert AuditEvent.objects.filter(action="esar_account.issuance_started").count() == 1

    detail = dla.get(f"/issuances/{batch.pk}").json()
    assert detail["finished"] is True
    assert (detail["issued_count"], detail["skipped_count"]) == (2, 0)
    assert (detail["provinces_done"], detail["provinces_total"]) == (1, 1)
    assert detail["job"]["state"] == "succeeded"
    assert detail["job"]["progress"]["percent"] == 100
    [part] = detail["parts"]
    assert (part["province_code"], part["issued"], part["failed"]) == ("50", 2, False)
    assert part["pdf_url"] == f"{API}/issuances/{batch.pk}/files/50.pdf"
    assert part["xlsx_url"] == f"{API}/issuances/{batch.pk}/files/50.xlsx"
    assert part["pdf_size"] > 0
    assert detail["zip_url"] == f"{API}/issuances/{batch.pk}/all.zip"
    assert EsarAccount.objects.filter(lao__province_id="50", revoked_at__isnull=True).count() == 2

    job = dla.get(f"/jobs/{batch.job_id}").json()
    assert {"label": "Accounts issued", "value": 2} in job["outcome"]["facts"]
    listed = dla.get("/issuances").json()
    assert [item["id"] for item in listed["items"]] == [batch.pk]


def test_starting_again_while_under_way_answers_the_same_batch(world, dla):
    first = dla.post("/issuances", {}, run=False).json()
    again = dla.post("/issuances", {}, run=False).json()

    assert again["id"] == first["id"]
    assert first["scope"] == "national" and first["province"] is None
    assert first["finished"] is False and first["job"]["state"] == "queued"
    assert first["zip_url"] is None
    assert IssuanceBatch.objects.count() == 1
    # Its files cannot be deleted before it has finished.
    refused = dla.delete(f"/issuances/{first['id']}/files")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Wait until the issuance has finished."


def test_a_batch_after_the_first_issues_nothing_new(world, dla, issued):
    again = dla.post("/issuances", {"province": "50"}).json()
    detail = dla.get(f"/issuances/{again['id']}").json()
    assert again["id"] != issued["id"]
    assert (detail["issued_count"], detail["parts"], detail["zip_url"]) == (0, [], None)


def test_downloads_are_audited_and_never_cached(world, dla, issued):
    for url, content_type in (
        (issued["parts"][0]["pdf_url"], distribution.PDF),
        (issued["parts"][0]["xlsx_url"], distribution.XLSX),
    ):
        response = dla.client.get(url, headers=dla.headers)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content)
    events = downloads()
    assert [event.data["file"] for event in events] == [
        distribution.document_name(issued["id"], "50", "pdf"),
        distribution.document_name(issued["id"], "50", "xlsx"),
    ]
    assert {event.actor_id for event in events} == {world.dla_admin.pk}
    assert dla.get(f"/issuances/{issued['id']}/files/40.pdf").status_code == 404


def test_the_whole_country_in_one_zip(world, dla):
    started = dla.post("/issuances", {}).json()

    response = dla.get(f"/issuances/{started['id']}/all.zip")

    assert response.status_code == 200
    assert response["Content-Type"] == distribution.ZIP
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        distribution.document_name(started["id"], code, ext)
        for code in ("40", "50")
        for ext in ("pdf", "xlsx")
    )
    assert [event.data["file"] for event in downloads()] == [f"esar-accounts-{started['id']}.zip"]


def test_deleting_the_files_ends_the_downloads_and_keeps_the_accounts(world, dla, issued):
    batch = IssuanceBatch.objects.get(pk=issued["id"])
    paths = [part.pdf_path for part in batch.provinces.all()]

    response = dla.delete(f"/issuances/{batch.pk}/files")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["has_files"] is False and body["files_deleted_at"]
    assert body["zip_url"] is None
    assert body["parts"][0]["pdf_url"] is None and body["parts"][0]["xlsx_url"] is None
    assert not any(default_storage.exists(path) for path in paths)
    assert dla.get(f"/issuances/{batch.pk}/files/50.pdf").status_code == 404
    assert dla.get(f"/issuances/{batch.pk}/all.zip").status_code == 404
    assert AuditEvent.objects.filter(action="esar_account.distribution_deleted").count() == 1
    assert EsarAccount.objects.filter(revoked_at__isnull=True).count() == 2
    again = dla.delete(f"/issuances/{batch.pk}/files")
    assert again.status_code == 409
    assert downloads() == []


@pytest.mark.parametrize("persona", OTHERS)
def test_only_dla_administrators_issue_and_nothing_changes_for_others(
    world, as_user, issued, persona
):
    caller = as_user(getattr(world, persona))
    batch_id = issued["id"]
    accounts = EsarAccount.objects.count()

    assert caller.get("/issuances/plan", province="50").status_code == 403
    refused = caller.post("/issuances", {"province": "40"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only DLA administrators issue e-SAR accounts."
    assert caller.get("/issuances").status_code == 403
    for path in (
        f"/issuances/{batch_id}",
        f"/issuances/{batch_id}/files/50.pdf",
        f"/issuances/{batch_id}/files/50.xlsx",
        f"/issuances/{batch_id}/all.zip",
    ):
        assert caller.get(path).status_code == 404, path
    assert caller.delete(f"/issuances/{batch_id}/files").status_code == 404

    assert IssuanceBatch.objects.count() == 1
    assert Job.objects.count() == 1
    assert EsarAccount.objects.count() == accounts
    assert IssuanceBatch.objects.get().has_files
    assert downloads() == []
    # Nor is the batch's job theirs.
    assert caller.get(f"/jobs/{issued['job']['id']}").status_code == 404


def test_without_a_token_it_is_401(api, issued):
    assert api.get("/issuances").status_code == 401
    assert api.get(f"/issuances/{issued['id']}/files/50.pdf").status_code == 401
    assert downloads() == []
