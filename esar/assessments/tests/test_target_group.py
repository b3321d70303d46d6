"""The target group of a year: the rule at its boundary, on the pages and in the API, scoped."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esar.api.tests.conftest import codes
from esar.assessments import selectors
from esar.assessments.demo import demo_history
from esar.assessments.models import ExternalAssessment
from esar.cycles import services
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.testing.years import assess, make_year

CM_SCHOOL, CM_CENTRE, KK_SCHOOL = "3050000001", "3050000002", "3040000001"
# Year 2569: semester 1 opens 16 May 2569 (2026); 5 years before is 16 May 2564 (2021).
CUTOFF = dt.date(2021, 5, 16)


@pytest.fixture
def year(world) -> AcademicYear:
    return make_year(2569)


@pytest.fixture
def history(world, year):
    """The Chiang Mai school assessed exactly 5 years before, its centre one day later; the Khon
    Kaen school never."""
    assess(world.cm_school, dt.date(2016, 1, 20), round="4", fiscal_year=2559, result="ดี")
    assess(world.cm_school, CUTOFF, round="SAR", fiscal_year=2564, result="ดีมาก")
    assess(world.cm_centre, CUTOFF + dt.timedelta(days=1), round="SAR", fiscal_year=2564)


def group(year: AcademicYear, flag: bool = True) -> list[str]:
    return sorted(
        selectors.in_target_group(Institution.objects.all(), year, flag).values_list(
            "code", flat=True
        )
    )


def login_en(client, user):
    client.force_login(user)
    client.cookies["esar_language"] = "en"


# --- The rule ---------------------------------------------------------------------------------


def test_exactly_n_years_before_is_in_one_day_later_is_out_never_is_in(history, year):
    assert year.target_group_cutoff() == CUTOFF
    assert group(year) == [KK_SCHOOL, CM_SCHOOL]
    assert group(year, flag=False) == [CM_CENTRE]


def test_only_the_last_assessment_counts(world, history, year):
    assess(world.kk_school, dt.date(2024, 8, 1))
    assess(world.kk_school, dt.date(2012, 8, 1))
    assert KK_SCHOOL not in group(year)


def test_a_year_with_a_three_year_rule_changes_the_answer(world, history, year):
    assess(world.kk_school, dt.date(2024, 8, 1))
    assert group(year) == [CM_SCHOOL]

    services.update_year(actor=world.dla_admin, year=year, target_group_years=3)

    # Cutoff 16 May 2566 (2023): both 2564 assessments are now old enough; 2567's is not.
    assert year.target_group_cutoff() == dt.date(2023, 5, 16)
    assert group(year) == [CM_SCHOOL, CM_CENTRE]
    assert group(year, flag=False) == [KK_SCHOOL]


def test_another_year_has_its_own_group(world, history):
    later = make_year(2570)  # cutoff 16 May 2565 (2022)
    assert group(later) == [KK_SCHOOL, CM_SCHOOL, CM_CENTRE]


def test_an_inactive_institution_is_not_in_the_group(world, year):
    Institution.objects.filter(pk=world.kk_school.pk).update(is_active=False)
    assert KK_SCHOOL not in group(year)
    assert KK_SCHOOL in group(year, flag=False)


def test_the_annotation_and_the_status_of_one_institution_agree_with_the_filter(
    world, history, year
):
    annotated = {
        i.code: i.in_target_group
        for i in selectors.with_target_group(Institution.objects.all(), year)
    }
    assert annotated == {CM_SCHOOL: True, CM_CENTRE: False, KK_SCHOOL: True}
    for institution in Institution.objects.all():
        last = (
            ExternalAssessment.objects.filter(institution=institution)
            .order_by("-assessed_on")
            .values_list("assessed_on", flat=True)
            .first()
        )
        status = selectors.target_group_status(institution, year, last)
        assert status.in_group is annotated[institution.code], institution.code
    status = selectors.target_group_status(world.cm_school, year, CUTOFF)
    assert (status.years_before, status.never_assessed) == (5, False)


def test_the_filter_is_one_query_whatever_the_number_of_institutions(world, history, year):
    with CaptureQueriesContext(connection) as queries:
        list(
            selectors.with_target_group(
                selectors.in_target_group(Institution.objects.all(), year), year
            )
        )
    assert len(queries) == 1
    assert "NOT" in queries[0]["sql"] and "EXISTS" in queries[0]["sql"]


# --- Pages ------------------------------------------------------------------------------------


def test_a_province_supervisor_filters_their_institutions_by_target_group(client, world, history):
    login_en(client, world.cm_supervisor)

    body = client.get("/registry/institutions/", {"target_group": "yes"}).content.decode()
    assert "โรงเรียนเทศบาลดอยคำวิทยา" in body
    assert "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก" not in body
    # Khon Kaen's school is in the group too, but not this supervisor's to see.
    assert "โรงเรียนเทศบาลหนองแวงใหญ่" not in body
    assert body.count('data-testid="target-group"') == 1

    body = client.get("/registry/institutions/", {"target_group": "no"}).content.decode()
    assert "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก" in body
    assert "โรงเรียนเทศบาลดอยคำวิทยา" not in body


def test_the_list_shows_a_badge_for_the_current_year_and_filters_another_year(
    client, world, history
):
    make_year(2570)
    login_en(client, world.dla_analyst)

    body = client.get("/registry/institutions/").content.decode()
    assert "Target group 2569" in body  # 2570 has not begun: 2569 is current
    assert "Current year (2569)" in body
    assert body.count('data-testid="target-group"') == 2

    body = client.get("/registry/institutions/", {"year": "2570", "target_group": "yes"})
    body = body.content.decode()
    assert "Target group 2570" in body
    assert body.count('data-testid="target-group"') == 3


def test_the_filtered_list_keeps_a_fixed_number_of_queries(client, world, history):
    login_en(client, world.cm_supervisor)
    url = "/registry/institutions/?target_group=yes"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(20):
        centre = Institution.objects.create(
            code=f"30509{n:05d}",
            name_th=f"ศูนย์พัฒนาเด็กเล็กทดสอบ{n}",
            kind="child_centre",
            lao=world.cm_sao,
            teaches_early_childhood=True,
        )
        assess(centre, dt.date(2015, 1, 1) + dt.timedelta(days=n))
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert body.count('data-testid="target-group"') == 21


def test_without_academic_years_the_list_has_no_target_group(client, world):
    login_en(client, world.dla_analyst)
    body = client.get("/registry/institutions/").content.decode()
    assert 'name="target_group"' not in body
    assert "Target group" not in body


def test_the_institution_page_shows_its_history_and_why_it_is_in_the_group(client, world, history):
    login_en(client, world.cm_school_officer)

    body = client.get(f"/registry/institutions/{CM_SCHOOL}/").content.decode()

    assert 'data-testid="target-group"' in body
    assert "last assessed on 16 May B.E. 2564, 5 years before semester 1 opened." in body
    table = body.split('data-testid="assessments"')[1].split("</table>")[0]
    assert table.index("16 May B.E. 2564") < table.index("20 Jan B.E. 2559")  # newest first
    assert "ดีมาก" in table and "2564" in table


def test_the_institution_page_says_never_assessed_and_not_in_the_group(client, world, history):
    login_en(client, world.dla_admin)

    body = client.get(f"/registry/institutions/{KK_SCHOOL}/").content.decode()
    assert "never assessed by ONESQA." in body
    assert "No external assessment is recorded." in body

    body = client.get(f"/registry/institutions/{CM_CENTRE}/").content.decode()
    assert 'data-testid="target-group"' not in body
    assert "Not in the target group" in body
    assert "last assessed on 17 May B.E. 2564, 4 years before semester 1 opened." in body


def test_the_institution_page_without_a_current_year_shows_the_history_only(client, world):
    assess(world.cm_school, CUTOFF, result="ดีมาก")
    login_en(client, world.cm_school_officer)
    body = client.get(f"/registry/institutions/{CM_SCHOOL}/").content.decode()
    assert "ดีมาก" in body
    assert 'data-testid="target-group-status"' not in body


def test_the_institution_pages_keep_a_fixed_number_of_queries(client, world, history):
    login_en(client, world.dla_admin)
    url = f"/registry/institutions/{CM_SCHOOL}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(30):
        assess(world.cm_school, dt.date(2000, 1, 1) + dt.timedelta(days=day))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- API --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "in_group", "out_of_group"),
    [
        ("dla_analyst", [CM_SCHOOL, KK_SCHOOL], [CM_CENTRE]),
        ("cm_supervisor", [CM_SCHOOL], [CM_CENTRE]),
        ("kk_supervisor", [KK_SCHOOL], []),
        ("cm_sao_officer", [], [CM_CENTRE]),
        ("nobody", [], []),
    ],
)
def test_the_api_filters_by_target_group_within_the_callers_scope(
    api, world, token_for, history, persona, in_group, out_of_group
):
    token = token_for(getattr(world, persona))

    assert codes(api.get("/institutions", token, target_group="true")) == sorted(in_group)
    assert codes(api.get("/institutions", token, target_group="false")) == sorted(out_of_group)
    assert codes(api.get("/institutions", token, target_group="true", year="2569")) == sorted(
        in_group
    )


def test_the_api_takes_another_year_and_refuses_one_that_is_not_set_up(
    api, world, token_for, history
):
    make_year(2570)
    token = token_for(world.dla_admin)

    assert codes(api.get("/institutions", token, target_group="true", year="2570")) == sorted(
        [CM_SCHOOL, CM_CENTRE, KK_SCHOOL]
    )
    response = api.get("/institutions", token, target_group="true", year="2600")
    assert response.status_code == 404
    assert response.json() == {"detail": "The academic year 2600 is not set up."}
    assert api.get("/institutions", token, target_group="true", year="1999").status_code == 422
    # Without target_group the year changes nothing.
    assert api.get("/institutions", token, year="2600").json()["count"] == 3


def test_the_api_refuses_a_target_group_when_no_year_has_begun(api, world, token_for):
    response = api.get("/institutions", token_for(world.dla_admin), target_group="true")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "No academic year has begun yet: name one with the parameter year."
    }


# --- Demo data --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_history_puts_some_institutions_in_the_2569_group_and_some_not():
    call_command("seed_demo", stdout=StringIO())
    year = AcademicYear.objects.get(pk=2569)
    institutions = Institution.objects.all()

    in_group = set(selectors.in_target_group(institutions, year).values_list("code", flat=True))
    out = set(selectors.in_target_group(institutions, year, False).values_list("code", flat=True))
    assert in_group and out and not in_group & out
    never = set(institutions.filter(external_assessments=None).values_list("code", flat=True))
    assert never and never <= in_group
    on_cutoff = set(
        ExternalAssessment.objects.filter(assessed_on=year.target_group_cutoff()).values_list(
            "institution__code", flat=True
        )
    )
    assert on_cutoff and on_cutoff <= in_group
    day_after = set(
        ExternalAssessment.objects.filter(
            assessed_on=year.target_group_cutoff() + dt.timedelta(days=1)
        ).values_list("institution__code", flat=True)
    )
    assert day_after and day_after <= out
    for province in ("50", "40", "90"):
        codes_here = set(institutions.filter(lao__province=province).values_list("code", flat=True))
        assert codes_here & in_group and codes_here & out, province

    count = ExternalAssessment.objects.count()
    assert count == sum(len(rows) for rows in demo_history().values())
    call_command("seed_demo", stdout=StringIO())
    assert ExternalAssessment.objects.count() == count
