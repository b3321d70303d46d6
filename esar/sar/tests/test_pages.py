"""The SAR pages: who sees what (outside one's part → 404), the school's drafting, files and
sending, the LAO's review, and the whole cycle through the pages as people use them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.core.models import Notice
from esar.organizations.models import Institution, InstitutionKind
from esar.sar.models import (
    Attachment,
    ReturnReason,
    Revision,
    RevisionStatus,
    Sar,
    SarStatus,
)
from esar.sar.services import drafts, revisions
from esar.sar.services.revisions import ReasonInput
from esar.standards.models import Standard, StandardItem
from esar.testing.sar import fill_complete, make_year, pdf_bytes, upload

MB = 1024 * 1024
OUTSIDERS = [
    "kk_town_officer",  # another province's LAO
    "cm_sao_officer",  # another LAO of the same province
    "kk_supervisor",  # another province
    "kk_school_officer",  # another school
    "onesqa_reviewer",  # national, but SARs reach ONESQA by delivery, not by browsing
    "helpdesk",
    "nobody",  # an account without a role
]
SAR_PAGES = [
    "detail",
    "basic",
    "standard",
    "summary",
    "files",
    "revision",
    "review",
    "file",
    "start_previous",
]
SAR_POSTS = ["submit", "upload", "remove_evidence", "start_previous", "basic", "review"]


def first_standard(sar: Sar) -> Standard:
    return (
        Standard.objects.filter(standard_set__sars=sar)
        .order_by("standard_set__education_level", "order")
        .first()
    )


def basic_standard(sar: Sar) -> Standard:
    return Standard.objects.get(
        standard_set__sars=sar, standard_set__education_level="basic", number="1"
    )


def url_of(name: str, sar: Sar) -> str:
    args: list = [sar.pk]
    if name == "standard":
        args.append(first_standard(sar).pk)
    elif name == "revision":
        args.append(1)
    elif name == "file":
        args = [sar.document_id]
    elif name == "remove_evidence":
        args.append(sar.evidence.first().pk)
    return reverse(f"sar:{name}", args=args)


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def body(response) -> str:
    return response.content.decode()


def version_in(html: str) -> int:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)" id="sar-version"', html)
    assert match, html[:2000]
    return int(match.group(1))


@pytest.fixture
def with_evidence(world, submitted) -> Sar:
    """The sent report, returned, with an evidence file in the draft: every page has a target."""
    sar = submitted.sar
    revisions.return_for_revision(
        revision=submitted,
        actor=world.cm_city_officer,
        reasons=[ReasonInput("general", "แก้ไขตามที่แจ้ง")],
    )
    sar.refresh_from_db()
    drafts.attach_file(
        sar=sar,
        actor=world.cm_school_officer,
        upload=upload(pdf_bytes(1), "evidence.pdf"),
        kind="evidence",
    )
    sar.refresh_from_db()
    return sar


# --- Who may open what -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*SAR_PAGES, "index", "list", "queue"])
def test_anonymous_is_sent_to_login(client, world, with_evidence, name):
    url = (
        reverse(f"sar:{name}")
        if name in ("index", "list", "queue")
        else url_of(name, with_evidence)
    )
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_posts_are_sent_to_login_and_change_nothing(client, world, with_evidence):
    version = with_evidence.version
    for name in SAR_POSTS:
        response = client.post(url_of(name, with_evidence), {"version": version})
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login"))
    with_evidence.refresh_from_db()
    assert with_evidence.version == version


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", SAR_PAGES)
def test_outsiders_get_404_on_every_page_of_the_sar(client, world, with_evidence, persona, name):
    response = as_user(client, getattr(world, persona)).get(url_of(name, with_evidence))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_action_and_change_nothing(
    client, world, with_evidence, persona
):
    as_user(client, getattr(world, persona))
    version = with_evidence.version
    for name in SAR_POSTS:
        data = {"version": version, "action": "accept", "revision": 1, "kind": "evidence"}
        assert client.post(url_of(name, with_evidence), data).status_code == 404, name
    with_evidence.refresh_from_db()
    assert with_evidence.version == version
    assert with_evidence.status == SarStatus.RETURNED


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        (p, n)
        for p in ("cm_city_officer", "cm_supervisor", "dla_analyst")
        for n in SAR_POSTS
        # The LAO officer does review: see the review tests.
        if not (n == "review" and p == "cm_city_officer")
    ],
)
def test_readers_who_may_not_write_get_403_on_the_schools_actions_and_change_nothing(
    client, world, with_evidence, persona, name
):
    """They see the report, so the answer is "your role may not" (403), not "no such" (404)."""
    as_user(client, getattr(world, persona))
    version = with_evidence.version
    response = client.post(url_of(name, with_evidence), {"version": version, "kind": "evidence"})
    assert response.status_code == 403
    with_evidence.refresh_from_db()
    assert with_evidence.version == version
    assert with_evidence.status == SarStatus.RETURNED


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("cm_school_officer", [n for n in SAR_PAGES if n != "review"]),
        ("cm_city_officer", SAR_PAGES[:-1]),
        ("cm_supervisor", [n for n in SAR_PAGES if n not in ("review", "start_previous")]),
        ("dla_analyst", [n for n in SAR_PAGES if n not in ("review", "start_previous")]),
        ("dla_admin", ["detail", "revision", "file"]),
    ],
)
def test_the_right_roles_open_the_pages(client, world, with_evidence, persona, names):
    as_user(client, getattr(world, persona))
    for name in names:
        assert client.get(url_of(name, with_evidence)).status_code == 200, name


@pytest.mark.parametrize("persona", ["cm_school_officer", "cm_supervisor", "dla_analyst"])
def test_only_the_lao_of_the_school_opens_the_review_page(client, world, with_evidence, persona):
    # They see the report, not its review: 403 (outsiders get 404, above).
    assert (
        as_user(client, getattr(world, persona)).get(url_of("review", with_evidence)).status_code
        == 403
    )


def test_a_missing_sar_is_a_404_like_a_forbidden_one(client, world, sar):
    as_user(client, world.dla_analyst)
    assert client.get(reverse("sar:detail", args=[sar.pk + 1000])).status_code == 404
    assert client.get(reverse("sar:revision", args=[sar.pk, 1])).status_code == 404
    assert client.get(reverse("sar:file", args=[999999])).status_code == 404
    assert client.get(reverse("sar:standard", args=[sar.pk, 999999])).status_code == 404


def test_a_standard_of_another_set_is_a_404(client, world, sar):
    vocational = Standard.objects.filter(standard_set__education_level="vocational").first()
    response = as_user(client, world.cm_school_officer).get(
        reverse("sar:standard", args=[sar.pk, vocational.pk])
    )
    assert response.status_code == 404


# --- The school's index --------------------------------------------------------------------------


def test_a_school_officer_starts_the_sar_of_an_open_year(client, world, year):
    make_year(2567, is_open=False)
    as_user(client, world.cm_school_officer)
    html = body(client.get(reverse("sar:index")))
    assert 'data-testid="year-2569"' in html
    assert 'name="year" value="2569"' in html
    # A closed year without a report is not offered.
    assert "year-2567" not in html
    response = client.post(reverse("sar:open"), {"year": 2569})
    sar = Sar.objects.get(institution=world.cm_school, year=year)
    assert response.status_code == 302
    assert response["Location"] == reverse("sar:detail", args=[sar.pk])
    # Opening again takes the person to the same report.
    assert client.post(reverse("sar:open"), {"year": 2569})["Location"] == response["Location"]
    assert Sar.objects.count() == 1
    html = body(client.get(reverse("sar:index")))
    assert reverse("sar:detail", args=[sar.pk]) in html


def test_a_closed_year_is_not_opened(client, world, db):
    make_year(2567, is_open=False)
    response = as_user(client, world.cm_school_officer).post(reverse("sar:open"), {"year": 2567})
    assert response.status_code == 302
    assert response["Location"] == reverse("sar:index")
    assert not Sar.objects.exists()


@pytest.mark.parametrize("persona", ["cm_city_officer", "cm_supervisor", "dla_analyst"])
def test_only_a_school_officer_opens_a_report(client, world, year, persona):
    response = as_user(client, getattr(world, persona)).post(reverse("sar:open"), {"year": 2569})
    assert response.status_code == 404
    assert not Sar.objects.exists()


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("cm_city_officer", "sar:queue"),
        ("cm_supervisor", "sar:list"),
        ("dla_analyst", "sar:list"),
        ("dla_admin", "sar:list"),
    ],
)
def test_the_index_takes_other_roles_to_their_list(client, world, year, persona, target):
    response = as_user(client, getattr(world, persona)).get(reverse("sar:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


@pytest.mark.parametrize("persona", ["onesqa_reviewer", "helpdesk", "nobody"])
def test_roles_without_sars_get_404_on_the_lists(client, world, year, persona):
    as_user(client, getattr(world, persona))
    for name in ("index", "list", "queue"):
        assert client.get(reverse(f"sar:{name}")).status_code == 404


# --- The lists -----------------------------------------------------------------------------------


def _open_kk(world, year) -> Sar:
    kk = drafts.open_sar(institution=world.kk_school, year=year, actor=world.kk_school_officer)
    return fill_complete(kk, world.kk_school_officer)


def test_a_province_supervisor_lists_the_institutions_of_the_province(
    client, world, submitted, year
):
    _open_kk(world, year)
    html = body(as_user(client, world.cm_supervisor).get(reverse("sar:list")))
    assert world.cm_school.name_th in html
    assert world.cm_centre.name_th in html  # not started, still listed
    assert world.kk_school.name_th not in html
    assert reverse("sar:detail", args=[submitted.sar_id]) in html
    # Asking for another province's LAO shows nothing rather than leaking it.
    html = body(client.get(reverse("sar:list"), {"lao": world.kk_town.code}))
    assert world.kk_school.name_th not in html


def test_dla_filters_the_list(client, world, submitted, year):
    kk = _open_kk(world, year)
    as_user(client, world.dla_analyst)

    def names(**params) -> set[str]:
        html = body(client.get(reverse("sar:list"), params))
        rows = html.split("<tbody>")[1].split("</tbody>")[0]
        return {
            i.name_th
            for i in (world.cm_school, world.cm_centre, world.kk_school)
            if i.name_th in rows
        }

    everyone = {world.cm_school.name_th, world.cm_centre.name_th, world.kk_school.name_th}
    assert names() == everyone
    assert names(status="submitted") == {world.cm_school.name_th}
    assert names(status="draft") == {world.kk_school.name_th}
    assert names(status="none") == {world.cm_centre.name_th}
    assert names(status="not_sent") == {world.cm_centre.name_th, world.kk_school.name_th}
    assert (
        names(status="nonsense") == everyone
    )  # an unknown choice is ignored, as on the registry lists
    assert names(lao=world.kk_town.code) == {world.kk_school.name_th}
    assert names(province="40") == {world.kk_school.name_th}
    assert names(q="ดอยคำ") == {world.cm_school.name_th}
    assert names(q=world.kk_school.code) == {world.kk_school.name_th}
    assert names(late="on_time") == {world.cm_school.name_th}
    assert names(late="late") == set()
    Revision.objects.filter(pk=submitted.pk).update(is_late=True)
    assert names(late="late") == {world.cm_school.name_th}
    assert 'data-testid="late"' in body(client.get(reverse("sar:list"), {"late": "late"}))
    assert kk.status == SarStatus.DRAFT


def test_the_list_of_another_year(client, world, submitted):
    make_year(2568)
    html = body(as_user(client, world.dla_analyst).get(reverse("sar:list"), {"year": 2568}))
    # Nobody has a report of 2568: every institution is "not started", no link to 2569's.
    assert world.cm_school.name_th in html
    assert reverse("sar:detail", args=[submitted.sar_id]) not in html


def _add_reports(world, year, n: int) -> None:
    """n more institutions of Doi Kham, each with a SAR sent, returned or accepted."""
    Institution.objects.bulk_create(
        Institution(
            code=f"30509{i:05d}",
            name_th=f"โรงเรียนทดสอบ{i}",
            kind=InstitutionKind.SCHOOL,
            lao=world.cm_city,
            teaches_basic=True,
        )
        for i in range(n)
    )
    for index, institution in enumerate(
        Institution.objects.filter(name_th__startswith="โรงเรียนทดสอบ")
    ):
        officer = create_account(
            username=f"school.bulk{index}",
            password=None,
            role=Role.SCHOOL_OFFICER,
            organization=institution,
        )
        sar = drafts.open_sar(institution=institution, year=year, actor=officer)
        sar = fill_complete(sar, officer)
        revision = revisions.submit(sar=sar, actor=officer, expected_version=sar.version)
        if index % 3 == 1:
            revisions.return_for_revision(
                revision=revision,
                actor=world.cm_city_officer,
                reasons=[ReasonInput("general", "ขาดข้อมูล")],
            )
        elif index % 3 == 2:
            revisions.accept(revision=revision, actor=world.cm_city_officer)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("cm_supervisor", "/sar/all/"),
        ("dla_analyst", "/sar/all/?status=submitted"),
        ("cm_city_officer", "/sar/queue/"),
    ],
)
def test_the_lists_use_a_fixed_number_of_queries(client, world, submitted, year, persona, url):
    as_user(client, getattr(world, persona))
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_reports(world, year, 7)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
        assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    # Every added report the list should show is on the page (the queue and the filter: those
    # waiting for review only).
    shown = Sar.objects.filter(institution__name_th__startswith="โรงเรียนทดสอบ")
    if url != "/sar/all/":
        shown = shown.filter(status=SarStatus.SUBMITTED)
    names = set(shown.values_list("institution__name_th", flat=True))
    assert len(names) == (7 if url == "/sar/all/" else 3)
    page = body(response)
    assert [name for name in sorted(names) if name not in page] == []


# --- The LAO's queue -----------------------------------------------------------------------------


def test_the_queue_shows_the_lao_what_waits_oldest_first_late_flagged(
    client, world, submitted, year
):
    Revision.objects.filter(pk=submitted.pk).update(is_late=True)
    html = body(as_user(client, world.cm_city_officer).get(reverse("sar:queue")))
    waiting = html.split('data-testid="waiting"')[1].split("</table>")[0]
    assert world.cm_school.name_th in waiting
    assert 'data-testid="late"' in waiting
    assert reverse("sar:review", args=[submitted.sar_id]) in waiting
    # Another LAO's queue does not show it; its own not-sent institution is listed.
    html = body(as_user(client, world.cm_sao_officer).get(reverse("sar:queue")))
    assert world.cm_school.name_th not in html
    assert 'data-testid="nothing-waiting"' in html
    assert world.cm_centre.name_th in html.split('data-testid="not-sent"')[1]


def test_the_queue_counts_returned_and_accepted(client, world, submitted, year):
    revisions.return_for_revision(
        revision=submitted,
        actor=world.cm_city_officer,
        reasons=[ReasonInput("general", "ขาดข้อมูล"), ReasonInput("summary", "สั้นไป")],
    )
    html = body(as_user(client, world.cm_city_officer).get(reverse("sar:queue")))
    assert 'data-testid="returned-count">1<' in html
    returned = html.split('data-testid="returned"')[1].split("</table>")[0]
    assert world.cm_school.name_th in returned
    assert "<td>2</td>" in returned  # the number of reasons


@pytest.mark.parametrize("persona", ["cm_supervisor", "cm_school_officer", "dla_analyst"])
def test_the_queue_is_the_lao_officers(client, world, year, persona):
    assert as_user(client, getattr(world, persona)).get(reverse("sar:queue")).status_code == 404


# --- The detail page ---------------------------------------------------------------------------


def test_the_detail_shows_the_deadline_and_a_checklist_that_links_to_each_part(client, world, sar):
    html = body(as_user(client, world.cm_school_officer).get(url_of("detail", sar)))
    assert "31 มี.ค. 2570" in html  # sar_due in the Buddhist era
    checklist = html.split('data-testid="checklist"')[1].split("</ul>")[0]
    assert reverse("sar:basic", args=[sar.pk]) in checklist
    assert reverse("sar:summary", args=[sar.pk]) in checklist
    assert reverse("sar:files", args=[sar.pk]) in checklist
    item = (
        StandardItem.objects.filter(standard__standard_set__sars=sar)
        .order_by("standard__standard_set__education_level", "standard__order", "order")
        .first()
    )
    assert f"{reverse('sar:standard', args=[sar.pk, item.standard_id])}#item-{item.pk}" in checklist
    assert 'data-testid="submit"' in html


def test_an_overdue_draft_is_flagged(client, world, db):
    import datetime as dt

    year = make_year(2566, sar_due=dt.date(2024, 3, 31))
    sar = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    html = body(as_user(client, world.cm_school_officer).get(url_of("detail", sar)))
    assert 'data-testid="overdue"' in html


def test_submitting_an_incomplete_draft_lists_what_is_missing(client, world, sar):
    response = as_user(client, world.cm_school_officer).post(
        url_of("submit", sar), {"version": sar.version}
    )
    assert response.status_code == 422
    error = body(response).split('data-testid="submit-error"')[1].split("</div>")[0]
    assert error.count("<li>") == len(drafts.missing_before_submission(sar))
    assert not Revision.objects.exists()


def test_submitting_from_a_stale_page_is_refused(client, world, filled):
    stale = filled.version
    drafts.save_draft(
        sar=filled,
        actor=world.cm_school_officer,
        expected_version=stale,
        summary={**filled.content["summary"], "plan": "แผนใหม่"},
    )
    response = as_user(client, world.cm_school_officer).post(
        url_of("submit", filled), {"version": stale}
    )
    assert response.status_code == 409
    assert 'data-testid="submit-error"' in body(response)
    assert not Revision.objects.exists()


def test_a_reader_sees_no_buttons_to_change_the_report(client, world, filled):
    html = body(as_user(client, world.cm_supervisor).get(url_of("detail", filled)))
    assert 'data-testid="submit"' not in html
    assert 'data-testid="start-previous"' not in html
    for name in ("basic", "summary", "standard"):
        html = body(client.get(url_of(name, filled)))
        assert 'data-testid="edit-form"' not in html, name
    html = body(client.get(url_of("standard", filled)))
    assert "ดีเลิศ" in html  # the level reached (rank 4), read only
    assert "ดำเนินการตามแผน" in html


# --- Editing the draft -------------------------------------------------------------------------


def _item_post(sar: Sar, standard: Standard, version: int, **values) -> dict:
    data: dict = {"version": version}
    for item in StandardItem.objects.filter(standard=standard):
        data.update(
            {
                f"item{item.pk}_level": values.get("level", ""),
                f"item{item.pk}_target": values.get("target", ""),
                f"item{item.pk}_how": values.get("how", ""),
                f"item{item.pk}_results": values.get("results", ""),
                f"item{item.pk}_evidence": values.get("evidence", ""),
            }
        )
    return data


def _basic_post(version: int, **values) -> dict:
    data = {
        "version": version,
        "as_of": "10/6/2569",
        "students_early_childhood": "45",
        "students_basic": "320",
        "staff_administrators": "1",
        "staff_teachers": "18",
        "staff_caregivers": "",
        "staff_support": "3",
        "tests-TOTAL_FORMS": "2",
        "tests-INITIAL_FORMS": "0",
        "tests-MIN_NUM_FORMS": "0",
        "tests-MAX_NUM_FORMS": "200",
        "tests-0-test": "O-NET",
        "tests-0-grade": "ป.6",
        "tests-0-subject": "คณิตศาสตร์",
        "tests-0-score": "35.5",
        "tests-0-national_average": "32.1",
        "tests-1-test": "",
        "tests-1-grade": "",
        "tests-1-subject": "",
        "tests-1-score": "",
        "tests-1-national_average": "",
    }
    data.update(values)
    return data


def test_the_basic_data_form_saves_with_a_buddhist_era_date(client, world, sar):
    as_user(client, world.cm_school_officer)
    html = body(client.get(url_of("basic", sar)))
    assert version_in(html) == sar.version
    response = client.post(url_of("basic", sar), _basic_post(sar.version))
    assert response.status_code == 302
    sar.refresh_from_db()
    basic = sar.content["basic_data"]
    assert basic["as_of"] == "2026-06-10"
    assert basic["students"] == {"early_childhood": 45, "basic": 320}
    assert basic["staff"] == {"administrators": 1, "teachers": 18, "support": 3}
    assert basic["tests"] == [
        {
            "test": "O-NET",
            "grade": "ป.6",
            "subject": "คณิตศาสตร์",
            "score": 35.5,
            "national_average": 32.1,
        }
    ]
    html = body(client.get(url_of("basic", sar)))
    assert 'value="10/6/2569"' in html  # shown back as typed, in the Buddhist era
    assert 'value="O-NET"' in html
    assert version_in(html) == sar.version


def test_invalid_values_are_shown_and_nothing_is_saved(client, world, sar):
    as_user(client, world.cm_school_officer)
    response = client.post(
        url_of("basic", sar),
        _basic_post(
            sar.version, as_of="31/2/2569", staff_teachers="-3", **{"tests-1-grade": "ม.3"}
        ),
    )
    assert response.status_code == 422
    html = body(response)
    assert 'data-testid="error"' in html
    assert 'value="31/2/2569"' in html  # what was typed stays in the form
    assert 'value="ม.3"' in html
    sar.refresh_from_db()
    assert sar.version == 1
    assert sar.content == {}


def test_one_standard_page_saves_all_its_items_with_their_group_headings(client, world, sar):
    standard = basic_standard(sar)
    as_user(client, world.cm_school_officer)
    html = body(
        client.get(
            url_of("standard", sar).replace(f"/{first_standard(sar).pk}/", f"/{standard.pk}/")
        )
    )
    assert "1.1 ผลสัมฤทธิ์ทางวิชาการของผู้เรียน" in html  # the group heading of 1.1.x
    assert "1.2 คุณลักษณะที่พึงประสงค์ของผู้เรียน" in html
    assert html.count('data-testid="item"') == 10
    # level and target of each item, then the level of the standard as a whole
    assert html.count('<option value="5">ยอดเยี่ยม</option>') == 21
    assert 'data-testid="standard-whole"' in html
    url = reverse("sar:standard", args=[sar.pk, standard.pk])
    post = _item_post(sar, standard, sar.version, level=4, target=3, how="ทำ", results="ผล")
    post |= {
        "standard_level": "2",
        "standard_strengths": "ผู้เรียนมีวินัย",
        "standard_improvements": "การอ่านออกเขียนได้",
    }
    response = client.post(url, post)
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.content["standards"][str(standard.pk)] == {
        "level": 2,
        "strengths": "ผู้เรียนมีวินัย",
        "improvements": "การอ่านออกเขียนได้",
    }
    items = StandardItem.objects.filter(standard=standard)
    assert len(sar.content["items"]) == 10
    assert all(
        sar.content["items"][str(item.pk)]
        == {"level": 4, "target": 3, "how": "ทำ", "results": "ผล", "evidence": ""}
        for item in items
    )


def test_a_level_from_outside_the_set_is_refused(client, world, sar):
    standard = basic_standard(sar)
    response = as_user(client, world.cm_school_officer).post(
        reverse("sar:standard", args=[sar.pk, standard.pk]),
        _item_post(sar, standard, sar.version, level=9),
    )
    assert response.status_code == 422
    sar.refresh_from_db()
    assert sar.version == 1


def test_the_summary_page_saves(client, world, sar):
    response = as_user(client, world.cm_school_officer).post(
        url_of("summary", sar),
        {
            "version": sar.version,
            "strengths": "ครูเข้มแข็ง",
            "improvements": "การอ่าน",
            "plan": "รักการอ่าน",
            "help_needed": "",
        },
    )
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.content["summary"]["strengths"] == "ครูเข้มแข็ง"


def test_a_save_over_someone_elses_keeps_what_was_typed_and_overwrites_nothing(client, world, sar):
    as_user(client, world.cm_school_officer)
    page_version = version_in(body(client.get(url_of("summary", sar))))
    # Someone else (another tab, another officer of the school) saves first.
    drafts.save_draft(
        sar=sar,
        actor=world.cm_school_officer,
        expected_version=page_version,
        summary={"strengths": "ฉบับของคนแรก"},
    )
    response = client.post(
        url_of("summary", sar),
        {"version": page_version, "strengths": "ฉบับของคนที่สอง", "plan": "แผนของคนที่สอง"},
    )
    assert response.status_code == 409
    html = body(response)
    assert 'data-testid="error"' in html
    assert "ฉบับของคนที่สอง" in html and "แผนของคนที่สอง" in html
    sar.refresh_from_db()
    assert sar.content["summary"]["strengths"] == "ฉบับของคนแรก"


def test_autosave_with_htmx_answers_a_fragment_with_the_new_version(client, world, sar):
    as_user(client, world.cm_school_officer)
    response = client.post(
        url_of("summary", sar),
        {"version": sar.version, "strengths": "พิมพ์ไปเรื่อย ๆ"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = body(response)
    assert html.lstrip().startswith('<div id="save-status"')
    assert "<html" not in html
    sar.refresh_from_db()
    assert sar.version == 2
    assert sar.content["summary"]["strengths"] == "พิมพ์ไปเรื่อย ๆ"
    # The new version replaces the form's hidden input (out-of-band), so the next save works.
    assert (
        '<input type="hidden" name="version" value="2" id="sar-version" hx-swap-oob="true">' in html
    )
    assert "2569" in html.split("hx-swap-oob")[0]  # saved at …, Buddhist era
    response = client.post(
        url_of("summary", sar),
        {"version": 2, "strengths": "พิมพ์ต่อ"},
        HTTP_HX_REQUEST="true",
    )
    sar.refresh_from_db()
    assert sar.version == 3


def test_autosave_of_a_stale_page_says_so_and_saves_nothing(client, world, sar):
    drafts.save_draft(
        sar=sar, actor=world.cm_school_officer, expected_version=1, summary={"plan": "ก่อน"}
    )
    response = as_user(client, world.cm_school_officer).post(
        url_of("summary", sar),
        {"version": 1, "plan": "หลัง"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    html = body(response)
    assert "text-danger" in html
    assert "hx-swap-oob" not in html
    sar.refresh_from_db()
    assert sar.content["summary"]["plan"] == "ก่อน"


def test_autosave_of_invalid_values_names_the_field(client, world, sar):
    response = as_user(client, world.cm_school_officer).post(
        url_of("basic", sar), _basic_post(sar.version, staff_teachers="-3"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = body(response)
    assert "text-danger" in html
    assert "<li>" in html
    sar.refresh_from_db()
    assert sar.version == 1


def test_edit_forms_autosave_with_htmx_and_work_without_it(client, world, sar):
    html = body(as_user(client, world.cm_school_officer).get(url_of("summary", sar)))
    form = html.split('data-testid="edit-form"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form
    assert f'hx-post="{url_of("summary", sar)}"' in form
    assert 'hx-trigger="input delay:2s, submit"' in form and 'hx-target="#save-status"' in form
    assert '<button type="submit" class="btn btn-primary">' in html
    # No inline script or style anywhere (CSP).
    assert "<script>" not in html and "style=" not in html


def test_a_sent_report_cannot_be_edited_through_the_pages(client, world, submitted):
    sar = submitted.sar
    as_user(client, world.cm_school_officer)
    assert 'data-testid="edit-form"' not in body(client.get(url_of("summary", sar)))
    response = client.post(url_of("summary", sar), {"version": sar.version, "plan": "แก้"})
    assert response.status_code == 409
    sar.refresh_from_db()
    assert sar.content["summary"]["plan"] == "โครงการรักการอ่าน"


def test_start_from_last_years_report_after_confirming(client, world, sar):
    old_year = make_year(2568)
    old = drafts.open_sar(institution=world.cm_school, year=old_year, actor=world.cm_school_officer)
    old = fill_complete(old, world.cm_school_officer, text="ปีที่แล้ว")
    revisions.submit(sar=old, actor=world.cm_school_officer, expected_version=old.version)
    as_user(client, world.cm_school_officer)
    assert 'data-testid="start-previous"' in body(client.get(url_of("detail", sar)))
    confirm = client.get(url_of("start_previous", sar))
    assert confirm.status_code == 200
    assert 'data-testid="confirm"' in body(confirm)
    sar.refresh_from_db()
    assert sar.content == {}  # nothing happens before the confirmation
    response = client.post(url_of("start_previous", sar), {"version": version_in(body(confirm))})
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.content["basic_data"]["as_of"] is None
    assert any(entry["how"].startswith("ปีที่แล้ว") for entry in sar.content["items"].values())


def test_no_offer_to_start_from_last_year_without_an_earlier_report(client, world, sar):
    html = body(as_user(client, world.cm_school_officer).get(url_of("detail", sar)))
    assert 'data-testid="start-previous"' not in html


# --- Files -----------------------------------------------------------------------------------


def test_the_files_page_uploads_and_lists_pdfs_with_their_hashes(client, world, sar):
    as_user(client, world.cm_school_officer)
    data = pdf_bytes(3)
    response = client.post(
        url_of("upload", sar), {"kind": "document", "file": upload(data, "รายงาน SAR 2569.pdf")}
    )
    assert response.status_code == 302
    sar.refresh_from_db()
    document = sar.document
    assert document.page_count == 3
    client.post(
        url_of("upload", sar), {"kind": "evidence", "file": upload(pdf_bytes(1), "คำสั่ง.pdf")}
    )
    html = body(client.get(url_of("files", sar)))
    assert "รายงาน SAR 2569.pdf" in html and "คำสั่ง.pdf" in html
    assert f'title="{document.sha256}">{document.sha256[:12]}…' in html
    assert reverse("sar:file", args=[document.pk]) in html
    evidence = sar.evidence.get()
    response = client.post(reverse("sar:remove_evidence", args=[sar.pk, evidence.pk]))
    assert response.status_code == 302
    assert not sar.evidence.exists()
    assert Attachment.objects.filter(pk=evidence.pk).exists()  # stored files are never deleted


def _damaged(data: bytes) -> bytes:
    # Keep the header and the end marker but break the cross-reference table and objects.
    return data[:20] + b"garbage" * 50 + b"\n%%EOF\n"


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("renamed text file", lambda: b"This is a Word document saved as text.\n" * 20),
        ("truncated PDF", lambda: pdf_bytes(3)[:-200]),
        ("encrypted PDF", lambda: pdf_bytes(1, password="secret")),
        ("empty", lambda: b""),
        ("damaged PDF", lambda: _damaged(pdf_bytes(2))),
    ],
)
def test_bad_uploads_show_the_reason_and_change_nothing(client, world, filled, case, make):
    before = (filled.version, filled.document_id, Attachment.objects.count())
    response = as_user(client, world.cm_school_officer).post(
        url_of("upload", filled), {"kind": "document", "file": upload(make(), "sar.pdf")}
    )
    assert response.status_code == 422, case
    html = body(response)
    reason = html.split('data-testid="upload-error">')[1].split("</div>")[0]
    assert reason.strip(), case
    filled.refresh_from_db()
    assert (filled.version, filled.document_id, Attachment.objects.count()) == before


def test_an_upload_over_the_years_limit_is_refused_before_it_is_read(
    client, world, filled, year, monkeypatch
):
    year.upload_limit_mb = 1
    year.save()
    before = (filled.version, filled.document_id, Attachment.objects.count())
    touched: list[str] = []
    from django.core.handlers.wsgi import WSGIRequest

    original = WSGIRequest._load_post_and_files

    def spy(self):
        touched.append(self.path)
        return original(self)

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", spy)
    response = as_user(client, world.cm_school_officer).post(
        url_of("upload", filled),
        {"kind": "document", "file": upload(pdf_bytes(1, filler=2 * MB), "big.pdf")},
    )
    assert response.status_code == 413
    assert "1 MB" in body(response).split('data-testid="upload-error">')[1]
    assert touched == []  # the body was never parsed
    filled.refresh_from_db()
    assert (filled.version, filled.document_id, Attachment.objects.count()) == before
    # Just over the limit, within the envelope allowance: read, then refused by its real size.
    response = client.post(
        url_of("upload", filled),
        {"kind": "document", "file": upload(pdf_bytes(1, filler=MB + MB // 2), "big.pdf")},
    )
    assert response.status_code == 422
    filled.refresh_from_db()
    assert (filled.version, filled.document_id, Attachment.objects.count()) == before


def test_the_upload_still_checks_csrf(world, filled):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.cm_school_officer)
    response = client.post(
        url_of("upload", filled), {"kind": "evidence", "file": upload(pdf_bytes(1))}
    )
    assert response.status_code == 403
    assert not filled.evidence.exists()


def test_a_stored_file_is_downloaded_or_shown_inline_by_those_who_see_the_sar(
    client, world, filled
):
    document = filled.document
    response = as_user(client, world.cm_supervisor).get(url_of("file", filled))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(url_of("file", filled) + "?inline=1")
    assert response["Content-Disposition"].startswith("inline;")
    # Our own review page may frame it; no other site may.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp
    assert document.original_name in response["Content-Disposition"]
    # Every other page keeps the strict defaults.
    page = client.get(url_of("detail", filled))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_original_thai_file_name_is_kept_on_download(client, world, sar):
    drafts.attach_file(
        sar=sar,
        actor=world.cm_school_officer,
        upload=upload(pdf_bytes(1), "รายงานการประเมินตนเอง.pdf"),
        kind="document",
    )
    sar.refresh_from_db()
    response = as_user(client, world.cm_school_officer).get(url_of("file", sar))
    assert "filename*=utf-8''" in response["Content-Disposition"]


# --- Review ------------------------------------------------------------------------------------


def _return_post(revision: Revision, **reasons) -> dict:
    data = {"action": "return", "revision": revision.number}
    data.update(reasons)
    return data


def test_the_review_page_embeds_the_pdf_and_offers_both_decisions(client, world, submitted):
    html = body(as_user(client, world.cm_city_officer).get(url_of("review", submitted.sar)))
    assert f'src="{reverse("sar:file", args=[submitted.document_id])}?inline=1"' in html
    assert 'data-testid="accept-form"' in html and 'data-testid="return-form"' in html
    items = StandardItem.objects.filter(standard__standard_set__sars=submitted.sar).count()
    assert html.count('name="reason_item') == items


def test_a_return_needs_a_reason(client, world, submitted):
    response = as_user(client, world.cm_city_officer).post(
        url_of("review", submitted.sar), _return_post(submitted, reason_general="   ")
    )
    assert response.status_code == 422
    submitted.refresh_from_db()
    assert submitted.status == RevisionStatus.PENDING


def test_two_officers_reviewing_at_once_the_second_is_told_who_acted_first(world, submitted):
    second = create_account(
        username="cm.city.two",
        password=None,
        role=Role.LAO_OFFICER,
        organization=world.cm_city,
        first_name="Lamai",
        last_name="Second",
    )
    first_client, second_client = Client(), Client()
    first_client.force_login(world.cm_city_officer)
    second_client.force_login(second)
    url = url_of("review", submitted.sar)
    # Both open the page while the revision is pending.
    assert first_client.get(url).status_code == 200
    assert second_client.get(url).status_code == 200
    response = first_client.post(url, {"action": "accept", "revision": 1, "note": "ดีมาก"})
    assert response.status_code == 302
    response = second_client.post(
        url, _return_post(submitted, reason_general="ขาดแผนพัฒนา", reason_summary="สั้นไป")
    )
    assert response.status_code == 409
    html = body(response)
    error = html.split('data-testid="error"')[1].split("</div>")[0]
    assert world.cm_city_officer.display_name in error
    assert "ขาดแผนพัฒนา" in html  # what the second officer typed is still there
    submitted.refresh_from_db()
    assert submitted.status == RevisionStatus.ACCEPTED
    assert submitted.reviewed_by == world.cm_city_officer
    assert submitted.review_note == "ดีมาก"
    assert not ReturnReason.objects.exists()
    assert Sar.objects.get(pk=submitted.sar_id).status == SarStatus.ACCEPTED


def test_nothing_to_review_says_so(client, world, filled):
    html = body(as_user(client, world.cm_city_officer).get(url_of("review", filled)))
    assert 'data-testid="nothing-to-review"' in html
    assert 'data-testid="accept-form"' not in html


# --- The whole cycle through the pages -----------------------------------------------------------


def _fill_through_pages(client: Client, sar: Sar) -> None:
    """What a school officer types, page by page, as a browser without JavaScript sends it."""
    version = version_in(body(client.get(url_of("basic", sar))))
    assert client.post(url_of("basic", sar), _basic_post(version)).status_code == 302
    for standard in Standard.objects.filter(standard_set__sars=sar):
        url = reverse("sar:standard", args=[sar.pk, standard.pk])
        version = version_in(body(client.get(url)))
        data = _item_post(
            sar, standard, version, level=4, target=3, how="จัดกิจกรรม", results="ผ่านเกณฑ์"
        )
        data |= {
            "standard_level": "4",
            "standard_strengths": f"จุดเด่น {standard.number}",
            "standard_improvements": f"ควรพัฒนา {standard.number}",
        }
        assert client.post(url, data).status_code == 302
    version = version_in(body(client.get(url_of("summary", sar))))
    data = {
        "version": version,
        "strengths": "ครูเข้มแข็ง",
        "improvements": "การอ่าน",
        "plan": "โครงการรักการอ่าน",
        "help_needed": "",
    }
    assert client.post(url_of("summary", sar), data).status_code == 302
    response = client.post(
        url_of("upload", sar), {"kind": "document", "file": upload(pdf_bytes(4), "sar-2569.pdf")}
    )
    assert response.status_code == 302


def test_the_whole_cycle_through_the_pages(world, year):
    school, lao = Client(), Client()
    school.force_login(world.cm_school_officer)
    lao.force_login(world.cm_city_officer)

    # The school opens its report and fills every part.
    response = school.post(reverse("sar:open"), {"year": 2569})
    sar = Sar.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    _fill_through_pages(school, sar)
    detail = body(school.get(url_of("detail", sar)))
    assert 'data-testid="checklist-complete"' in detail

    # It sends the report: revision 1, the LAO is told.
    response = school.post(url_of("submit", sar), {"version": version_in(detail)})
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.status == SarStatus.SUBMITTED
    first = sar.current_revision
    assert Notice.objects.filter(
        recipient=world.cm_city_officer, url=reverse("sar:review", args=[sar.pk])
    ).exists()

    # The LAO returns it with a reason on one item.
    item = StandardItem.objects.get(
        standard__standard_set__sars=sar,
        standard__standard_set__education_level="basic",
        number="1.1.3",
    )
    review = body(lao.get(url_of("review", sar)))
    assert world.cm_school.name_th in review
    response = lao.post(
        url_of("review", sar),
        _return_post(
            first,
            reason_general="โปรดตรวจทานทั้งฉบับ",
            **{f"reason_item{item.pk}": "ยังไม่มีหลักฐานเรื่องนวัตกรรม"},
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sar:queue")
    sar.refresh_from_db()
    assert sar.status == SarStatus.RETURNED
    assert Notice.objects.filter(recipient=world.cm_school_officer).count() == 1

    # The school sees the reason next to that item, on the overview and on the item's page.
    detail = body(school.get(url_of("detail", sar)))
    assert "โปรดตรวจทานทั้งฉบับ" in detail
    row = detail.split(f"#item-{item.pk}")[1].split("</div>")[0]
    assert "ยังไม่มีหลักฐานเรื่องนวัตกรรม" in row
    page = body(school.get(reverse("sar:standard", args=[sar.pk, item.standard_id])))
    section = page.split(f'id="item-{item.pk}"')[1].split("</section>")[0]
    assert "ยังไม่มีหลักฐานเรื่องนวัตกรรม" in section
    other = page.split('id="item-')[1].split("</section>")[0]
    assert "ยังไม่มีหลักฐานเรื่องนวัตกรรม" not in other  # 1.1.1 has no reason

    # It corrects the item (with autosave, as a browser with htmx does) and sends it again.
    url = reverse("sar:standard", args=[sar.pk, item.standard_id])
    version = version_in(page)
    data = _item_post(
        sar, item.standard, version, level=4, target=3, how="จัดกิจกรรม", results="ผ่านเกณฑ์"
    )
    data[f"item{item.pk}_level"] = "5"
    data[f"item{item.pk}_evidence"] = "ผลงานนวัตกรรมของนักเรียน 12 ชิ้น"
    # The page sends the standard as a whole with the items: what was typed before stays.
    assert f"จุดเด่น {item.standard.number}" in page
    data |= {
        "standard_level": "4",
        "standard_strengths": f"จุดเด่น {item.standard.number}",
        "standard_improvements": f"ควรพัฒนา {item.standard.number}",
    }
    response = school.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    version = int(re.search(r'name="version" value="(\d+)"', body(response)).group(1))
    response = school.post(
        url_of("upload", sar),
        {"kind": "evidence", "file": upload(pdf_bytes(1), "นวัตกรรม.pdf")},
    )
    assert response.status_code == 302
    sar.refresh_from_db()
    assert school.post(url_of("submit", sar), {"version": sar.version}).status_code == 302
    sar.refresh_from_db()
    second = sar.current_revision
    assert second.number == 2 and sar.status == SarStatus.SUBMITTED
    assert version < sar.version

    # The LAO sees what changed since the returned revision, next to its reasons.
    review = body(lao.get(url_of("review", sar)))
    assert 'data-testid="previous-reasons"' in review
    changes = review.split('data-testid="comparison"')[1].split("</section>")[0]
    change = changes.split(f'data-item="{item.pk}"')[1].split('data-testid="item-change"')[0]
    assert "ดีเลิศ" in change and "ยอดเยี่ยม" in change  # level 4 → 5, by name
    assert "<ins>ผลงานนวัตกรรมของนักเรียน 12 ชิ้น</ins>" in change
    assert changes.count('data-testid="item-change"') == 1
    # The item's reason field is marked too, in a section opened by itself.
    assert review.count('data-testid="changed"') == 1
    assert (
        review.split('data-testid="changed"')[0]
        .rsplit("<details", 1)[1]
        .startswith(' class="mb-2" open')
    )
    assert "นวัตกรรม.pdf" in changes.split('data-testid="file-changes"')[1]

    # It accepts.
    response = lao.post(url_of("review", sar), {"action": "accept", "revision": 2, "note": ""})
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.status == SarStatus.ACCEPTED

    # Both revisions stay readable, by the school and by the province, with the comparison.
    supervisor = Client()
    supervisor.force_login(world.cm_supervisor)
    for client in (school, lao, supervisor):
        one = body(client.get(reverse("sar:revision", args=[sar.pk, 1])))
        assert "ยังไม่มีหลักฐานเรื่องนวัตกรรม" in one  # the reasons of the return
        assert first.document.sha256 in one
        two = body(client.get(reverse("sar:revision", args=[sar.pk, 2]) + "?compare=1"))
        assert 'data-testid="comparison"' in two
        assert "นวัตกรรม.pdf" in two
    assert Revision.objects.filter(sar=sar).count() == 2


# --- Revisions -----------------------------------------------------------------------------------


def test_a_revision_shows_its_content_by_name_and_its_files(client, world, submitted):
    html = body(
        as_user(client, world.cm_supervisor).get(
            reverse("sar:revision", args=[submitted.sar_id, 1])
        )
    )
    assert "ดีเลิศ" in html and "ดี" in html  # level 4 reached, target 3
    assert "ครูมีความตั้งใจ" in html  # summary
    assert "O-NET" in html  # national tests of the basic data
    assert submitted.document.sha256 in html
    assert submitted.submitted_by.display_name in html
    assert 'data-testid="comparison"' not in html


def test_comparing_with_a_missing_revision_is_a_404(client, world, submitted):
    response = as_user(client, world.cm_school_officer).get(
        reverse("sar:revision", args=[submitted.sar_id, 1]) + "?compare=7"
    )
    assert response.status_code == 404


# --- Notices -----------------------------------------------------------------------------------


def test_notices_unread_first_and_marked_read_one_or_all(client, world):
    from esar.core.notices import notify

    old = notify(users=[world.cm_school_officer], title="เก่า", url="/sar/")[0]
    Notice.objects.filter(pk=old.pk).update(read_at="2026-06-01T10:00:00+07:00")
    first = notify(users=[world.cm_school_officer], title="ใหม่หนึ่ง", url="/sar/")[0]
    notify(users=[world.cm_school_officer], title="ใหม่สอง", url="//evil.example/")
    theirs = notify(users=[world.kk_school_officer], title="ของคนอื่น")[0]
    as_user(client, world.cm_school_officer)
    html = body(client.get(reverse("core:notices")))
    assert "ของคนอื่น" not in html
    assert html.index("ใหม่สอง") < html.index("ใหม่หนึ่ง") < html.index("เก่า")
    assert 'href="//evil.example/"' not in html
    assert client.post(reverse("core:notices_read"), {"notice": first.pk}).status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    # Another person's notice is never touched.
    client.post(reverse("core:notices_read"), {"notice": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("core:notices_read"), {"all": "1"})
    assert not Notice.objects.filter(recipient=world.cm_school_officer, read_at=None).exists()
    assert Notice.objects.filter(recipient=world.kk_school_officer, read_at=None).exists()


def test_notices_need_a_login(client, world):
    assert client.get(reverse("core:notices")).status_code == 302
    assert client.post(reverse("core:notices_read"), {"all": "1"}).status_code == 302


# --- Small things ----------------------------------------------------------------------------------


def test_pages_carry_no_inline_script_or_style(client, world, with_evidence):
    for persona, names in (
        ("cm_school_officer", ["detail", "basic", "standard", "summary", "files", "revision"]),
        ("cm_city_officer", ["review"]),
    ):
        as_user(client, getattr(world, persona))
        for name in names:
            html = body(client.get(url_of(name, with_evidence)))
            assert "style=" not in html, name
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), name


def test_the_sar_list_filters_by_the_years_target_group(client, world, submitted, year):
    import datetime as dt

    from esar.testing.years import assess

    # Assessed two years before semester 1 opened: not in the 2569 target group.
    assess(world.cm_school, dt.date(2024, 1, 10), round="4")
    as_user(client, world.cm_supervisor)

    def names(**params) -> set[str]:
        html = body(client.get(reverse("sar:list"), {"year": year.year, **params}))
        rows = html.split("<tbody>")[1].split("</tbody>")[0]
        return {i.name_th for i in (world.cm_school, world.cm_centre) if i.name_th in rows}

    assert names(target_group="yes") == {world.cm_centre.name_th}
    assert names(target_group="no") == {world.cm_school.name_th}
    assert names() == {world.cm_school.name_th, world.cm_centre.name_th}
