"""The helpdesk pages as people use them: an LAO officer reports from a page and follows the
status, the helpdesk handles every report, DLA sets the contact; everyone else sees nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esar.core.models import Notice
from esar.helpdesk import services
from esar.helpdesk.models import HelpdeskContact, Report

LIST = reverse("helpdesk:list")
NEW = reverse("helpdesk:new")
CONTACT = reverse("helpdesk:contact")


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> str:
    return response.content.decode()


def hidden(html: str, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, html[:3000]
    return match.group(1)


def report_of(world, user=None, **values) -> Report:
    fields = {"category": "file", "description": "อัปโหลดไฟล์ไม่ได้", "page_url": "/sar/"}
    fields.update(values)
    return services.submit_report(actor=user or world.cm_city_officer, **fields)


def test_an_lao_officer_reports_from_a_page_and_the_helpdesk_and_contact_hear_of_it(
    world, django_capture_on_commit_callbacks
):
    services.save_contact(
        actor=world.dla_admin, name="ทีมช่วยเหลือ", email="team@example.org", expected_version=None
    )
    officer = as_user(world.cm_city_officer)
    form = officer.get(NEW, {"from": "/sar/42/files/?tab=evidence", "title": "ไฟล์ SAR"})
    assert form.status_code == 200
    assert 'value="/sar/42/files/?tab=evidence"' in body(form)
    assert 'data-testid="back"' in body(form)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            NEW,
            {
                "category": "file",
                "description": "อัปโหลด PDF แล้วขึ้นว่าไฟล์เสีย",
                "page_url": "/sar/42/files/?tab=evidence",
                "page_title": "ไฟล์ SAR",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("helpdesk:detail", args=[report.pk])
    assert report.page_url == "/sar/42/files/?tab=evidence"
    assert report.page_title == "ไฟล์ SAR"
    assert report.lao == world.cm_city
    assert Notice.objects.filter(recipient=world.helpdesk, url=response["Location"]).exists()
    assert [m for m in mail.outbox if m.to == ["team@example.org"]]
    page = body(officer.get(response["Location"]))
    assert report.reference in page
    assert "/sar/42/files/?tab=evidence" in page
    assert 'data-testid="history-item"' in page


@pytest.mark.parametrize(
    "bad", ["https://evil.example/", "//evil", "/\\evil.example", "javascript:alert(1)"]
)
def test_a_from_that_is_not_a_page_here_is_ignored_and_refused(world, bad):
    officer = as_user(world.cm_city_officer)
    page = body(officer.get(NEW, {"from": bad}))
    field = re.search(r'<input[^>]*name="page_url"[^>]*>', page).group(0)
    assert "evil" not in field
    assert "javascript" not in field
    assert 'data-testid="back"' not in page
    response = officer.post(NEW, {"category": "other", "description": "x", "page_url": bad})
    assert response.status_code == 422
    assert 'data-testid="form-errors"' in body(response)
    assert not Report.objects.exists()


def test_bad_input_is_refused_with_clear_messages_and_nothing_saved(world):
    officer = as_user(world.cm_city_officer)
    response = officer.post(NEW, {"category": "", "description": "  ", "page_url": "/sar/"})
    assert response.status_code == 422
    html = body(response)
    assert 'data-testid="form-errors"' in html
    assert html.count('class="invalid-feedback') == 2  # the category and the description
    assert 'value="/sar/"' in html  # what the officer typed is kept
    assert not Report.objects.exists()


def test_without_a_contact_the_pages_say_dla_has_not_set_one(world):
    officer = as_user(world.cm_city_officer)
    assert 'data-testid="no-contact"' in body(officer.get(NEW))
    assert 'data-testid="no-contact"' in body(officer.get(LIST))
    response = officer.post(NEW, {"category": "login", "description": "ลืมรหัสผ่าน"})
    assert response.status_code == 302
    assert Report.objects.get().contact_email == ""


def test_the_contact_dla_sets_is_the_one_lao_officers_see(world):
    admin = as_user(world.dla_admin)
    page = admin.get(CONTACT)
    assert page.status_code == 200
    assert 'data-testid="no-contact"' in body(page)
    response = admin.post(
        CONTACT,
        {
            "name": "คุณทดสอบ ช่วยได้",
            "phone": "02-000-0000 ต่อ 7",
            "email": "first@example.org",
            "notes": "จันทร์–ศุกร์",
            "version": "",
        },
    )
    assert response.status_code == 302
    version = hidden(body(admin.get(CONTACT)), "version")
    response = admin.post(
        CONTACT,
        {
            "name": "ทีมใหม่",
            "phone": "02-000-0009",
            "email": "second@example.org",
            "notes": "",
            "version": version,
        },
    )
    assert response.status_code == 302
    officer = as_user(world.cm_city_officer)
    for url in (NEW, LIST):
        html = body(officer.get(url))
        assert "ทีมใหม่" in html
        assert "second@example.org" in html
        assert "02-000-0009" in html
        assert "first@example.org" not in html
    assert HelpdeskContact.objects.get().version == 2


def test_a_stale_contact_page_does_not_overwrite_a_newer_save(world):
    services.save_contact(
        actor=world.dla_admin, name="ทีม ก", email="a@example.org", expected_version=None
    )
    admin = as_user(world.dla_admin)
    version = hidden(body(admin.get(CONTACT)), "version")
    services.save_contact(
        actor=world.dla_admin, name="ทีม ข", email="b@example.org", expected_version=1
    )
    response = admin.post(
        CONTACT, {"name": "ทีม ค", "email": "c@example.org", "phone": "", "version": version}
    )
    assert response.status_code == 409
    assert HelpdeskContact.objects.get().name == "ทีม ข"


def test_a_bad_contact_is_refused_on_the_page(world):
    response = as_user(world.dla_admin).post(
        CONTACT, {"name": "ทีม", "phone": "", "email": "not-an-address", "version": ""}
    )
    assert response.status_code == 422
    assert 'data-testid="form-errors"' in body(response)
    assert not HelpdeskContact.objects.exists()


def test_a_status_change_shows_in_the_lao_list_and_history(world):
    report = report_of(world)
    handler = as_user(world.helpdesk)
    page = body(handler.get(reverse("helpdesk:detail", args=[report.pk])))
    version = hidden(page, "version")
    response = handler.post(
        reverse("helpdesk:detail", args=[report.pk]),
        {"status": "in_progress", "message": "กำลังตรวจสอบไฟล์", "version": version},
    )
    assert response.status_code == 302
    officer = as_user(world.cm_city_officer)
    listing = body(officer.get(LIST))
    assert 'data-status="in_progress"' in listing
    assert report.reference in listing
    detail = body(officer.get(reverse("helpdesk:detail", args=[report.pk])))
    assert "กำลังตรวจสอบไฟล์" in detail
    assert detail.count('data-testid="history-item"') == 2
    assert 'name="status"' not in detail  # the LAO follows, it does not set the status
    assert Notice.objects.filter(recipient=world.cm_city_officer).exists()


def test_a_stale_status_update_is_refused_on_the_page(world):
    report = report_of(world)
    handler = as_user(world.helpdesk)
    url = reverse("helpdesk:detail", args=[report.pk])
    version = hidden(body(handler.get(url)), "version")
    services.update_status(
        report=report, actor=world.helpdesk, status="resolved", expected_version=1
    )
    response = handler.post(url, {"status": "closed", "message": "ปิด", "version": version})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.status == "resolved"
    assert hidden(body(response), "version") == "2"  # the form now is for the report as it is


def test_the_lao_officer_cannot_post_a_status(world):
    """Its own report, which it sees: 403, with the Thai page; nothing changes."""
    report = report_of(world)
    response = as_user(world.cm_city_officer).post(
        reverse("helpdesk:detail", args=[report.pk]), {"status": "closed", "version": "1"}
    )
    assert response.status_code == 403
    assert "บทบาทของท่านไม่มีสิทธิ์ทำรายการนี้" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "open"


@pytest.mark.parametrize("other", ["cm_sao_officer", "kk_town_officer"])
def test_another_lao_sees_nothing_of_a_report(world, other):
    report = report_of(world)
    client = as_user(getattr(world, other))
    assert client.get(reverse("helpdesk:detail", args=[report.pk])).status_code == 404
    listing = body(client.get(LIST))
    assert report.reference not in listing


@pytest.mark.parametrize(
    "who",
    [
        "cm_school_officer",
        "cm_supervisor",
        "kk_supervisor",
        "onesqa_reviewer",
        "dla_analyst",
        "dla_admin",
        "nobody",
    ],
)
def test_other_roles_get_404_on_report_pages(world, who):
    report = report_of(world)
    client = as_user(getattr(world, who))
    for url in (LIST, NEW, reverse("helpdesk:detail", args=[report.pk])):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "who", ["helpdesk", "cm_city_officer", "dla_analyst", "cm_supervisor", "nobody"]
)
def test_only_dla_administrators_open_the_contact_page(world, who):
    """Those who see the helpdesk pages (and the contact on them) get 403; others 404."""
    status = 403 if who in ("helpdesk", "cm_city_officer") else 404
    client = as_user(getattr(world, who))
    assert client.get(CONTACT).status_code == status
    assert (
        client.post(CONTACT, {"name": "x", "email": "x@example.org", "version": ""}).status_code
        == status
    )
    assert not HelpdeskContact.objects.exists()


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get(LIST)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_helpdesk_sees_all_reports_and_filters_them(world):
    cm = report_of(world)
    kk = report_of(world, user=world.kk_town_officer, category="login")
    services.update_status(
        report=kk, actor=world.helpdesk, status="in_progress", expected_version=1
    )
    handler = as_user(world.helpdesk)
    listing = body(handler.get(LIST))
    assert cm.reference in listing and kk.reference in listing
    by_province = body(handler.get(LIST, {"province": world.khon_kaen.code}))
    assert kk.reference in by_province and cm.reference not in by_province
    by_status = body(handler.get(LIST, {"status": "open"}))
    assert cm.reference in by_status and kk.reference not in by_status
    # The officer of Khon Kaen sees their own only.
    own = body(as_user(world.kk_town_officer).get(LIST))
    assert kk.reference in own and cm.reference not in own


def test_the_helpdesk_list_takes_the_same_queries_for_many_reports(world):
    handler = as_user(world.helpdesk)
    officers = [world.cm_city_officer, world.cm_sao_officer, world.kk_town_officer]
    for officer in officers:
        report_of(world, user=officer)
    with CaptureQueriesContext(connection) as few:
        assert handler.get(LIST).status_code == 200
    for index in range(30):
        report_of(world, user=officers[index % 3])
    with CaptureQueriesContext(connection) as many:
        response = handler.get(LIST)
    assert body(response).count('data-testid="row"') == 33
    assert len(many) == len(few), [q["sql"] for q in many]
    assert len(many) <= 10, [q["sql"] for q in many]


def test_the_list_is_paginated(world):
    for _ in range(55):
        report_of(world)
    officer = as_user(world.cm_city_officer)
    assert body(officer.get(LIST)).count('data-testid="row"') == 50
    assert body(officer.get(LIST, {"page": 2})).count('data-testid="row"') == 5


def _render_link(user, path: str) -> str:
    request = RequestFactory().get(path)
    request.user = user
    template = Template('{% include "helpdesk/includes/report_link.html" %}')
    return template.render(RequestContext(request, {}))


def test_the_report_link_carries_the_current_page_for_lao_officers_only(world):
    html = _render_link(world.cm_city_officer, "/sar/12/files/?tab=evidence")
    assert 'data-testid="helpdesk-report-link"' in html
    assert f"{NEW}?from=%2Fsar%2F12%2Ffiles%2F%3Ftab%3Devidence" in html.replace("&amp;", "&")
    for who in ("helpdesk", "cm_school_officer", "dla_admin", "nobody"):
        assert _render_link(getattr(world, who), "/sar/12/").strip() == ""


def test_the_report_link_passes_a_title_when_given(world):
    request = RequestFactory().get("/synthesis/")
    request.user = world.cm_city_officer
    html = Template(
        '{% include "helpdesk/includes/report_link.html" with page_title="สังเคราะห์" %}'
    ).render(RequestContext(request, {}))
    assert "title=" in html


def test_the_include_renders_nothing_without_a_request(world):
    assert (
        Template('{% include "helpdesk/includes/report_link.html" %}').render(Context({})).strip()
        == ""
    )
