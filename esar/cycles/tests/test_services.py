"""The academic-year services and selectors, and the demo years."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from esar.core.models import AuditEvent
from esar.cycles import selectors, services
from esar.cycles.demo import ensure_demo_years
from esar.cycles.models import AcademicYear
from esar.testing.years import make_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_create_year_saves_and_records_who_did_it(world):
    year = make_year(2569, actor=world.dla_admin, target_group_years=3)

    assert AcademicYear.objects.get(pk=2569) == year
    assert year.target_group_years == 3
    event = AuditEvent.objects.get(action="years.created")
    assert (event.actor, event.object_id) == (world.dla_admin, "2569")
    assert event.data["values"]["semester1_start"] == "2026-05-16"
    assert event.data["values"]["target_group_years"] == 3


def test_create_year_names_every_wrong_field_at_once():
    with pytest.raises(ValidationError) as caught:
        services.create_year(
            actor=None,
            year=2026,
            semester1_start=dt.date(2026, 5, 16),
            sar_due=dt.date(2026, 5, 1),
            review_due=dt.date(2027, 4, 30),
            synthesis_due=dt.date(2027, 4, 1),
            delivery_due=dt.date(2027, 6, 30),
        )
    errors = caught.value.message_dict
    assert set(errors) == {"year", "sar_due", "synthesis_due"}
    assert "Write the academic year in the Buddhist era: 2569." in errors["year"][0]
    assert not AcademicYear.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_model_rules_are_enforced_by_the_service_too():
    with pytest.raises(ValidationError) as caught:
        make_year(2569, target_group_years=0, upload_limit_mb=5000)
    assert set(caught.value.message_dict) == {"target_group_years", "upload_limit_mb"}
    assert not AcademicYear.objects.exists()


def test_update_year_returns_and_records_only_what_changed(world):
    year = make_year(2569)

    changes = services.update_year(
        actor=world.dla_admin,
        year=year,
        sar_due=dt.date(2027, 3, 31),  # unchanged
        review_due=dt.date(2027, 5, 1),
        synthesis_due=dt.date(2027, 5, 20),
    )

    assert changes == {
        "review_due": [dt.date(2027, 4, 30), dt.date(2027, 5, 1)],
        "synthesis_due": [dt.date(2027, 5, 15), dt.date(2027, 5, 20)],
    }
    year.refresh_from_db()
    assert year.review_due == dt.date(2027, 5, 1)
    event = AuditEvent.objects.get(action="years.updated")
    assert event.data["changes"]["review_due"] == ["2027-04-30", "2027-05-01"]
    assert services.update_year(actor=world.dla_admin, year=year, is_open=True) == {}
    assert AuditEvent.objects.filter(action="years.updated").count() == 1


def test_update_year_refuses_dates_out_of_order_and_keeps_the_old_ones(world):
    year = make_year(2569)
    before = list(AcademicYear.objects.values_list())

    with pytest.raises(ValidationError) as caught:
        services.update_year(actor=world.dla_admin, year=year, delivery_due=dt.date(2027, 1, 1))

    assert list(caught.value.message_dict) == ["delivery_due"]
    assert list(AcademicYear.objects.values_list()) == before


def test_update_year_refuses_a_stale_version(world):
    year = make_year(2569)
    seen = year.updated_at
    services.update_year(actor=world.dla_admin, year=year, upload_limit_mb=200)

    stale = AcademicYear.objects.get(pk=2569)
    stale.updated_at = seen
    with pytest.raises(services.Conflict, match="Someone else saved"):
        services.update_year(
            actor=world.dla_admin, year=stale, expected_updated_at=seen, upload_limit_mb=300
        )
    assert AcademicYear.objects.get(pk=2569).upload_limit_mb == 200


def test_current_year_is_the_one_whose_semester_1_opened_last():
    make_year(2568)
    make_year(2569)
    make_year(2570)

    assert selectors.current_year(dt.date(2026, 11, 24)).year == 2569
    assert selectors.current_year(dt.date(2026, 5, 15)).year == 2568
    assert selectors.current_year(dt.date(2026, 5, 16)).year == 2569
    assert selectors.current_year(dt.date(2020, 1, 1)) is None
    years = list(selectors.all_years())
    for day in (dt.date(2026, 5, 15), dt.date(2026, 5, 16), dt.date(2027, 6, 1)):
        assert selectors.current_of(years, day) == selectors.current_year(day)


def test_open_years_leaves_out_the_closed_ones():
    make_year(2567, is_open=False)
    make_year(2568)
    make_year(2569)
    assert [y.year for y in selectors.open_years()] == [2569, 2568]


def test_the_demo_years_follow_dlas_usual_dates_and_are_made_once():
    assert ensure_demo_years() == [2567, 2568, 2569]
    assert ensure_demo_years() == []

    year = AcademicYear.objects.get(pk=2569)
    assert year.semester1_start == dt.date(2026, 5, 16)
    assert year.sar_due == dt.date(2027, 3, 31)
    assert year.review_due == dt.date(2027, 4, 30)
    assert year.synthesis_due == dt.date(2027, 5, 15)
    assert year.delivery_due == dt.date(2027, 6, 30)
    assert year.target_group_years == 5
    assert {y.year: y.is_open for y in AcademicYear.objects.all()} == {
        2567: False,
        2568: True,
        2569: True,
    }
    assert AuditEvent.objects.filter(action="years.created").count() == 3


def test_seed_demo_creates_the_years_and_keeps_an_administrators_edits():
    call_command("seed_demo", stdout=StringIO())
    year = AcademicYear.objects.get(pk=2569)
    services.update_year(actor=None, year=year, delivery_due=dt.date(2027, 7, 31))

    call_command("seed_demo", stdout=StringIO())

    assert AcademicYear.objects.count() == 3
    assert AcademicYear.objects.get(pk=2569).delivery_due == dt.date(2027, 7, 31)
