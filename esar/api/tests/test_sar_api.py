"""The whole SAR cycle through /api/v1/: a school that writes its SAR elsewhere pushes it here."""

from __future__ import annotations

import hashlib

import pytest

from esar.api.tests.conftest import API
from esar.sar.models import Revision, Sar, SarStatus
from esar.testing.sar import complete_content, make_year, pdf_bytes


@pytest.fixture
def year(db):
    return make_year(2569)


class Caller:
    """One persona's API session in English, with its bearer token."""

    def __init__(self, client, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def get(self, path: str, **params):
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path: str, body=None):
        return self.client.post(
            f"{API}{path}", body or {}, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body):
        return self.client.patch(
            f"{API}{path}", body, content_type="application/json", headers=self.headers
        )

    def upload(self, path: str, data: bytes, name: str = "sar.pdf"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post(
            f"{API}{path}",
            {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
            headers=self.headers,
        )


@pytest.fixture
def caller(client, token_for, world):
    def make(persona: str) -> Caller:
        return Caller(client, token_for(getattr(world, persona)))

    return make


def open_and_fill(school: Caller, year: int = 2569) -> dict:
    opened = school.post("/sars", {"institution": "3050000001", "year": year})
    assert opened.status_code == 200, opened.content
    body = opened.json()
    assert body["status"] == "draft"
    assert body["missing"]
    sar = Sar.objects.get(pk=body["id"])
    content = complete_content(sar)
    saved = school.patch(f"/sars/{body['id']}", {"version": body["version"], **content})
    assert saved.status_code == 200, saved.content
    uploaded = school.upload(f"/sars/{body['id']}/document", pdf_bytes(3))
    assert uploaded.status_code == 200, uploaded.content
    return school.get(f"/sars/{body['id']}").json()


def test_the_whole_cycle_through_the_api(caller, world, year):
    school = caller("cm_school_officer")
    lao = caller("cm_city_officer")
    sar = open_and_fill(school)
    assert sar["missing"] == []
    assert sar["document"]["pages"] == 3

    submitted = school.post(f"/sars/{sar['id']}/submit", {"version": sar["version"]})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["number"] == 1
    assert submitted.json()["is_late"] is False

    queue = lao.get("/review-queue").json()
    assert [entry["id"] for entry in queue["items"]] == [sar["id"]]

    item_id = int(next(iter(sar["content"]["items"])))
    returned = lao.post(
        f"/sars/{sar['id']}/revisions/1/return",
        {"reasons": [{"section": "item", "item_id": item_id, "text": "Add evidence"}]},
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["reasons"] == [
        {"section": "item", "item_id": item_id, "text": "Add evidence"}
    ]
    assert lao.get("/review-queue").json()["count"] == 0

    again = school.get(f"/sars/{sar['id']}").json()
    assert again["status"] == "returned"
    entry = again["content"]["items"][str(item_id)]
    saved = school.patch(
        f"/sars/{sar['id']}",
        {"version": again["version"], "items": {str(item_id): {**entry, "evidence": "Photos"}}},
    )
    resubmitted = school.post(f"/sars/{sar['id']}/submit", {"version": saved.json()["version"]})
    assert resubmitted.json()["number"] == 2

    accepted = lao.post(f"/sars/{sar['id']}/revisions/2/accept", {"note": "OK"})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"

    revisions = school.get(f"/sars/{sar['id']}/revisions").json()
    assert [(r["number"], r["status"]) for r in revisions] == [(1, "returned"), (2, "accepted")]
    first = school.get(f"/sars/{sar['id']}/revisions/1").json()
    assert first["content"]["items"][str(item_id)]["evidence"] == ""


def test_files_download_with_their_hash_and_only_in_scope(caller, world, year):
    school = caller("cm_school_officer")
    sar = open_and_fill(school)
    url = sar["document"]["url"]
    response = school.client.get(url, headers=school.headers)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == sar["document"]["sha256"]
    assert response["X-Checksum-SHA256"] == sar["document"]["sha256"]
    for persona in ("kk_school_officer", "cm_sao_officer", "kk_supervisor", "onesqa_reviewer"):
        other = caller(persona)
        assert other.client.get(url, headers=other.headers).status_code == 404
    supervisor = caller("cm_supervisor")
    assert supervisor.client.get(url, headers=supervisor.headers).status_code == 200


@pytest.mark.parametrize(
    "persona", ["kk_school_officer", "cm_sao_officer", "kk_town_officer", "kk_supervisor"]
)
def test_outsiders_get_404_on_every_sar_endpoint(caller, world, year, persona):
    sar = open_and_fill(caller("cm_school_officer"))
    other = caller(persona)
    base = f"/sars/{sar['id']}"
    assert other.get(base).status_code == 404
    assert other.get(f"{base}/revisions").status_code == 404
    assert other.patch(base, {"version": sar["version"], "summary": {}}).status_code == 404
    assert other.upload(f"{base}/document", pdf_bytes(1)).status_code == 404
    assert other.post(f"{base}/submit", {"version": sar["version"]}).status_code == 404
    assert other.post(f"{base}/revisions/1/accept").status_code == 404
    assert sar["id"] not in [s["id"] for s in other.get("/sars").json()["items"]]
    assert Sar.objects.get(pk=sar["id"]).version == sar["version"]


def test_in_scope_but_not_their_role_is_403(caller, world, year):
    school = caller("cm_school_officer")
    sar = open_and_fill(school)
    school.post(f"/sars/{sar['id']}/submit", {"version": sar["version"]})
    supervisor = caller("cm_supervisor")
    refused = supervisor.post(f"/sars/{sar['id']}/revisions/1/accept")
    assert refused.status_code == 403
    assert school.post(f"/sars/{sar['id']}/revisions/1/accept").status_code == 403
    assert Revision.objects.get().status == "pending"


def test_a_stale_version_is_409_and_changes_nothing(caller, world, year):
    school = caller("cm_school_officer")
    sar = open_and_fill(school)
    school.patch(f"/sars/{sar['id']}", {"version": sar["version"], "summary": {"plan": "new"}})
    stale = school.patch(
        f"/sars/{sar['id']}", {"version": sar["version"], "summary": {"plan": "x"}}
    )
    assert stale.status_code == 409
    assert "Someone else changed this report" in stale.json()["detail"]
    assert Sar.objects.get(pk=sar["id"]).content["summary"]["plan"] == "new"


def test_an_incomplete_draft_is_422_with_the_list(caller, world, year):
    school = caller("cm_school_officer")
    opened = school.post("/sars", {"institution": "3050000001", "year": 2569}).json()
    refused = school.post(f"/sars/{opened['id']}/submit", {"version": opened["version"]})
    assert refused.status_code == 422
    assert len(refused.json()["details"]) == len(opened["missing"])
    assert Sar.objects.get(pk=opened["id"]).status == SarStatus.DRAFT


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"plain text pretending", "not a PDF"),
        (b"", "empty"),
        (pdf_bytes(2)[:-100], "incomplete"),
        (pdf_bytes(1, password="x"), "password"),
    ],
)
def test_bad_uploads_through_the_api_are_422_with_the_reason(caller, world, year, data, reason):
    school = caller("cm_school_officer")
    opened = school.post("/sars", {"institution": "3050000001", "year": 2569}).json()
    refused = school.upload(f"/sars/{opened['id']}/document", data)
    assert refused.status_code == 422
    assert reason in refused.json()["detail"]
    assert Sar.objects.get(pk=opened["id"]).document is None


def test_an_upload_declared_over_the_limit_is_refused_before_reading(caller, world, year, client):
    year.upload_limit_mb = 1
    year.save()
    school = caller("cm_school_officer")
    opened = school.post("/sars", {"institution": "3050000001", "year": 2569}).json()
    refused = client.generic(
        "POST",
        f"{API}/sars/{opened['id']}/document",
        data=b"x",
        content_type="multipart/form-data; boundary=zz",
        headers=school.headers,
        # What a client declares before sending 5 MB: refused without reading the body.
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )
    assert refused.status_code == 422
    assert "1 MB" in refused.json()["detail"]


def test_standards_and_years_are_readable(caller, world, year):
    school = caller("cm_school_officer")
    sets = school.get("/standard-sets").json()
    assert {s["code"] for s in sets} >= {"basic-2561", "early-childhood-2561", "vocational-2561"}
    basic = school.get("/standard-sets/basic-2561").json()
    assert len(basic["standards"]) == 3
    assert sum(len(s["items"]) for s in basic["standards"]) == 21
    assert [level["rank"] for level in basic["quality_levels"]] == [1, 2, 3, 4, 5]
    years = school.get("/years").json()
    assert [y["year"] for y in years] == [2569]
    assert school.get("/years/2569").json()["target_group_years"] == 5


def test_sars_filter_by_the_years_target_group(caller, world, year):
    import datetime as dt

    from esar.testing.years import assess

    school = caller("cm_school_officer")
    sar = open_and_fill(school)
    supervisor = caller("cm_supervisor")

    def ids(**params) -> list[int]:
        return [s["id"] for s in supervisor.get("/sars", **params).json()["items"]]

    # Never assessed: in the group.
    assert ids(year=2569, target_group="true") == [sar["id"]]
    assert ids(year=2569, target_group="false") == []
    # Assessed two years before semester 1 of 2569: out of it.
    assess(world.cm_school, dt.date(2024, 1, 10))
    assert ids(year=2569, target_group="true") == []
    assert ids(year=2569, target_group="false") == [sar["id"]]
    # Without a year there is no target group to filter by.
    assert ids(target_group="true") == []
