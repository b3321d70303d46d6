"""Academic-year pages: everyone with a role reads them; only a DLA administrator creates and edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from esar.core.models import AuditEvent
from esar.cycles.models import AcademicYear
from esar.testing.years import make_year

READERS = [
    "dla_admin",
    "dla_analyst",
    "onesqa_reviewer",
    "helpdesk",
    "cm_supervisor",
    "kk_town_officer",
    "cm_school_officer",
]
NOT_MANAGERS = [p for p in READERS if p != "dla_admin"] + ["nobody"]

GOOD_FORM = {
    "year": "2570",
    "semester1_start": "16/5/2570",
    "sar_due": "31/3/2571",
    "review_due": "30/4/2571",
    "synthesis_due": "15/5/2571",
    "delivery_due": "30/6/2571",
    "target_group_years": "5",
    "upload_limit_mb": "100",
    "is_open": "on",
}


@pytest.fixture
def year_2569(world):
    return make_year(2569, actor=world.dla_admin)


def login_en(client, user):
    client.force_login(user)
    client.cookies["esar_language"] = "en"


def table_state() -> list:
    return list(AcademicYear.objects.order_by("year").values_list())


def edit_form(year: AcademicYear, **changes: str) -> dict[str, str]:
    form = {
        "semester1_start": "16/5/2569",
        "sar_due": "31/3/2570",
        "review_due": "30/4/2570",
        "synthesis_due": "15/5/2570",
        "delivery_due": "30/6/2570",
        "target_group_years": "5",
        "upload_limit_mb": "100",
        "is_open": "on",
        "version": year.updated_at.isoformat(),
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


@pytest.mark.parametrize("url", ["/years/", "/years/2569/", "/years/new/", "/years/2569/edit/"])
def test_anonymous_is_sent_to_login(client, year_2569, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", ["/years/", "/years/2569/"])
def test_an_account_without_a_role_gets_404(client, world, year_2569, url):
    client.force_login(world.nobody)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", READERS)
def test_every_role_reads_the_years_and_their_deadlines(client, world, year_2569, persona):
    login_en(client, getattr(world, persona))

    body = client.get("/years/").content.decode()
    assert "16 May B.E. 2569" in body
    assert "31 Mar B.E. 2570" in body
    detail = client.get("/years/2569/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "30 June B.E. 2570" in body  # delivery into e-SAR
    assert "16 May B.E. 2564" in body  # the target-group cutoff: 5 years before semester 1
    can_edit = persona == "dla_admin"
    assert (reverse("cycles:edit", args=[2569]) in body) is can_edit
    assert (reverse("cycles:create") in client.get("/years/").content.decode()) is can_edit


@pytest.mark.parametrize("persona", NOT_MANAGERS)
@pytest.mark.parametrize("url", ["/years/new/", "/years/2569/edit/"])
def test_only_a_dla_administrator_may_open_the_forms(client, world, year_2569, persona, url):
    """They read the years but may not change them: 403 (an account without a role: 404)."""
    client.force_login(getattr(world, persona))
    assert client.get(url).status_code == (404 if persona == "nobody" else 403)


@pytest.mark.parametrize("persona", ["cm_school_officer", "dla_analyst", "onesqa_reviewer"])
def test_a_post_by_someone_else_changes_nothing(client, world, year_2569, persona):
    client.force_login(getattr(world, persona))
    before = table_state()

    assert client.post("/years/new/", GOOD_FORM).status_code == 403
    response = client.post("/years/2569/edit/", edit_form(year_2569, target_group_years="3"))

    assert response.status_code == 403
    assert table_state() == before


def test_a_missing_year_is_404(client, world, year_2569):
    client.force_login(world.dla_admin)
    assert client.get("/years/2570/").status_code == 404
    assert client.get("/years/2570/edit/").status_code == 404
    assert client.get("/years/99999999999/").status_code == 404


def test_a_dla_administrator_creates_a_year(client, world, year_2569):
    login_en(client, world.dla_admin)
    form_page = client.get("/years/new/").content.decode()
    assert 'name="semester1_start"' in form_page
    assert "16/5/2569" in form_page  # the example of how to type a date

    response = client.post("/years/new/", GOOD_FORM)

    assert response.status_code == 302
    assert response["Location"] == reverse("cycles:detail", args=[2570])
    year = AcademicYear.objects.get(pk=2570)
    assert year.semester1_start == dt.date(2027, 5, 16)
    assert year.delivery_due == dt.date(2028, 6, 30)
    event = AuditEvent.objects.get(action="years.created", object_id="2570")
    assert event.actor == world.dla_admin
    assert event.data["values"]["sar_due"] == "2028-03-31"
    assert (
        "The academic year 2570 was created." in client.get(response["Location"]).content.decode()
    )


def test_the_edit_form_shows_the_dates_in_the_buddhist_era_and_saves_a_change(
    client, world, year_2569
):
    login_en(client, world.dla_admin)
    page = client.get("/years/2569/edit/").content.decode()
    assert 'value="16/5/2569"' in page
    assert 'value="30/6/2570"' in page

    response = client.post(
        "/years/2569/edit/", edit_form(year_2569, delivery_due="15/7/2570", is_open=None)
    )

    assert response.status_code == 302
    year_2569.refresh_from_db()
    assert year_2569.delivery_due == dt.date(2027, 7, 15)
    assert year_2569.is_open is False
    event = AuditEvent.objects.get(action="years.updated")
    assert event.data["changes"] == {
        "delivery_due": ["2027-06-30", "2027-07-15"],
        "is_open": [True, False],
    }


def test_saving_an_unchanged_form_records_nothing(client, world, year_2569):
    login_en(client, world.dla_admin)
    response = client.post("/years/2569/edit/", edit_form(year_2569))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="years.updated").exists()
    assert "Nothing was changed." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        (
            {"review_due": "1/3/2570"},
            "review_due",
            "“LAO review by” (1 Mar B.E. 2570) is before “SAR to the LAO by” (31 Mar B.E. 2570)",
        ),
        (
            {"delivery_due": "14/5/2570"},
            "delivery_due",
            "“delivery into e-SAR by” (14 May B.E. 2570) is before “LAO synthesis by”",
        ),
        (
            {"semester1_start": "16/5/2568"},
            "semester1_start",
            "Semester 1 of the academic year 2569 opens in 2569, but 16 May B.E. 2568 is in 2568.",
        ),
        ({"sar_due": "31/2/2570"}, "sar_due", "“31/2/2570” is not a date."),
        ({"sar_due": ""}, "sar_due", "This field is required."),
        ({"target_group_years": "0"}, "target_group_years", "greater than or equal to 1"),
    ],
)
def test_a_bad_edit_names_the_field_and_saves_nothing(
    client, world, year_2569, changes, field, expected
):
    login_en(client, world.dla_admin)
    before = table_state()
    events = AuditEvent.objects.count()

    response = client.post("/years/2569/edit/", edit_form(year_2569, **changes))

    assert response.status_code == 422
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert expected in body
    assert response.context["form"].errors[field]
    # What was typed is shown back, so it can be corrected rather than typed again.
    for value in changes.values():
        if value:
            assert f'value="{value}"' in body
    assert table_state() == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2569", "The academic year 2569 already exists."),
        ("2027", "2027 looks like a year of the Common era."),
        ("3000", "The academic year is written in the Buddhist era, from 2500 to 2700"),
        ("ปีหน้า", "Enter a whole number."),
    ],
)
def test_a_bad_new_year_is_refused_and_nothing_is_created(client, world, year_2569, year, expected):
    login_en(client, world.dla_admin)
    before = table_state()

    response = client.post("/years/new/", {**GOOD_FORM, "year": year})

    assert response.status_code == 422
    assert expected in response.content.decode()
    assert response.context["form"].errors["year"]
    assert table_state() == before
    assert not AuditEvent.objects.filter(action="years.created").exclude(object_id="2569").exists()


def test_a_new_year_with_deadlines_out_of_order_says_which(client, world):
    login_en(client, world.dla_admin)

    response = client.post(
        "/years/new/", {**GOOD_FORM, "sar_due": "1/5/2570", "synthesis_due": "1/4/2571"}
    )

    errors = response.context["form"].errors
    assert "is before “semester 1 opens”" in errors["sar_due"][0]
    assert "is before “LAO review by”" in errors["synthesis_due"][0]
    assert not AcademicYear.objects.exists()


def test_an_edit_from_a_stale_page_does_not_overwrite_a_newer_save(client, world, year_2569):
    login_en(client, world.dla_admin)
    stale = edit_form(year_2569, target_group_years="3")
    # Another administrator saves first.
    client.post("/years/2569/edit/", edit_form(year_2569, upload_limit_mb="200"))

    response = client.post("/years/2569/edit/", stale)

    assert response.status_code == 409
    assert "Someone else saved this academic year" in response.content.decode()
    year_2569.refresh_from_db()
    assert (year_2569.upload_limit_mb, year_2569.target_group_years) == (200, 5)


def test_the_list_marks_the_current_and_the_closed_years(client, world):
    make_year(2567, is_open=False)
    make_year(2568)
    make_year(2569)
    login_en(client, world.cm_school_officer)

    rows = client.get("/years/").content.decode().split("<tbody>")[1].split("<tr>")[1:]

    assert [row.split("</a>")[0].rsplit(">", 1)[1] for row in rows] == ["2569", "2568", "2567"]
    assert "current" in rows[0] and "current" not in rows[1]
    assert "closed" in rows[2] and "open" in rows[1]


def test_the_detail_counts_the_target_group_the_user_can_see(client, world, year_2569):
    login_en(client, world.cm_supervisor)
    body = client.get("/years/2569/").content.decode()
    # Chiang Mai has two institutions, never assessed: both are in the group.
    assert "In the group: 2 of the 2 active institutions you can see." in body


def test_an_unreadable_date_does_not_hide_the_other_dates_problems(client, world, year_2569):
    login_en(client, world.dla_admin)

    response = client.post(
        "/years/2569/edit/", edit_form(year_2569, review_due="1/3/2570", delivery_due="31/6/2570")
    )

    errors = response.context["form"].errors
    assert "“31/6/2570” is not a date." in errors["delivery_due"][0]
    assert "is before “SAR to the LAO by”" in errors["review_due"][0]
    assert year_2569.review_due == AcademicYear.objects.get(pk=2569).review_due
