"""The supervision pages as people use them: the Chiang Mai supervisor records a visit and closes
its actions; the Khon Kaen supervisor sees none of it; the LAO reads its visits; DLA reads all."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from esar.supervision import services
from esar.supervision.models import FollowUp, FollowUpStatus, Visit
from esar.supervision.tests.conftest import days_ago, record

LIST = reverse("supervision:list")
NEW = reverse("supervision:new")
FOLLOW_UPS = reverse("supervision:follow_ups")


def body(response) -> str:
    return response.content.decode()


def be(date) -> str:
    return f"{date.day}/{date.month}/{date.year + 543}"


def new_visit_data(**values) -> dict[str, str]:
    data = {
        "lao": "2500101",
        "institution": "",
        "visit_date": be(days_ago(3)),
        "visitors": "นางสมศรี ใจดี ศึกษานิเทศก์",
        "findings": "ครูจัดการเรียนรู้เชิงรุก",
        "recommendations": "ขยายผลไปยังทุกชั้นเรียน",
        "fu-TOTAL_FORMS": "3",
        "fu-INITIAL_FORMS": "0",
        "fu-MIN_NUM_FORMS": "0",
        "fu-MAX_NUM_FORMS": "30",
        "fu-0-action": "ส่งแผนพัฒนาการอ่าน",
        "fu-0-responsible": "กองการศึกษา",
        "fu-0-due_date": be(days_ago(-30)),
    }
    data.update(values)
    return data


def rows(html: str) -> int:
    return html.count('data-testid="row"')


def test_the_supervisor_records_a_visit_with_an_action_from_the_page(world, as_user):
    page = as_user(world.cm_supervisor)
    form = page.get(NEW)
    assert form.status_code == 200
    html = body(form)
    # The province's LAOs are offered, not those of another province.
    assert "2500101" in html and "6500102" in html
    assert "3400101" not in html
    response = page.post(NEW, new_visit_data())
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:detail", args=[visit.pk])
    assert visit.visit_date == days_ago(3)
    assert [f.action for f in visit.follow_ups.all()] == ["ส่งแผนพัฒนาการอ่าน"]
    detail = body(page.get(response["Location"]))
    assert "ครูจัดการเรียนรู้เชิงรุก" in detail
    assert "ส่งแผนพัฒนาการอ่าน" in detail
    assert reverse("organizations:lao_detail", args=["2500101"]) in detail
    assert 'data-testid="close-form"' in detail


def test_a_visit_to_an_institution_is_recorded_by_its_code(world, as_user):
    page = as_user(world.cm_supervisor)
    response = page.post(NEW, new_visit_data(lao="", institution="3050000002"))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.target_institution == world.cm_centre
    assert visit.lao == world.cm_sao


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"visit_date": "1/1/2700"}, "cannot be in the future"),
        ({"findings": ""}, "Write what the visit found."),
        ({"lao": "", "institution": ""}, "Choose the local authority"),
        ({"lao": "3400101"}, "Choose one of the local authorities offered."),
        ({"lao": "", "institution": "3040000001"}, "No active institution of your province"),
        ({"institution": "3050000002"}, "belongs to"),
        ({"fu-0-due_date": be(days_ago(5))}, "cannot be before the visit"),
        ({"fu-1-action": "มีแต่การกระทำ"}, "Say who is responsible."),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_recorded(world, as_user, values, message):
    response = as_user(world.cm_supervisor).post(NEW, new_visit_data(**values))
    assert response.status_code == 422
    assert message in body(response)
    assert 'data-testid="form-errors"' in body(response)
    assert not Visit.objects.exists()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    "persona",
    [
        "kk_supervisor",
        "cm_sao_officer",
        "kk_town_officer",
        "cm_school_officer",
        "kk_school_officer",
        "onesqa_reviewer",
        "helpdesk",
        "nobody",
    ],
)
def test_other_people_cannot_see_a_chiang_mai_visit(world, as_user, persona):
    visit = record(world, follow_ups=[("ติดตาม", "กองการศึกษา", days_ago(-5))])
    follow_up = visit.follow_ups.get()
    page = as_user(getattr(world, persona))
    assert page.get(reverse("supervision:detail", args=[visit.pk])).status_code == 404
    assert page.get(reverse("supervision:edit", args=[visit.pk])).status_code == 404
    assert (
        page.post(
            reverse("supervision:follow_up_close", args=[follow_up.pk]), {"close-note": "done"}
        ).status_code
        == 404
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
    if persona in ("onesqa_reviewer", "helpdesk", "nobody"):
        assert page.get(LIST).status_code == 404
        assert page.get(FOLLOW_UPS).status_code == 404
    else:
        assert rows(body(page.get(LIST))) == 0
        assert rows(body(page.get(FOLLOW_UPS))) == 0


def test_the_khon_kaen_supervisor_cannot_record_a_chiang_mai_visit(world, as_user):
    page = as_user(world.kk_supervisor)
    assert "2500101" not in body(page.get(NEW))
    response = page.post(NEW, new_visit_data())
    assert response.status_code == 422
    response = page.post(NEW, new_visit_data(lao="", institution="3050000001"))
    assert response.status_code == 422
    assert not Visit.objects.exists()
    visit = record(world)
    response = page.post(
        reverse("supervision:follow_up_add", args=[visit.pk]),
        {"new-action": "x", "new-responsible": "y", "new-due_date": be(days_ago(-1))},
    )
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_the_lao_officer_reads_the_visits_to_the_lao_and_its_schools_but_cannot_write(
    world, as_user
):
    to_lao = record(world, follow_ups=[("ติดตาม", "กองการศึกษา", days_ago(-5))])
    to_school = record(world, lao=None, institution=world.cm_school)
    to_other = record(world, lao=world.cm_sao)
    page = as_user(world.cm_city_officer)
    listing = body(page.get(LIST))
    assert rows(listing) == 2
    for visit in (to_lao, to_school):
        detail = page.get(reverse("supervision:detail", args=[visit.pk]))
        assert detail.status_code == 200
        assert 'data-testid="close-form"' not in body(detail)
        assert reverse("supervision:edit", args=[visit.pk]) not in body(detail)
    assert page.get(reverse("supervision:detail", args=[to_other.pk])).status_code == 404
    # What it reads but may not do: 403 (esar.core.errors).
    assert page.get(NEW).status_code == 403
    follow_up = to_lao.follow_ups.get()
    assert (
        page.post(
            reverse("supervision:follow_up_close", args=[follow_up.pk]), {"close-note": "ทำแล้ว"}
        ).status_code
        == 403
    )
    assert page.get(reverse("supervision:edit", args=[to_lao.pk])).status_code == 403
    # The school officer sees only the visit to the school.
    school = as_user(world.cm_school_officer)
    assert rows(body(school.get(LIST))) == 1
    assert school.get(reverse("supervision:detail", args=[to_school.pk])).status_code == 200
    assert school.get(reverse("supervision:detail", args=[to_lao.pk])).status_code == 404


def kk_visit(world) -> Visit:
    return services.record_visit(
        actor=world.kk_supervisor,
        lao=world.kk_town,
        visit_date=days_ago(20),
        visitors="นายขอนแก่น ทดสอบ",
        findings="ข้อค้นพบขอนแก่น",
        follow_ups=[services.FollowUpInput("ติดตามขอนแก่น", "กองการศึกษา", days_ago(1))],
    )


def test_dla_reads_every_province_and_filters_by_province_but_cannot_write(world, as_user):
    cm = record(world)
    kk = kk_visit(world)
    for persona in ("dla_admin", "dla_analyst"):
        page = as_user(getattr(world, persona))
        assert rows(body(page.get(LIST))) == 2
        assert rows(body(page.get(LIST, {"province": "40"}))) == 1
        assert "ข้อค้นพบขอนแก่น" in body(page.get(LIST, {"province": "40"}))
        detail = page.get(reverse("supervision:detail", args=[cm.pk]))
        assert detail.status_code == 200
        assert 'data-testid="close-form"' not in body(detail)
        assert page.get(NEW).status_code == 403
        follow_up = kk.follow_ups.get()
        assert (
            page.post(
                reverse("supervision:follow_up_close", args=[follow_up.pk]), {"close-note": "x"}
            ).status_code
            == 403
        )
        national = body(page.get(FOLLOW_UPS))
        assert rows(national) == 1
        assert "ติดตามขอนแก่น" in national


def test_visits_filter_by_year_and_dates_in_the_buddhist_era(world, as_user):
    record(world, visit_date=days_ago(10))
    old = record(world, visit_date=days_ago(800), findings="ปีก่อนนู้น")
    page = as_user(world.cm_supervisor)
    year = old.visit_date.year + 543
    listing = body(page.get(LIST, {"year": str(year)}))
    assert "ปีก่อนนู้น" in listing
    assert rows(listing) == 1
    assert rows(body(page.get(LIST, {"date_from": be(days_ago(30))}))) == 1
    assert rows(body(page.get(LIST, {"date_to": be(days_ago(30))}))) == 1
    assert rows(body(page.get(LIST, {"q": "2500101"}))) == 2


def test_open_follow_ups_list_overdue_first_highlighted_and_counted(world, as_user):
    record(
        world,
        visit_date=days_ago(60),
        follow_ups=[
            ("ครบกำหนดเดือนหน้า", "กอง ก", days_ago(-30)),
            ("เลยกำหนดมานาน", "กอง ข", days_ago(20)),
            ("เลยกำหนดเมื่อวาน", "กอง ค", days_ago(1)),
            ("ครบกำหนดวันนี้", "กอง ง", days_ago(0)),
        ],
    )
    closed = record(world, follow_ups=[("ปิดแล้ว", "กอง จ", days_ago(5))]).follow_ups.get()
    services.close_follow_up(follow_up=closed, actor=world.cm_supervisor, note="เรียบร้อย")
    kk_visit(world)
    page = as_user(world.cm_supervisor)
    html = body(page.get(FOLLOW_UPS))
    order = [
        text
        for text in ("เลยกำหนดมานาน", "เลยกำหนดเมื่อวาน", "ครบกำหนดวันนี้", "ครบกำหนดเดือนหน้า")
        if text in html
    ]
    assert sorted(order, key=html.index) == order
    assert len(order) == 4
    assert "ปิดแล้ว" not in html and "ติดตามขอนแก่น" not in html
    assert html.count('class="table-danger"') == 2
    assert re.search(r'data-testid="overdue-count">\s*2 overdue', html)
    assert rows(body(page.get(FOLLOW_UPS, {"overdue": "yes"}))) == 2
    assert "ปิดแล้ว" in body(page.get(FOLLOW_UPS, {"status": "closed"}))
    # The visit list counts the open and overdue actions of each visit.
    assert "2 overdue" in body(page.get(LIST))


def test_the_supervisor_closes_an_action_from_the_list_and_returns_to_it(world, as_user):
    follow_up = record(world, follow_ups=[("ส่งรายงาน", "กอง", days_ago(1))]).follow_ups.get()
    page = as_user(world.cm_supervisor)
    empty = page.post(
        reverse("supervision:follow_up_close", args=[follow_up.pk]),
        {"close-note": " ", "back": "list", "query": "overdue=yes"},
    )
    assert empty.status_code == 422
    assert "Write what was done" in body(empty)
    response = page.post(
        reverse("supervision:follow_up_close", args=[follow_up.pk]),
        {"close-note": "ได้รับรายงาน 1/6/2569", "back": "list", "query": "overdue=yes"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{FOLLOW_UPS}?overdue=yes"
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED
    assert follow_up.closing_note == "ได้รับรายงาน 1/6/2569"
    again = page.post(
        reverse("supervision:follow_up_close", args=[follow_up.pk]), {"close-note": "อีกที"}
    )
    assert again.status_code == 302
    assert "already closed" in body(page.get(again["Location"]))
    reopened = page.post(
        reverse("supervision:follow_up_reopen", args=[follow_up.pk]), {"reopen-note": "ยังไม่ครบ"}
    )
    assert reopened.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN


def test_the_supervisor_adds_an_action_and_edits_the_visit(world, as_user):
    visit = record(world)
    page = as_user(world.cm_supervisor)
    url = reverse("supervision:follow_up_add", args=[visit.pk])
    bad = page.post(
        url, {"new-action": "x", "new-responsible": "y", "new-due_date": be(days_ago(11))}
    )
    assert bad.status_code == 422
    assert "cannot be before the visit" in body(bad)
    good = page.post(
        url,
        {"new-action": "ประชุมครู", "new-responsible": "โรงเรียน", "new-due_date": be(days_ago(-7))},
    )
    assert good.status_code == 302
    assert visit.follow_ups.get().action == "ประชุมครู"
    edit = reverse("supervision:edit", args=[visit.pk])
    assert page.get(edit).status_code == 200
    data = {
        "visit_date": be(visit.visit_date),
        "visitors": visit.visitors,
        "findings": "แก้ไขข้อค้นพบ",
        "recommendations": "",
        "version": "1",
    }
    assert page.post(edit, data).status_code == 302
    visit.refresh_from_db()
    assert (visit.findings, visit.version) == ("แก้ไขข้อค้นพบ", 2)
    stale = page.post(edit, {**data, "findings": "ทับ"})
    assert stale.status_code == 409
    visit.refresh_from_db()
    assert visit.findings == "แก้ไขข้อค้นพบ"


def test_list_pages_do_not_query_per_row(world, as_user):
    def count(url: str) -> int:
        page = as_user(world.dla_analyst)
        page.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert page.get(url).status_code == 200
        return len(queries)

    record(world, follow_ups=[("หนึ่ง", "ก", days_ago(-1))])
    few = (count(LIST), count(FOLLOW_UPS))
    for n in range(6):
        record(
            world,
            lao=None,
            institution=world.cm_school if n % 2 else world.cm_centre,
            follow_ups=[("สอง", "ข", days_ago(n)), ("สาม", "ค", days_ago(-n))],
        )
        kk_visit(world)
    assert (count(LIST), count(FOLLOW_UPS)) == few


def test_the_follow_ups_export_has_the_rows_of_the_page(world, as_user):
    record(
        world,
        follow_ups=[("ส่งแผน", "กองการศึกษา", days_ago(1)), ("อบรมครู", "โรงเรียน", days_ago(-9))],
    )
    kk_visit(world)
    response = as_user(world.cm_supervisor).get(reverse("supervision:follow_ups_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[5] for row in values] == ["ส่งแผน", "อบรมครู"]
    assert {row[1] for row in values} == {"2500101"}
    assert as_user(world.nobody).get(reverse("supervision:follow_ups_xlsx")).status_code == 404
