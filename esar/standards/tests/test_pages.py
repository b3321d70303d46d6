"""The standards pages: anonymous → login, no role → 404, every member reads, DLA manages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from esar.core.models import AuditEvent
from esar.cycles.models import AcademicYear
from esar.standards.models import StandardSet

READ_URLS = ["/standards/", "/standards/basic-2561/"]
MANAGE_URLS = ["/standards/new/", "/standards/new/template.xlsx"]
ALL_ROLES = [
    "dla_admin",
    "dla_analyst",
    "onesqa_reviewer",
    "helpdesk",
    "cm_supervisor",
    "cm_city_officer",
    "cm_school_officer",
    "kk_school_officer",
]
NOT_DLA_ADMIN = [p for p in ALL_ROLES if p != "dla_admin"] + ["nobody"]


def login_en(client, user):
    client.force_login(user)
    client.cookies["esar_language"] = "en"


@pytest.mark.parametrize("url", [*READ_URLS, *MANAGE_URLS, "/standards/basic-2561/deactivate/"])
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", READ_URLS)
def test_an_account_without_a_role_gets_404(client, world, url):
    client.force_login(world.nobody)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", READ_URLS)
@pytest.mark.parametrize("persona", ALL_ROLES)
def test_every_member_reads_the_standards(client, world, persona, url):
    client.force_login(getattr(world, persona))
    assert client.get(url).status_code == 200


def test_an_unknown_set_is_404(client, world):
    client.force_login(world.dla_admin)
    assert client.get("/standards/basic-2599/").status_code == 404
    assert client.get("/standards/new/template.xlsx?from=basic-2599").status_code == 404


@pytest.mark.parametrize("url", MANAGE_URLS)
@pytest.mark.parametrize("persona", NOT_DLA_ADMIN)
def test_only_a_dla_administrator_adds_versions(client, world, persona, url):
    """They read the standards but may not change them: 403 (an account without a role: 404)."""
    client.force_login(getattr(world, persona))
    assert client.get(url).status_code == (404 if persona == "nobody" else 403)


@pytest.mark.parametrize("persona", ["dla_analyst", "kk_supervisor", "cm_school_officer", "nobody"])
@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_only_a_dla_administrator_changes_whether_a_set_is_offered(client, world, persona, action):
    client.force_login(getattr(world, persona))
    response = client.post(f"/standards/basic-2561/{action}/")
    # A reader of the standards may not change them (403); an account without a role reads none.
    assert response.status_code == (404 if persona == "nobody" else 403)
    assert StandardSet.objects.get(code="basic-2561").is_active
    assert not AuditEvent.objects.filter(action__startswith="standards.").exists()


def test_the_list_groups_sets_by_level_with_their_counts(client, world):
    login_en(client, world.cm_school_officer)
    body = client.get("/standards/").content.decode()
    assert body.index("Early childhood") < body.index("Basic education")
    assert body.index("Basic education") < body.index("Vocational education")
    row = body.split('data-testid="set-basic-2561"')[1].split("</tr>")[0]
    assert ">2561<" in row
    assert ">3<" in row and ">21<" in row
    assert "active" in row
    row = body.split('data-testid="set-vocational-2561"')[1].split("</tr>")[0]
    assert ">9<" in row
    # Adding versions is not offered to a school.
    assert reverse("standards:new_version") not in body


def test_the_list_marks_the_set_in_force_in_the_current_year(client, world):
    import datetime as dt

    AcademicYear.objects.create(
        year=2568,
        semester1_start=dt.date(2025, 5, 16),
        sar_due=dt.date(2026, 5, 15),
        review_due=dt.date(2026, 5, 31),
        synthesis_due=dt.date(2026, 6, 15),
        delivery_due=dt.date(2026, 6, 30),
    )
    login_en(client, world.dla_admin)
    body = client.get("/standards/").content.decode()
    row = body.split('data-testid="set-basic-2561"')[1].split("</tr>")[0]
    assert "in force in 2568" in row
    assert reverse("standards:new_version") in body


def test_the_detail_shows_standards_grouped_items_and_levels(client, world):
    client.force_login(world.kk_supervisor)
    body = client.get("/standards/basic-2561/").content.decode()
    assert "มาตรฐานที่ 1" in body
    assert "คุณภาพของผู้เรียน" in body
    assert body.count("1.1 ผลสัมฤทธิ์ทางวิชาการของผู้เรียน") == 1  # one heading for six items
    assert "1.2 คุณลักษณะที่พึงประสงค์ของผู้เรียน" in body
    assert "1.1.6" in body and "3.5" in body
    levels = body.split('data-testid="quality-levels"')[1].split("</ol>")[0]
    for name in ["กำลังพัฒนา", "ปานกลาง", "ดี", "ดีเลิศ", "ยอดเยี่ยม"]:
        assert name in levels
    assert levels.index("กำลังพัฒนา") < levels.index("ยอดเยี่ยม")
    # A supervisor is offered no button.
    assert "/deactivate/" not in body


def test_the_detail_speaks_english_on_request(client, world):
    login_en(client, world.cm_city_officer)
    body = client.get("/standards/basic-2561/").content.decode()
    assert "Standard 1: Quality of learners" in body
    assert "1.1 Academic achievement of learners" in body
    assert "Developing" in body and "Excellent" in body


def test_a_dla_administrator_deactivates_and_reactivates_a_set(client, world):
    login_en(client, world.dla_admin)
    assert client.get("/standards/vocational-2561/deactivate/").status_code == 405
    response = client.post("/standards/vocational-2561/deactivate/")
    assert response.status_code == 302
    assert response["Location"] == "/standards/vocational-2561/"
    assert not StandardSet.objects.get(code="vocational-2561").is_active
    assert StandardSet.objects.in_force("vocational", 2568) is None
    body = client.get(response["Location"]).content.decode()
    assert "no longer offered for new reports" in body
    assert "/reactivate/" in body
    # Deactivating twice records one change.
    client.post("/standards/vocational-2561/deactivate/")
    client.post("/standards/vocational-2561/reactivate/")
    assert StandardSet.objects.get(code="vocational-2561").is_active
    events = list(AuditEvent.objects.filter(action__startswith="standards.").order_by("at", "id"))
    assert [e.action for e in events] == ["standards.set_deactivated", "standards.set_reactivated"]
    assert all(e.actor == world.dla_admin for e in events)
    assert events[0].object_repr == str(StandardSet.objects.get(code="vocational-2561"))


def test_the_list_page_uses_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from esar.standards.tests.test_reference import _new_basic_set

    client.force_login(world.cm_supervisor)
    client.get("/standards/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/standards/").status_code == 200
    for version in (2565, 2566, 2567):
        _new_basic_set(world, version=version, effective_from_year=version)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/standards/").status_code == 200
    assert len(large) == len(small)


def test_the_django_admin_shows_sets_but_offers_no_change(client, world):
    client.force_login(world.dla_admin)
    basic = StandardSet.objects.get(code="basic-2561")
    response = client.get("/admin/standards/standardset/")
    assert response.status_code == 200
    assert "basic-2561" in response.content.decode()
    assert client.get("/admin/standards/standardset/add/").status_code == 403
    assert client.get(f"/admin/standards/standardset/{basic.pk}/change/").status_code == 200
    response = client.post(f"/admin/standards/standardset/{basic.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert StandardSet.objects.filter(pk=basic.pk).exists()
