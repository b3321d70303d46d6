"""Who sees which circular: by province (through their organisation) and by role; unread first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esar.circulars import selectors
from esar.circulars.models import CircularRead
from esar.circulars.tests.conftest import as_user

pytestmark = pytest.mark.django_db

HOME = reverse("front:home")


def unread_badge(html: str) -> str:
    match = re.search(r'data-testid="home-circulars-unread">[^<0-9]*([0-9]+)', html)
    return match.group(1) if match else ""


def ids(qs) -> set[int]:
    return {circular.pk for circular in qs}


def test_a_chiang_mai_only_circular_reaches_chiang_mai_and_national_agencies_only(world, publish):
    chiang_mai_only = publish(provinces=("50",))
    everyone = publish()
    for user in (
        world.cm_supervisor,
        world.cm_city_officer,
        world.cm_sao_officer,
        world.cm_school_officer,
        world.dla_admin,
        world.dla_analyst,
        world.onesqa_reviewer,
        world.helpdesk,
    ):
        assert ids(selectors.circulars_for(user)) == {chiang_mai_only.pk, everyone.pk}, user
    for user in (world.kk_supervisor, world.kk_town_officer, world.kk_school_officer):
        assert ids(selectors.circulars_for(user)) == {everyone.pk}, user
    assert ids(selectors.circulars_for(world.nobody)) == set()


def test_a_khon_kaen_lao_officer_gets_404_for_a_chiang_mai_circular_and_does_not_see_it_at_home(
    world, publish
):
    circular = publish(provinces=("50",), title="เฉพาะเชียงใหม่")
    kk = as_user(world.kk_town_officer)
    assert kk.get(reverse("circulars:detail", args=[circular.pk])).status_code == 404
    assert kk.get(reverse("circulars:qr", args=[circular.pk])).status_code == 404
    home = kk.get(HOME)
    assert home.status_code == 200
    assert "เฉพาะเชียงใหม่" not in home.content.decode()
    assert "เฉพาะเชียงใหม่" not in kk.get(reverse("circulars:list")).content.decode()
    assert not CircularRead.objects.exists()

    cm = as_user(world.cm_city_officer)
    assert "เฉพาะเชียงใหม่" in cm.get(HOME).content.decode()
    assert cm.get(reverse("circulars:detail", args=[circular.pk])).status_code == 200


def test_a_circular_for_lao_officers_is_not_shown_to_schools_or_supervisors(world, publish):
    for_laos = publish(roles=("lao_officer",))
    assert for_laos.pk in ids(selectors.circulars_for(world.cm_city_officer))
    assert for_laos.pk in ids(selectors.circulars_for(world.kk_town_officer))
    assert for_laos.pk in ids(selectors.circulars_for(world.dla_analyst))  # DLA sees all
    for user in (world.cm_school_officer, world.cm_supervisor, world.onesqa_reviewer):
        assert for_laos.pk not in ids(selectors.circulars_for(user))
        assert as_user(user).get(reverse("circulars:detail", args=[for_laos.pk])).status_code == 404


def test_province_and_role_combine(world, publish):
    kk_schools = publish(provinces=("40",), roles=("school_officer",))
    assert ids(selectors.circulars_for(world.kk_school_officer)) == {kk_schools.pk}
    assert ids(selectors.circulars_for(world.cm_school_officer)) == set()
    assert ids(selectors.circulars_for(world.kk_town_officer)) == set()


def test_drafts_and_withdrawn_circulars_are_dla_only(world, publish):
    from esar.circulars import services

    draft = publish(draft=True)
    withdrawn = services.withdraw(circular=publish(), actor=world.dla_admin)
    for user in (world.cm_city_officer, world.cm_supervisor, world.onesqa_reviewer):
        client = as_user(user)
        for circular in (draft, withdrawn):
            assert client.get(reverse("circulars:detail", args=[circular.pk])).status_code == 404
    dla = as_user(world.dla_analyst)
    for circular in (draft, withdrawn):
        assert dla.get(reverse("circulars:detail", args=[circular.pk])).status_code == 200
    # Neither is "meant for" anyone, DLA included: the home page lists published ones only.
    assert ids(selectors.circulars_for(world.dla_admin)) == set()


def test_unread_first_then_newest_and_opening_the_page_marks_it_read(world, publish):
    old = publish(issued_on=dt.date(2026, 1, 5))
    middle = publish(issued_on=dt.date(2026, 3, 5))
    new = publish(issued_on=dt.date(2026, 6, 5))
    user = world.cm_school_officer
    assert [c.pk for c in selectors.circulars_for(user)] == [new.pk, middle.pk, old.pk]

    client = as_user(user)
    page = client.get(reverse("circulars:detail", args=[new.pk]))
    assert page.status_code == 200
    rows = list(selectors.circulars_for(user))
    assert [c.pk for c in rows] == [middle.pk, old.pk, new.pk]
    assert [c.is_read for c in rows] == [False, False, True]
    read = CircularRead.objects.get(user=user)
    assert read.circular_id == new.pk

    # Opening it again keeps the first reading; other people's flags are their own.
    client.get(reverse("circulars:detail", args=[new.pk]))
    assert CircularRead.objects.filter(user=user).count() == 1
    assert CircularRead.objects.get(user=user).read_at == read.read_at
    assert not any(c.is_read for c in selectors.circulars_for(world.kk_school_officer))


def test_the_list_filters_unread_and_year(world, publish):
    a = publish(issued_on=dt.date(2025, 12, 31))  # B.E. 2568
    b = publish(issued_on=dt.date(2026, 1, 1))  # B.E. 2569
    client = as_user(world.cm_supervisor)
    client.get(reverse("circulars:detail", args=[a.pk]))
    html = client.get(reverse("circulars:list"), {"unread": "on"}).content.decode()
    assert b.title in html and a.title not in html
    html = client.get(reverse("circulars:list"), {"year": "2568"}).content.decode()
    assert a.title in html and b.title not in html


def test_the_home_page_lists_unread_circulars_first_with_a_fixed_number_of_queries(world, publish):
    user = world.cm_city_officer
    client = as_user(user)
    first = publish(issued_on=dt.date(2026, 2, 1), title="ปฏิทิน SAR")
    client.get(reverse("circulars:detail", args=[first.pk]))
    publish(issued_on=dt.date(2026, 1, 1), title="บัญชีผู้ใช้ e-SAR")
    html = client.get(HOME).content.decode()
    assert html.index("บัญชีผู้ใช้ e-SAR") < html.index("ปฏิทิน SAR")
    assert unread_badge(html) == "1"

    def home_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    before = home_queries()
    for n in range(8):
        publish(issued_on=dt.date(2026, 3, 1 + n), provinces=("50",))
    assert home_queries() <= before + 1  # the unread count, once more than 5 are unread
    html = client.get(HOME).content.decode()
    assert html.count('data-testid="home-circular"') == selectors.HOME_LIMIT
    assert unread_badge(html) == "9"


def test_the_selector_is_one_query_whatever_the_number_of_circulars(world, publish):
    for n in range(6):
        publish(provinces=("50",) if n % 2 else (), roles=("lao_officer",) if n % 3 else ())
    for user in (
        world.cm_school_officer,
        world.cm_city_officer,
        world.cm_supervisor,
        world.helpdesk,
    ):
        with CaptureQueriesContext(connection) as ctx:
            rows = list(selectors.circulars_for(user))
            assert all(hasattr(row, "is_read") for row in rows)
        assert len(ctx.captured_queries) == 1, user
