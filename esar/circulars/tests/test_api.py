"""Circulars through the API: the caller's circulars with read flags, DLA writes and publishes."""

from __future__ import annotations

import datetime as dt

import pytest

from esar.api.tests.conftest import API, ApiClient
from esar.circulars import services
from esar.circulars.models import Circular, CircularRead, CircularStatus
from esar.circulars.tests.conftest import upload
from esar.testing.sar import pdf_bytes

pytestmark = pytest.mark.django_db


def post(api: ApiClient, path: str, token: str, data: dict | None = None):
    return api.client.post(
        f"{API}{path}",
        data if data is not None else {},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )


def test_the_list_gives_the_callers_circulars_unread_first_with_filters(
    world, publish, api, token_for
):
    old = publish(issued_on=dt.date(2025, 6, 1))
    new = publish(issued_on=dt.date(2026, 6, 1), provinces=("50",))
    publish(provinces=("40",))
    token = token_for(world.cm_city_officer)
    services.mark_read(circular=new, user=world.cm_city_officer)

    body = api.get("/circulars", token).json()
    assert body["count"] == 2
    assert [(item["id"], item["is_read"]) for item in body["items"]] == [
        (old.pk, False),
        (new.pk, True),
    ]
    first = body["items"][1]
    assert first["provinces"] == ["50"] and first["roles"] == []
    assert first["year"] == 2569 and first["issued_on"] == "2026-06-01"
    assert first["url"].endswith(f"/circulars/{new.pk}/")

    unread = api.get("/circulars", token, unread="true").json()
    assert [item["id"] for item in unread["items"]] == [old.pk]
    by_year = api.get("/circulars", token, year=2568).json()
    assert [item["id"] for item in by_year["items"]] == [old.pk]


def test_reading_through_the_api_marks_only_when_asked_and_others_get_404(
    world, publish, api, token_for
):
    circular = publish(provinces=("50",))
    token = token_for(world.cm_school_officer)
    detail = api.get(f"/circulars/{circular.pk}", token)
    assert detail.status_code == 200
    assert detail.json()["body"] == "บรรทัดแรก\nบรรทัดที่สอง"
    assert not CircularRead.objects.exists()
    read = post(api, f"/circulars/{circular.pk}/read", token)
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert CircularRead.objects.filter(user=world.cm_school_officer).count() == 1

    kk = token_for(world.kk_school_officer)
    assert api.get(f"/circulars/{circular.pk}", kk).status_code == 404
    assert post(api, f"/circulars/{circular.pk}/read", kk).status_code == 404
    assert api.get("/circulars", kk).json()["count"] == 0


def test_files_download_through_the_api_for_the_audience_only(world, publish, api, token_for):
    draft = publish(draft=True, provinces=("50",))
    data = pdf_bytes(1)
    attachment = services.attach_file(
        circular=draft, actor=world.dla_admin, upload=upload(data, "ปฏิทิน.pdf")
    )
    services.publish(circular=draft, actor=world.dla_admin)
    path = f"/circulars/{draft.pk}/files/{attachment.pk}"
    response = api.get(path, token_for(world.cm_supervisor))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["X-Checksum-SHA256"] == attachment.sha256
    assert (
        api.get(f"/circulars/{draft.pk}", token_for(world.cm_supervisor)).json()["files"][0]["name"]
        == "ปฏิทิน.pdf"
    )
    assert api.get(path, token_for(world.kk_supervisor)).status_code == 404


def test_dla_admin_writes_and_publishes_others_are_refused(world, api, token_for):
    payload = {
        "number": "มท 0816.4/ว 77",
        "title": "เปิดใช้บัญชี e-SAR",
        "issued_on": "2026-05-10",
        "body": "รายละเอียด",
        "provinces": ["50"],
        "roles": ["lao_officer", "province_supervisor"],
    }
    refused = post(api, "/circulars", token_for(world.dla_analyst), payload)
    assert refused.status_code == 403
    assert not Circular.objects.exists()

    token = token_for(world.dla_admin)
    created = post(api, "/circulars", token, payload)
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["status"] == "draft" and item["year"] == 2569
    assert item["roles"] == ["lao_officer", "province_supervisor"]
    assert post(api, "/circulars", token, payload).status_code == 422  # number taken
    bad = post(api, "/circulars", token, {**payload, "number": "ว 2", "provinces": ["99"]})
    assert bad.status_code == 422 and bad.json()["details"] == ["provinces"]

    # Drafts are DLA's only.
    lao = token_for(world.cm_city_officer)
    assert api.get(f"/circulars/{item['id']}", lao).status_code == 404
    assert post(api, f"/circulars/{item['id']}/publish", lao).status_code == 404
    supervisor = token_for(world.dla_analyst)
    assert post(api, f"/circulars/{item['id']}/publish", supervisor).status_code == 403

    published = post(api, f"/circulars/{item['id']}/publish", token, {"version": 1})
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert Circular.objects.get().status == CircularStatus.PUBLISHED
    assert post(api, f"/circulars/{item['id']}/publish", token).status_code == 409
    assert api.get(f"/circulars/{item['id']}", lao).status_code == 200
    assert (
        api.get(f"/circulars/{item['id']}", token_for(world.cm_school_officer)).status_code == 404
    )
