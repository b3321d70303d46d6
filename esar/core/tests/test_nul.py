"""A NUL character anywhere in a request is refused with a 4xx and changes nothing.

PostgreSQL cannot store or compare text with NUL, so before RefuseNulMiddleware such a value was a
server error in some 48 places (filters, path parameters, JSON text fields), reachable by every
role. These run on the test database of `make test`, PostgreSQL.
"""

from __future__ import annotations

import json

import pytest

from esar.accounts.tokens import issue_token
from esar.sar.models import Sar, SarStatus
from esar.sar.services import drafts, revisions
from esar.testing.sar import fill_complete
from esar.testing.years import make_year

API = "/api/v1"


@pytest.fixture
def token(world):
    return issue_token(user=world.dla_admin).token


@pytest.mark.parametrize(
    "path",
    [
        "/laos?province=%00",
        "/laos?q=a%00b",
        "/institutions?province=%00",
        "/institutions?lao=%00",
        "/sars?province=%00",
        "/sars?institution=%00",
        "/deliveries?province=%00",
        "/progress/institutions?province=%00",
        "/progress/laos?province=%00",
        "/syntheses?province=%00",
        "/visits?lao=%00",
        "/follow-ups?lao=%00",
        "/circulars?q=%00",
        "/laos?%00=1",
    ],
)
def test_a_nul_in_an_api_filter_is_a_422_naming_the_field(client, token, path):
    response = client.get(f"{API}{path}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "คำขอมีค่าที่ไม่ถูกต้อง ดูรายละเอียดใน errors"
    assert body["errors"][0]["location"] == "query"
    assert body["errors"][0]["message"] == "มีอักขระที่ไม่อนุญาต"


@pytest.mark.parametrize(
    "path",
    [
        "/laos/a%00b",
        "/institutions/a%00b",
        "/provinces/5%000",
        "/syntheses/a%00b/2569",
        "/dashboards/province/5%000",
    ],
)
def test_a_nul_in_an_api_path_names_nothing(client, token, path):
    response = client.get(f"{API}{path}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    assert response.json() == {"detail": "ไม่พบข้อมูล"}


@pytest.mark.parametrize(
    "path",
    [
        "/registry/laos/a%00b/",
        "/registry/institutions/a%00b/",
        "/monitoring/province/5%000/",
        "/monitoring/lao/a%00b/",
    ],
)
def test_a_nul_in_a_page_address_is_the_not_found_page(client, world, path):
    client.force_login(world.dla_admin)
    response = client.get(path)
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/registry/laos/?q=%00", "/registry/institutions/?province=%00", "/sar/all/?lao=%00"],
)
def test_a_nul_in_a_page_filter_is_a_thai_422_page(client, world, path):
    client.force_login(world.dla_admin)
    response = client.get(path)
    assert response.status_code == 422
    page = response.content.decode()
    assert "มีอักขระที่ไม่อนุญาต" in page
    assert "ไม่มีการเปลี่ยนแปลง" in page


def test_a_nul_in_a_posted_form_changes_nothing(client, world):
    from urllib.parse import urlencode

    from esar.testing.world import PASSWORD

    client.force_login(world.cm_school_officer)
    new = "a-new-password-2570\x00"
    response = client.post(
        "/accounts/password/",
        urlencode({"old_password": PASSWORD, "new_password1": new, "new_password2": new}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 422
    world.cm_school_officer.refresh_from_db()
    assert world.cm_school_officer.check_password(PASSWORD)


@pytest.fixture
def draft(world, db) -> Sar:
    year = make_year(2569, is_open=True)
    sar = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    return fill_complete(sar, world.cm_school_officer)


def _send(client, method, path, user, body):
    token = issue_token(user=user).token
    return client.generic(
        method,
        f"{API}{path}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_json_text_with_nul_is_refused_and_the_draft_is_unchanged(client, world, draft):
    before = (draft.version, draft.content)
    body = {"version": draft.version, "summary": {**draft.content["summary"], "strengths": "ดี\x00"}}
    response = _send(client, "PATCH", f"/sars/{draft.pk}", world.cm_school_officer, body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "body", "field": "summary.strengths", "message": "มีอักขระที่ไม่อนุญาต"}
    ]
    draft.refresh_from_db()
    assert (draft.version, draft.content) == before


def test_accept_and_return_with_nul_leave_the_revision_waiting(client, world, draft):
    revision = revisions.submit(
        sar=draft, actor=world.cm_school_officer, expected_version=draft.version
    )
    path = f"/sars/{draft.pk}/revisions/{revision.number}"
    accept = _send(client, "POST", f"{path}/accept", world.cm_city_officer, {"note": "\x00"})
    assert accept.status_code == 422
    reasons = {"reasons": [{"section": "general", "text": "แก้ไข\x00"}], "note": ""}
    returned = _send(client, "POST", f"{path}/return", world.cm_city_officer, reasons)
    assert returned.status_code == 422
    assert returned.json()["errors"][0]["field"] == "reasons.0.text"
    draft.refresh_from_db()
    assert draft.status == SarStatus.SUBMITTED


def test_a_synthesis_summary_with_nul_is_refused(client, world, draft):
    body = {"version": 0, "summary": "สรุป\x00", "issues": []}
    response = _send(
        client, "PUT", f"/syntheses/{world.cm_city.code}/2569", world.cm_city_officer, body
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "summary"


def test_file_uploads_with_nul_bytes_in_their_content_still_pass(client, world, draft):
    # PDFs are binary: the middleware never reads multipart bodies.
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject

    from esar.testing.sar import upload

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"\x00\x01\x02" * 100)
    writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert b"\x00" in data
    token = issue_token(user=world.cm_school_officer).token
    response = client.post(
        f"{API}/sars/{draft.pk}/evidence",
        {"file": upload(data, "evidence.pdf")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.json()["sha256"]
