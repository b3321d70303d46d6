"""The helpdesk through the API: an LAO reports a problem and follows it, the helpdesk updates it,
with the pages' scoping: other LAOs, provinces and roles see nothing and change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from esar.accounts.models import OneTimePassword
from esar.api.tests.conftest import API
from esar.core.models import AuditEvent, Notice
from esar.delivery import accounts as esar_accounts
from esar.helpdesk import services
from esar.helpdesk.models import Report, ReportUpdate

PROBLEM = {"category": "file", "description": "อัปโหลดไฟล์ PDF ไม่ได้", "page_url": "/sar/12/"}


def call(method: str, token: str, path: str, body=None, language: str = "en", **params):
    client = Client()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}
    if method == "get":
        return client.get(f"{API}{path}", params, headers=headers)
    return client.post(f"{API}{path}", body or {}, content_type="application/json", headers=headers)


@pytest.fixture
def report(world) -> Report:
    """A problem Doi Kham's officer reported through the page's service."""
    return services.submit_report(actor=world.cm_city_officer, **PROBLEM)


def snapshot() -> list[tuple]:
    return list(Report.objects.order_by("pk").values_list("pk", "status", "version")) + list(
        ReportUpdate.objects.order_by("pk").values_list("pk", "to_status", "message")
    )


def test_an_lao_officer_reports_a_problem_and_follows_it(world, token_for):
    token = token_for(world.cm_city_officer)

    created = call("post", token, "/helpdesk/reports", PROBLEM)

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"].startswith("HD-")
    assert body["status"] == "open"
    assert body["lao_code"] == "2500101"
    assert body["reporter"] == "cm.city"
    assert [step["to_status"] for step in body["history"]] == ["open"]
    report = Report.objects.get()
    assert report.reference == body["reference"]
    assert AuditEvent.objects.filter(
        action="helpdesk.report_submitted", actor=world.cm_city_officer
    ).exists()
    assert Notice.objects.filter(recipient=world.helpdesk).exists()
    listed = call("get", token, "/helpdesk/reports").json()
    assert [item["reference"] for item in listed["items"]] == [body["reference"]]
    detail = call("get", token, f"/helpdesk/reports/{body['reference']}")
    assert detail.status_code == 200
    assert detail.json()["description"] == PROBLEM["description"]


def test_the_lao_delivery_account_reports_too(world, token_for):
    issued = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    # Its officer chose their own password (POST /auth/password, test_password_api.py).
    OneTimePassword.objects.filter(user=issued.account.user).update(replaced_at=timezone.now())

    response = call("post", token_for(issued.account.user), "/helpdesk/reports", PROBLEM)

    assert response.status_code == 201, response.content
    assert response.json()["lao_code"] == "2500101"


def test_a_refused_report_is_422_naming_the_field_and_saves_nothing(world, token_for):
    token = token_for(world.cm_city_officer)

    blank = call("post", token, "/helpdesk/reports", {**PROBLEM, "description": "   "}, "th")
    away = call("post", token, "/helpdesk/reports", {**PROBLEM, "page_url": "//evil.example/"})

    assert blank.status_code == away.status_code == 422
    assert [e["field"] for e in blank.json()["errors"]] == ["description"]
    assert any("\u0e00" <= c <= "\u0e7f" for c in blank.json()["errors"][0]["message"])
    assert [e["field"] for e in away.json()["errors"]] == ["page_url"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "cm_supervisor",
        "dla_admin",
        "dla_analyst",
        "cm_school_officer",
        "onesqa_reviewer",
        "helpdesk",
    ],
)
def test_roles_that_do_not_report_are_refused_with_403(world, token_for, persona):
    response = call("post", token_for(getattr(world, persona)), "/helpdesk/reports", PROBLEM)

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_helpdesk_sees_every_report_and_filters_like_the_page(world, token_for, report):
    other = services.submit_report(
        actor=world.kk_town_officer, category="login", description="เข้าสู่ระบบไม่ได้"
    )
    token = token_for(world.helpdesk)

    everything = call("get", token, "/helpdesk/reports").json()
    khon_kaen = call("get", token, "/helpdesk/reports", province="40").json()
    logins = call("get", token, "/helpdesk/reports", category="login").json()

    assert everything["count"] == 2
    assert [item["reference"] for item in khon_kaen["items"]] == [other.reference]
    assert [item["reference"] for item in logins["items"]] == [other.reference]


@pytest.mark.parametrize("persona", ["kk_town_officer", "cm_sao_officer"])
def test_another_laos_officer_neither_lists_nor_reads_the_report(world, token_for, report, persona):
    token = token_for(getattr(world, persona))

    listed = call("get", token, "/helpdesk/reports").json()
    detail = call("get", token, f"/helpdesk/reports/{report.reference}")

    assert listed["count"] == 0
    assert detail.status_code == 404


@pytest.mark.parametrize(
    "persona", ["cm_supervisor", "kk_supervisor", "dla_admin", "cm_school_officer", "nobody"]
)
def test_roles_that_follow_no_reports_are_refused(world, token_for, report, persona):
    token = token_for(getattr(world, persona))

    assert call("get", token, "/helpdesk/reports").status_code == 403
    assert call("get", token, f"/helpdesk/reports/{report.reference}").status_code == 404


def test_the_helpdesk_moves_a_report_on_and_the_reporter_is_told(world, token_for, report):
    token = token_for(world.helpdesk)

    response = call(
        "post",
        token,
        f"/helpdesk/reports/{report.reference}/status",
        {"status": "in_progress", "message": "กำลังตรวจสอบ", "version": report.version},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["version"] == report.version + 1
    assert [step["to_status"] for step in body["history"]] == ["open", "in_progress"]
    assert body["history"][-1]["message"] == "กำลังตรวจสอบ"
    assert AuditEvent.objects.filter(action="helpdesk.report_updated", actor=world.helpdesk)
    assert Notice.objects.filter(recipient=world.cm_city_officer).exists()
    # The LAO follows it.
    seen = call("get", token_for(world.cm_city_officer), f"/helpdesk/reports/{report.reference}")
    assert seen.json()["status"] == "in_progress"


def test_a_stale_version_is_409_and_a_move_not_offered_is_422(world, token_for, report):
    token = token_for(world.helpdesk)
    path = f"/helpdesk/reports/{report.reference}/status"
    assert call("post", token, path, {"status": "closed", "version": 1}).status_code == 200
    before = snapshot()

    stale = call("post", token, path, {"status": "resolved", "version": 1})
    not_offered = call("post", token, path, {"status": "resolved", "version": 2})

    assert stale.status_code == 409
    assert not_offered.status_code == 422
    assert [e["field"] for e in not_offered.json()["errors"]] == ["status"]
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["cm_city_officer", "kk_town_officer", "dla_admin"])
def test_only_the_helpdesk_updates_a_report(world, token_for, report, persona):
    before = snapshot()

    response = call(
        "post",
        token_for(getattr(world, persona)),
        f"/helpdesk/reports/{report.reference}/status",
        {"status": "closed", "version": report.version},
    )

    # The reporter's LAO sees the report but may not update it; others do not see it.
    assert response.status_code == (403 if persona == "cm_city_officer" else 404)
    assert snapshot() == before


def test_a_reference_that_does_not_exist_or_is_malformed_is_404(world, token_for, report):
    token = token_for(world.helpdesk)

    assert call("get", token, "/helpdesk/reports/HD-2569-99999").status_code == 404
    assert call("get", token, "/helpdesk/reports/not-a-reference").status_code == 404
    assert call("get", token, f"/helpdesk/reports/{report.pk}").status_code == 404


def test_it_needs_a_token(world):
    assert Client().get(f"{API}/helpdesk/reports").status_code == 401
