"""Academic years through the API: DLA's administrators create and edit them as on the pages;
everyone else is refused and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from esar.api.tests.conftest import API
from esar.core.models import AuditEvent
from esar.cycles.models import AcademicYear
from esar.testing.years import make_year


@pytest.fixture
def year(db):
    return make_year(2569)


def call(method: str, token: str, path: str, body=None, language: str = "en"):
    return getattr(Client(), method)(
        f"{API}{path}",
        body or {},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": language},
    )


def snapshot(year: int) -> dict:
    return AcademicYear.objects.filter(pk=year).values().get()


def test_dla_admin_moves_a_deadline_and_the_upload_limit(world, token_for, year):
    token = token_for(world.dla_admin)
    read = call("get", token, "/years/2569").json()

    response = call(
        "patch",
        token,
        "/years/2569",
        {"version": read["version"], "sar_due": "2027-01-15", "upload_limit_mb": 50},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sar_due"] == "2027-01-15"
    assert body["upload_limit_mb"] == 50
    assert body["review_due"] == read["review_due"]
    assert body["version"] != read["version"]
    saved = AcademicYear.objects.get(pk=2569)
    assert saved.sar_due == dt.date(2027, 1, 15)
    assert saved.upload_limit_mb == 50
    event = AuditEvent.objects.get(action="years.updated")
    assert event.actor == world.dla_admin
    assert set(event.data["changes"]) == {"sar_due", "upload_limit_mb"}


def test_a_deadline_before_the_one_before_it_is_422_in_thai_and_nothing_changes(
    world, token_for, year
):
    before = snapshot(2569)

    response = call(
        "patch",
        token_for(world.dla_admin),
        "/years/2569",
        {"review_due": "2026-06-01", "upload_limit_mb": 50},
        language="th",
    )

    assert response.status_code == 422
    body = response.json()
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"review_due"}
    assert all(error["location"] == "body" for error in body["errors"])
    assert "ก่อน" in body["errors"][0]["message"]
    assert snapshot(2569) == before
    assert not AuditEvent.objects.filter(action="years.updated").exists()


def test_an_unreadable_date_is_422_naming_the_field(world, token_for, year):
    before = snapshot(2569)

    response = call(
        "patch", token_for(world.dla_admin), "/years/2569", {"sar_due": "2569-13-40"}, "th"
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "sar_due"
    assert error["message"] == "ต้องเป็นวันที่ (ปปปป-ดด-วว แบบ ค.ศ.)"
    assert snapshot(2569) == before


def test_a_save_over_someone_elses_is_409_and_changes_nothing(world, token_for, year):
    token = token_for(world.dla_admin)
    read = call("get", token, "/years/2569").json()
    assert call("patch", token, "/years/2569", {"upload_limit_mb": 60}).status_code == 200
    before = snapshot(2569)

    stale = call("patch", token, "/years/2569", {"version": read["version"], "upload_limit_mb": 70})

    assert stale.status_code == 409
    assert "Someone else saved" in stale.json()["detail"]
    assert snapshot(2569) == before


@pytest.mark.parametrize(
    "persona",
    [
        "dla_analyst",
        "cm_supervisor",
        "kk_supervisor",
        "cm_city_officer",
        "cm_school_officer",
        "onesqa_reviewer",
        "helpdesk",
    ],
)
def test_other_roles_are_refused_with_403_and_nothing_changes(world, token_for, year, persona):
    token = token_for(getattr(world, persona))
    before = snapshot(2569)

    edit = call("patch", token, "/years/2569", {"upload_limit_mb": 5})
    create = call("post", token, "/years", new_year(2570))

    assert edit.status_code == create.status_code == 403
    assert "DLA administrators" in edit.json()["detail"]
    assert snapshot(2569) == before
    assert not AcademicYear.objects.filter(pk=2570).exists()


def test_an_account_that_does_not_see_the_years_gets_404(world, token_for, year):
    token = token_for(world.nobody)

    assert call("patch", token, "/years/2569", {"upload_limit_mb": 5}).status_code == 404
    assert call("post", token, "/years", new_year(2570)).status_code == 404


def test_a_year_that_does_not_exist_is_404(world, token_for, year):
    assert call("patch", token_for(world.dla_admin), "/years/2590", {}).status_code == 404


def new_year(year: int) -> dict:
    ce = year - 543
    return {
        "year": year,
        "semester1_start": f"{ce}-05-16",
        "sar_due": f"{ce + 1}-03-31",
        "review_due": f"{ce + 1}-04-30",
        "synthesis_due": f"{ce + 1}-05-31",
        "delivery_due": f"{ce + 1}-06-30",
        "upload_limit_mb": 80,
    }


def test_dla_admin_creates_a_year(world, token_for, year):
    response = call("post", token_for(world.dla_admin), "/years", new_year(2570))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["year"] == 2570
    assert body["upload_limit_mb"] == 80
    assert body["target_group_years"] == 5
    assert AcademicYear.objects.filter(pk=2570, is_open=True).exists()
    assert AuditEvent.objects.filter(action="years.created", actor=world.dla_admin).exists()


def test_a_year_in_the_common_era_or_one_that_exists_is_422(world, token_for, year):
    token = token_for(world.dla_admin)

    ce = call("post", token, "/years", {**new_year(2570), "year": 2027})
    exists = call("post", token, "/years", new_year(2569))

    assert ce.status_code == exists.status_code == 422
    assert "Buddhist era" in ce.json()["errors"][0]["message"]
    assert ce.json()["errors"][0]["field"] == "year"
    assert "already exists" in exists.json()["errors"][0]["message"]
    assert AcademicYear.objects.count() == 1
