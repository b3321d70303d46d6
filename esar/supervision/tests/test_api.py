"""Supervision visits through the API: the same scoping and rules as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from esar.accounts.tokens import issue_token
from esar.core.models import AuditEvent
from esar.supervision import services
from esar.supervision.models import FollowUp, FollowUpStatus, Visit
from esar.supervision.tests.conftest import days_ago, record

API = "/api/v1"


class Api:
    def __init__(self, user) -> None:
        self.client = Client()
        self.headers = {
            "Authorization": f"Bearer {issue_token(user=user).token}",
            "Accept-Language": "en",
        }

    def get(self, path: str, **params):
        return self.client.get(f"{API}{path}", params, headers=self.headers)

    def post(self, path: str, body: dict):
        return self.client.post(
            f"{API}{path}", body, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body: dict):
        return self.client.patch(
            f"{API}{path}", body, content_type="application/json", headers=self.headers
        )


def visit_body(**values) -> dict:
    body = {
        "target": "2500101",
        "visit_date": days_ago(2).isoformat(),
        "visitors": ["นางสมศรี ใจดี ศึกษานิเทศก์", "นายสมชาย รักงาน"],
        "findings": "ผู้บริหารให้ความสำคัญกับการประกันคุณภาพ",
        "recommendations": "จัดอบรมครู",
        "follow_ups": [
            {
                "action": "ส่งแผนพัฒนา",
                "responsible": "กองการศึกษา",
                "due_date": days_ago(-14).isoformat(),
            }
        ],
    }
    body.update(values)
    return body


def test_the_supervisor_records_a_visit_and_reads_it_back(world):
    api = Api(world.cm_supervisor)
    response = api.post("/visits", visit_body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["target"] == "lao"
    assert (data["province"], data["lao"], data["institution"]) == ("50", "2500101", None)
    assert data["visitors"] == ["นางสมศรี ใจดี ศึกษานิเทศก์", "นายสมชาย รักงาน"]
    assert data["follow_ups_open"] == 1
    assert data["follow_ups"][0]["status"] == "open"
    assert data["follow_ups"][0]["overdue"] is False
    assert api.get(f"/visits/{data['id']}").json()["findings"] == data["findings"]
    to_school = api.post("/visits", visit_body(target="3050000001", follow_ups=[]))
    assert to_school.status_code == 201
    assert (to_school.json()["target"], to_school.json()["lao"]) == ("institution", "2500101")
    assert AuditEvent.objects.filter(action="supervision.visit_recorded").count() == 2


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"visit_date": days_ago(-1).isoformat()}, "future"),
        ({"findings": " "}, "found"),
        (
            {
                "follow_ups": [
                    {"action": "a", "responsible": "b", "due_date": days_ago(3).isoformat()}
                ]
            },
            "before the visit",
        ),
    ],
)
def test_bad_visits_are_422_and_change_nothing(world, values, expected):
    response = Api(world.cm_supervisor).post("/visits", visit_body(**values))
    assert response.status_code == 422, response.content
    assert expected in " ".join([response.json()["detail"], *response.json()["details"]])
    assert not Visit.objects.exists()


def test_malformed_requests_are_422(world):
    api = Api(world.cm_supervisor)
    assert api.post("/visits", visit_body(target="25001")).status_code == 422
    assert api.post("/visits", visit_body(visitors=[])).status_code == 422
    assert api.get("/visits", province="5").status_code == 422
    assert not Visit.objects.exists()


def test_a_place_outside_ones_province_is_404_and_a_role_that_cannot_write_is_403(world):
    assert Api(world.kk_supervisor).post("/visits", visit_body()).status_code == 404
    assert (
        Api(world.kk_supervisor).post("/visits", visit_body(target="3050000001")).status_code == 404
    )
    # The school's officer sees its LAO in the registry, so the refusal is of the role.
    for persona in ("dla_admin", "dla_analyst", "cm_city_officer", "cm_school_officer"):
        response = Api(getattr(world, persona)).post("/visits", visit_body())
        assert response.status_code == 403, persona
    assert (
        Api(world.cm_school_officer).post("/visits", visit_body(target="6500102")).status_code
        == 404
    )
    assert not Visit.objects.exists()


def test_reading_is_scoped_like_the_pages(world):
    cm = record(world, follow_ups=[("ติดตาม", "กอง", days_ago(1))])
    services.record_visit(
        actor=world.kk_supervisor,
        lao=world.kk_town,
        visit_date=days_ago(5),
        visitors="ทีมขอนแก่น",
        findings="ขอนแก่น",
    )

    def ids(user, **params) -> list[int]:
        response = Api(user).get("/visits", **params)
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert len(ids(world.dla_analyst)) == 2
    assert ids(world.dla_analyst, province="50") == [cm.pk]
    assert ids(world.dla_admin, lao="2500101") == [cm.pk]
    assert ids(world.cm_supervisor) == [cm.pk]
    assert ids(world.cm_city_officer) == [cm.pk]
    assert ids(world.cm_sao_officer) == []
    assert ids(world.onesqa_reviewer) == []
    assert ids(world.cm_supervisor, year=days_ago(10).year + 543) == [cm.pk]
    assert ids(world.cm_supervisor, date_from=days_ago(5).isoformat()) == []
    assert Api(world.kk_supervisor).get(f"/visits/{cm.pk}").status_code == 404
    assert Api(world.cm_sao_officer).get(f"/visits/{cm.pk}").status_code == 404
    assert Api(world.cm_city_officer).get(f"/visits/{cm.pk}").status_code == 200
    rows = Api(world.cm_supervisor).get("/follow-ups").json()["items"]
    assert [(row["overdue"], row["lao"]) for row in rows] == [(True, "2500101")]
    assert Api(world.kk_supervisor).get("/follow-ups").json()["count"] == 0


def test_follow_ups_are_added_closed_and_reopened_through_the_api(world):
    visit = record(world)
    api = Api(world.cm_supervisor)
    added = api.post(
        f"/visits/{visit.pk}/follow-ups",
        {"action": "ส่งรายงาน", "responsible": "กอง", "due_date": days_ago(-3).isoformat()},
    )
    assert added.status_code == 201, added.content
    follow_up_id = added.json()["id"]
    for persona in ("dla_admin", "cm_city_officer"):
        refused = Api(getattr(world, persona)).post(
            f"/follow-ups/{follow_up_id}/close", {"note": "x"}
        )
        assert refused.status_code == 403
    assert (
        Api(world.kk_supervisor)
        .post(f"/follow-ups/{follow_up_id}/close", {"note": "x"})
        .status_code
        == 404
    )
    assert api.post(f"/follow-ups/{follow_up_id}/close", {"note": ""}).status_code == 422
    closed = api.post(f"/follow-ups/{follow_up_id}/close", {"note": "ได้รับแล้ว"})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closed_by"]) == ("closed", "cm.supervisor")
    assert api.post(f"/follow-ups/{follow_up_id}/close", {"note": "อีก"}).status_code == 409
    assert api.get("/follow-ups", status="closed").json()["count"] == 1
    assert api.get("/follow-ups").json()["count"] == 0
    reopened = api.post(f"/follow-ups/{follow_up_id}/reopen", {"reason": "ไม่ครบ"})
    assert reopened.status_code == 200
    assert FollowUp.objects.get().status == FollowUpStatus.OPEN


def test_a_visit_is_corrected_with_its_version(world):
    visit = record(world)
    api = Api(world.cm_supervisor)
    response = api.patch(f"/visits/{visit.pk}", {"version": 1, "findings": "แก้ไขแล้ว"})
    assert response.status_code == 200, response.content
    assert (response.json()["findings"], response.json()["version"]) == ("แก้ไขแล้ว", 2)
    assert api.patch(f"/visits/{visit.pk}", {"version": 1, "findings": "ทับ"}).status_code == 409
    assert (
        Api(world.dla_admin)
        .patch(f"/visits/{visit.pk}", {"version": 2, "findings": "x"})
        .status_code
        == 403
    )
    assert Api(world.kk_supervisor).patch(f"/visits/{visit.pk}", {"version": 2}).status_code == 404
    visit.refresh_from_db()
    assert visit.findings == "แก้ไขแล้ว"
