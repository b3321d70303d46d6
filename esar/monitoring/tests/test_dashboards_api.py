"""The progress and dashboard API answers the pages' figures, within the caller's scope."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from esar.accounts.tokens import issue_token
from esar.monitoring import progress
from esar.monitoring.dashboards.national import national_dashboard
from esar.monitoring.dashboards.province import province_dashboard
from esar.monitoring.models import InstitutionProgress, LaoProgress
from esar.testing.sar import make_year

API = "/api/v1"
BANGKOK = ZoneInfo("Asia/Bangkok")
AFTER_SAR_DUE = dt.datetime(2027, 4, 2, 9, tzinfo=BANGKOK)  # 2569's SARs were due 31 March 2570


@pytest.fixture
def year(world):
    the_year = make_year(2569)
    with time_machine.travel(AFTER_SAR_DUE, tick=False):
        progress.refresh_year(the_year)
        LaoProgress.objects.filter(year=the_year, lao=world.cm_city).update(
            institutions=6, submitted=4, submitted_late=1, t_institutions=2, t_submitted=1
        )
        InstitutionProgress.objects.filter(year=the_year, institution=world.cm_school).update(
            submitted_at=AFTER_SAR_DUE, submitted_late=True
        )
        yield the_year


def _get(user, path: str, **params):
    token = issue_token(user=user).token
    return Client().get(
        f"{API}{path}",
        params,
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )


def _json(value) -> object:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_the_province_dashboard_api_equals_the_page_figures(world, year):
    response = _get(world.cm_supervisor, "/dashboards/province/50", year=2569)
    assert response.status_code == 200
    body = response.json()
    expected = province_dashboard(world.chiang_mai, year).as_dict()
    assert body["totals"] == _json(expected["totals"])
    assert [row["lao"] for row in body["laos"]] == [row["lao"] for row in expected["laos"]]
    city = next(row for row in body["laos"] if row["lao"] == world.cm_city.code)
    assert city["counts"]["hops"]["submitted"] == {
        "total": 6,
        "done": 4,
        "on_time": 3,
        "late": 1,
        "overdue": 2,
        "pending": 0,
        "percent": 66.7,
    }
    assert city["states"]["synthesis"] == "pending"  # due 15 May 2570
    # The page shows the same numbers.
    client = Client()
    client.force_login(world.cm_supervisor)
    html = client.get("/monitoring/province/50/?year=2569").content.decode()
    assert 'data-hop="submitted" data-done="4" data-late="1" data-overdue="2"' in html


def test_the_national_dashboard_api_equals_the_page_figures(world, year):
    body = _get(world.dla_analyst, "/dashboards/national", year=2569).json()
    expected = national_dashboard(year).as_dict()
    assert body["totals"] == _json(expected["totals"])
    assert sorted(p["province"] for p in body["provinces"]) == ["40", "50"]
    chiang_mai = next(p for p in body["provinces"] if p["province"] == "50")
    assert chiang_mai["counts"]["hops"]["submitted"]["done"] == 4
    assert chiang_mai["counts"]["laos"] == 2


@pytest.mark.parametrize(
    ("persona", "path", "status"),
    [
        ("kk_supervisor", "/dashboards/province/50", 404),
        ("cm_school_officer", "/dashboards/province/50", 404),
        ("cm_city_officer", "/dashboards/province/50", 404),
        ("dla_admin", "/dashboards/province/50", 200),
        ("cm_supervisor", "/dashboards/national", 404),
        ("onesqa_reviewer", "/dashboards/national", 404),
        ("dla_admin", "/dashboards/national", 200),
        ("kk_supervisor", "/progress/institutions?lao=2500101", 404),
        ("kk_supervisor", "/progress/laos?province=50", 404),
        ("cm_sao_officer", "/progress/institutions?lao=2500101", 404),
        ("cm_city_officer", "/progress/institutions?lao=2500101", 200),
    ],
)
def test_outside_the_scope_is_a_404(world, year, persona, path, status):
    path, _, query = path.partition("?")
    params = dict(part.split("=") for part in query.split("&")) if query else {}
    assert _get(getattr(world, persona), path, year=2569, **params).status_code == status


def test_progress_lists_are_scoped_and_carry_the_hop_states(world, year):
    body = _get(world.cm_supervisor, "/progress/institutions", year=2569).json()
    codes = sorted(item["institution"] for item in body["items"])
    assert codes == sorted([world.cm_school.code, world.cm_centre.code])
    school = next(item for item in body["items"] if item["institution"] == world.cm_school.code)
    assert (school["submitted_state"], school["accepted_state"]) == ("late", "pending")
    centre = next(item for item in body["items"] if item["institution"] == world.cm_centre.code)
    assert centre["submitted_state"] == "overdue"
    laos = _get(world.cm_city_officer, "/progress/laos", year=2569).json()
    assert [item["lao"] for item in laos["items"]] == [world.cm_city.code]
    assert (laos["items"][0]["submitted"], laos["items"][0]["submitted_late"]) == (4, 1)
    assert _get(world.cm_school_officer, "/progress/laos", year=2569).json()["count"] == 0
    everyone = _get(world.dla_admin, "/progress/laos", year=2569, province="40").json()
    assert [item["lao"] for item in everyone["items"]] == [world.kk_town.code]


def test_a_school_officer_follows_its_own_institution_and_no_other(world, year):
    for officer, own in (
        (world.cm_school_officer, world.cm_school),
        (world.kk_school_officer, world.kk_school),
    ):
        body = _get(officer, "/progress/institutions", year=2569).json()
        assert [item["institution"] for item in body["items"]] == [own.code]
        assert body["items"][0]["lao"] == own.lao.code
        # The filters keep or drop that one row; they reveal nothing else.
        kept = _get(officer, "/progress/institutions", year=2569, lao=own.lao.code).json()
        assert kept["count"] == 1
        other_lao = world.kk_town if own.lao_id == world.cm_city.pk else world.cm_city
        dropped = _get(officer, "/progress/institutions", year=2569, lao=other_lao.code)
        assert dropped.status_code == 200 and dropped.json()["count"] == 0
        assert _get(officer, "/progress/laos", year=2569).json()["count"] == 0
