"""The synthesis pages: the LAO writes, completes and reopens; its province and DLA read."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esar.synthesis.models import Synthesis, SynthesisStatus
from esar.testing.sar import accepted_revision, add_accepted_centres
from esar.testing.years import make_year


@pytest.fixture
def year(db):
    return make_year(2569)


@pytest.fixture
def accepted(world, year):
    return accepted_revision(
        world.cm_school, year, world.cm_school_officer, world.cm_city_officer, standard_level=2
    )


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(world, year) -> str:
    return reverse("synthesis:detail", args=[world.cm_city.pk, year.year])


def html_of(response) -> str:
    return response.content.decode()


def version_in(html: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def save_post(version: int, **extra) -> dict:
    data = {
        "action": "save",
        "version": version,
        "summary": "สถานศึกษาส่วนใหญ่มีคุณภาพระดับดี",
        "issue-TOTAL_FORMS": "2",
        "issue-INITIAL_FORMS": "0",
        "issue-MIN_NUM_FORMS": "0",
        "issue-MAX_NUM_FORMS": "100",
    }
    data.update(extra)
    return data


def test_the_lao_writes_completes_and_reopens_its_synthesis(world, year, accepted):
    lao = client_of(world.cm_city_officer)
    index = html_of(lao.get(reverse("synthesis:index")))
    assert url(world, year) in index
    page = html_of(lao.get(url(world, year)))
    assert 'data-testid="fig-accepted">1<' in page
    assert page.count('data-testid="standard-section"') == 6
    assert "<svg" in page
    # Each strength links back to the revision it came from.
    assert reverse("sar:revision", args=[accepted.sar_id, 1]) in page
    assert "จุดเด่นมาตรฐาน" in page
    assert 'data-testid="below-good-row"' in page and world.cm_school.name_th in page

    standard_id = re.search(r'name="issue-0-standards" value="(\d+)"', page).group(1)
    # An issue that names no standard is refused, and nothing is saved.
    response = lao.post(url(world, year), save_post(1, **{"issue-0-text": "ขอให้ประเมินการอ่าน"}))
    assert response.status_code == 422
    assert "โปรดเลือกมาตรฐานที่เกี่ยวข้องกับประเด็นนี้อย่างน้อยหนึ่งมาตรฐาน" in html_of(response)
    assert not Synthesis.objects.exists()

    response = lao.post(
        url(world, year),
        save_post(
            1,
            **{
                "issue-0-text": "ขอให้ประเมินการอ่านออกเขียนได้",
                "issue-0-standards": [standard_id],
                "issue-0-institutions": [str(world.cm_school.pk)],
            },
        ),
    )
    assert response.status_code == 302
    synthesis = Synthesis.objects.get()
    assert synthesis.summary == "สถานศึกษาส่วนใหญ่มีคุณภาพระดับดี"
    (issue,) = synthesis.issues.all()
    assert [s.pk for s in issue.standards.all()] == [int(standard_id)]
    assert list(issue.institutions.all()) == [world.cm_school]

    page = html_of(lao.get(url(world, year)))
    response = lao.post(url(world, year), {"action": "complete", "version": version_in(page)})
    assert response.status_code == 302
    synthesis.refresh_from_db()
    assert synthesis.status == SynthesisStatus.COMPLETE
    page = html_of(lao.get(url(world, year)))
    assert 'data-testid="version-row"' in page
    assert "ขอให้ประเมินการอ่านออกเขียนได้" in page
    assert 'data-testid="edit-form"' not in page

    # Reopening needs a reason.
    version = version_in(page.split('data-testid="reopen-form"')[1])
    response = lao.post(url(world, year), {"action": "reopen", "version": version, "reason": ""})
    assert response.status_code == 422
    synthesis.refresh_from_db()
    assert synthesis.status == SynthesisStatus.COMPLETE
    response = lao.post(
        url(world, year), {"action": "reopen", "version": version, "reason": "เพิ่มประเด็น"}
    )
    assert response.status_code == 302
    synthesis.refresh_from_db()
    assert synthesis.status == SynthesisStatus.DRAFT
    # The completed version is kept and can be read as it was.
    frozen = html_of(lao.get(url(world, year) + "?version=1"))
    assert 'data-testid="showing-version"' in frozen
    assert "เพิ่มประเด็น" in frozen


def test_a_save_from_a_stale_page_is_refused_and_overwrites_nothing(world, year, accepted):
    lao = client_of(world.cm_city_officer)
    assert lao.post(url(world, year), save_post(1, summary="ฉบับแรก")).status_code == 302
    response = lao.post(url(world, year), save_post(1, summary="ฉบับเก่า"))
    assert response.status_code == 409
    assert "ฉบับเก่า" in html_of(response)  # what was typed is still on the page
    assert Synthesis.objects.get().summary == "ฉบับแรก"


def test_a_sar_returned_after_completion_shows_the_synthesis_out_of_date(world, year, accepted):
    lao = client_of(world.cm_city_officer)
    lao.post(url(world, year), {"action": "complete", "version": 1})
    assert 'data-testid="out-of-date"' not in html_of(lao.get(url(world, year)))
    review = reverse("sar:review", args=[accepted.sar_id])
    page = html_of(lao.get(review))
    assert 'data-testid="return-accepted"' in page
    response = lao.post(
        review,
        {
            "action": "return",
            "revision": "1",
            "after_acceptance": "1",
            "reason_general": "ระดับคุณภาพมาตรฐานที่ 2 ไม่สอดคล้องกับหลักฐาน",
        },
    )
    assert response.status_code == 302
    page = html_of(lao.get(url(world, year)))
    assert 'data-testid="out-of-date"' in page
    assert 'data-testid="fig-accepted">0<' in page
    # Version 1 still shows the accepted report it was built from.
    assert 'data-testid="fig-accepted">1<' in html_of(lao.get(url(world, year) + "?version=1"))


def test_the_province_and_dla_read_and_others_get_404_or_403(world, year, accepted):
    client_of(world.cm_city_officer).post(url(world, year), save_post(1))
    for reader in (world.cm_supervisor, world.dla_analyst, world.dla_admin):
        page = html_of(client_of(reader).get(url(world, year)))
        assert "สถานศึกษาส่วนใหญ่มีคุณภาพระดับดี" in page
        assert 'data-testid="edit-form"' not in page
        # They read it but do not write it: 403; outsiders below: 404.
        assert client_of(reader).post(url(world, year), save_post(2)).status_code == 403
    listing = html_of(client_of(world.cm_supervisor).get(reverse("synthesis:list")))
    assert world.cm_city.name_th in listing and world.cm_sao.name_th in listing
    assert world.kk_town.name_th not in listing
    for outsider in (
        world.kk_supervisor,
        world.kk_town_officer,
        world.cm_sao_officer,
        world.cm_school_officer,
        world.onesqa_reviewer,
        world.helpdesk,
    ):
        client = client_of(outsider)
        assert client.get(url(world, year)).status_code == 404, outsider
        assert client.post(url(world, year), save_post(2)).status_code == 404
    assert Synthesis.objects.get().version == 2


def test_the_synthesis_page_costs_the_same_queries_for_one_or_many_institutions(world, year):
    accepted_revision(world.cm_school, year, world.cm_school_officer, world.cm_city_officer)
    lao = client_of(world.cm_city_officer)
    lao.get(url(world, year))
    with CaptureQueriesContext(connection) as small:
        assert lao.get(url(world, year)).status_code == 200
    add_accepted_centres(world.cm_city, year, world.cm_city_officer, 4)
    with CaptureQueriesContext(connection) as large:
        page = html_of(lao.get(url(world, year)))
    assert 'data-testid="fig-accepted">5<' in page
    assert len(large) == len(small)


def test_the_exports_are_offered_to_readers_only(world, year, accepted):
    lao = client_of(world.cm_city_officer)
    lao.post(url(world, year), save_post(1))
    lao.post(url(world, year), {"action": "complete", "version": 2})
    pdf = reverse("synthesis:pdf", args=[world.cm_city.pk, year.year])
    xlsx = reverse("synthesis:xlsx", args=[world.cm_city.pk, year.year])
    response = client_of(world.cm_supervisor).get(pdf)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # A complete synthesis exports its completed version, not a draft.
    assert "-v1.pdf" in response["Content-Disposition"]
    response = client_of(world.cm_city_officer).get(xlsx)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"  # a zip: an .xlsx workbook
    for outsider in (world.kk_supervisor, world.cm_sao_officer, world.onesqa_reviewer):
        assert client_of(outsider).get(pdf).status_code == 404
        assert client_of(outsider).get(xlsx).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_province_downloads_every_lao_synthesis_as_one_workbook(transactional_world):
    import io

    from openpyxl import load_workbook

    world = transactional_world
    make_year(2569)
    supervisor = client_of(world.cm_supervisor)
    listing = html_of(supervisor.get(reverse("synthesis:list")))
    assert 'data-testid="province-export"' in listing
    export = reverse("synthesis:province_export", args=["50", 2569])
    assert supervisor.get(export).status_code == 405  # starting a job is a POST
    response = supervisor.post(export)
    assert response.status_code == 302
    job_page = html_of(supervisor.get(response["Location"]))
    assert 'data-testid="job-file"' in job_page
    file_url = re.search(r'href="([^"]+)" data-testid="job-file"', job_page).group(1)
    download = supervisor.get(file_url)
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    text = " ".join(
        str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row
    )
    assert world.cm_city.code in text and world.cm_sao.code in text
    assert world.kk_town.code not in text
    # The job and its file are the supervisor's: another province's supervisor gets 404.
    assert client_of(world.kk_supervisor).get(file_url).status_code == 404
    assert client_of(world.kk_supervisor).post(export).status_code == 404
