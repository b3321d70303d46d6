"""Province and national dashboards, and an LAO's institutions: who may read them, and that
they show the progress rows' figures (overdue only after the due day, the LAOs needing a call
first), the same in the Excel workbooks."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esar.accounts.tokens import issue_token
from esar.monitoring import progress
from esar.monitoring.dashboards.national import national_dashboard
from esar.monitoring.models import InstitutionProgress, LaoProgress
from esar.organizations.models import LaoType, LocalAuthority
from esar.sar.services import drafts as sar_drafts
from esar.sar.services import revisions as sar_revisions
from esar.testing.sar import accepted_revision, fill_complete, make_year

BANGKOK = ZoneInfo("Asia/Bangkok")


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BANGKOK)


def _client(user) -> Client:
    """A logged-in client reading the pages in English (the Thai is the catalogue's business)."""
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _province_url(code: str, year, **extra: str) -> str:
    query = "&".join([f"year={year.year}", *(f"{k}={v}" for k, v in extra.items())])
    return f"{reverse('monitoring:province', args=[code])}?{query}"


def _lao_url(lao, year) -> str:
    return f"{reverse('monitoring:lao', args=[lao.code])}?year={year.year}"


def _national_url(year, **extra: str) -> str:
    query = "&".join([f"year={year.year}", *(f"{k}={v}" for k, v in extra.items())])
    return f"{reverse('monitoring:national')}?{query}"


DURING_THE_YEAR = dt.date(2026, 7, 1)  # 2569 is open; nothing is due before 31 March 2570


@pytest.fixture
def year(world):
    """2569 with its rows, 'today' being during the school year (nothing due yet)."""
    the_year = make_year(2569)
    with time_machine.travel(_at(DURING_THE_YEAR), tick=False):
        progress.refresh_year(the_year)
        yield the_year


def _lao_rows(html: str) -> list[str]:
    return re.findall(r'data-testid="lao-row" data-lao="(\d+)"', html)


def _cell(html: str, lao_code: str, hop: str) -> dict[str, int]:
    """The data-* figures of one hop cell in an LAO's row of the province page."""
    row = html.split(f'data-lao="{lao_code}"', 1)[1].split("</tr>", 1)[0]
    match = re.search(
        rf'data-hop="{hop}" data-done="(\d+)" data-late="(\d+)" data-overdue="(\d+)"', row
    )
    assert match, row
    return dict(zip(("done", "late", "overdue"), map(int, match.groups()), strict=True))


# --- Who may read what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("cm_supervisor", 200),
        ("dla_admin", 200),
        ("dla_analyst", 200),
        ("kk_supervisor", 404),
        ("cm_city_officer", 404),
        ("cm_school_officer", 404),
        ("onesqa_reviewer", 404),
        ("helpdesk", 404),
        ("nobody", 404),
    ],
)
def test_a_province_dashboard_is_for_its_supervisor_and_dla_only(world, year, persona, status):
    client = _client(getattr(world, persona))
    assert client.get(_province_url("50", year)).status_code == status
    assert client.get(_province_url("50", year, format="xlsx")).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(world, year):
    response = Client().get(_province_url("50", year))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dla_admin", 200),
        ("dla_analyst", 200),
        ("cm_city_officer", 404),
        ("cm_school_officer", 404),
        ("onesqa_reviewer", 404),
        ("helpdesk", 404),
        ("nobody", 404),
    ],
)
def test_the_national_dashboard_is_for_dla(world, year, persona, status):
    client = _client(getattr(world, persona))
    assert client.get(_national_url(year)).status_code == status
    assert client.get(_national_url(year, format="xlsx")).status_code == status


def test_a_province_supervisor_opening_the_national_dashboard_lands_on_their_province(world, year):
    response = _client(world.kk_supervisor).get(_national_url(year))
    assert response.status_code == 302
    assert response["Location"] == _province_url("40", year)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("cm_supervisor", 200),
        ("cm_city_officer", 200),
        ("dla_admin", 200),
        ("dla_analyst", 200),
        ("kk_supervisor", 404),
        ("cm_sao_officer", 404),
        ("kk_town_officer", 404),
        ("cm_school_officer", 404),
        ("onesqa_reviewer", 404),
        ("nobody", 404),
    ],
)
def test_an_lao_page_is_for_its_province_its_officers_and_dla(world, year, persona, status):
    assert _client(getattr(world, persona)).get(_lao_url(world.cm_city, year)).status_code == status


def test_an_unknown_year_or_province_is_a_404(world, year):
    client = _client(world.dla_admin)
    assert client.get(f"{reverse('monitoring:province', args=['50'])}?year=2400").status_code == 404
    assert client.get(f"{reverse('monitoring:province', args=['50'])}?year=abc").status_code == 404
    assert client.get(_province_url("99", year)).status_code == 404


# --- Figures -------------------------------------------------------------------------------------


def test_the_province_page_shows_the_rows_of_its_laos_and_their_totals(world, year):
    LaoProgress.objects.filter(year=year, lao=world.cm_city).update(
        institutions=12,
        submitted=9,
        submitted_late=2,
        accepted=5,
        accepted_late=1,
        delivered=3,
        received=2,
        t_institutions=4,
        t_submitted=3,
        t_submitted_late=1,
    )
    LaoProgress.objects.filter(year=year, lao=world.cm_sao).update(
        institutions=3, submitted=1, accepted=1
    )
    html = _client(world.cm_supervisor).get(_province_url("50", year)).content.decode()
    assert sorted(_lao_rows(html)) == sorted([world.cm_city.code, world.cm_sao.code])
    assert world.kk_town.code not in html
    assert _cell(html, world.cm_city.code, "submitted") == {"done": 9, "late": 2, "overdue": 0}
    assert _cell(html, world.cm_city.code, "accepted") == {"done": 5, "late": 1, "overdue": 0}
    assert _cell(html, world.cm_city.code, "received")["done"] == 2
    totals = html.split('data-testid="totals"', 1)[1]
    assert 'data-hop="submitted" data-done="10" data-late="2" data-overdue="0"' in totals
    # Each hop's chart and the place the sorting rule is explained.
    assert html.count("<svg") >= 1
    assert 'data-testid="sort-rule"' in html


def test_a_sar_sent_through_the_service_appears_on_the_province_and_lao_pages(world, year):
    with time_machine.travel(_at(DURING_THE_YEAR), tick=False):
        sar = sar_drafts.open_sar(
            institution=world.cm_school, year=year, actor=world.cm_school_officer
        )
        sar = fill_complete(sar, world.cm_school_officer)
        sar_revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=sar.version)
        html = _client(world.cm_supervisor).get(_province_url("50", year)).content.decode()
        lao_html = _client(world.cm_city_officer).get(_lao_url(world.cm_city, year)).content
    assert _cell(html, world.cm_city.code, "submitted") == {"done": 1, "late": 0, "overdue": 0}
    lao_html = lao_html.decode()
    assert world.cm_school.code in lao_html
    assert reverse("sar:detail", args=[sar.pk]) in lao_html
    assert 'data-state="on_time"' in lao_html


def test_overdue_appears_only_after_the_due_day(world, year):
    LaoProgress.objects.filter(year=year, lao=world.cm_city).update(
        institutions=5, submitted=2, t_institutions=2, t_submitted=1
    )
    with time_machine.travel(_at(year.sar_due, 23), tick=False):
        html = _client(world.cm_supervisor).get(_province_url("50", year)).content.decode()
    assert _cell(html, world.cm_city.code, "submitted")["overdue"] == 0
    with time_machine.travel(_at(year.sar_due + dt.timedelta(days=1), 0), tick=False):
        html = _client(world.cm_supervisor).get(_province_url("50", year)).content.decode()
    assert _cell(html, world.cm_city.code, "submitted")["overdue"] == 3
    # Acceptance is due later: not overdue yet.
    assert _cell(html, world.cm_city.code, "accepted")["overdue"] == 0


def test_the_lao_with_overdue_hops_comes_first(world, year):
    # Zeta is behind and overdue; Alpha has done everything; by name Alpha would come first.
    alpha = LocalAuthority.objects.create(
        code="6500199", name_th="อบต.กกกก", lao_type=LaoType.SAO, province=world.chiang_mai
    )
    progress.refresh(year=year, lao_ids=[alpha.pk])
    LaoProgress.objects.filter(year=year, lao=alpha).update(institutions=2, submitted=2)
    LaoProgress.objects.filter(year=year, lao=world.cm_sao).update(institutions=4, submitted=1)
    LaoProgress.objects.filter(year=year, lao=world.cm_city).update(institutions=4, submitted=3)
    with time_machine.travel(_at(year.sar_due + dt.timedelta(days=2)), tick=False):
        html = _client(world.cm_supervisor).get(_province_url("50", year)).content.decode()
    assert _lao_rows(html) == [world.cm_sao.code, world.cm_city.code, alpha.code]
    # Before the due day nobody is overdue: the lowest share done comes first.
    with time_machine.travel(_at(DURING_THE_YEAR), tick=False):
        html = _client(world.cm_supervisor).get(_province_url("50", year)).content.decode()
    assert _lao_rows(html) == [world.cm_sao.code, world.cm_city.code, alpha.code]


def test_the_lao_page_lists_its_institutions_with_the_target_group_flag(world, year):
    InstitutionProgress.objects.filter(year=year, institution=world.cm_school).update(
        in_target_group=True
    )
    html = _client(world.cm_supervisor).get(_lao_url(world.cm_city, year)).content.decode()
    assert world.cm_school.code in html
    assert world.cm_centre.code not in html  # another LAO's centre
    assert "badge text-bg-info" in html


# --- National dashboard --------------------------------------------------------------------------


def test_the_national_page_sums_the_provinces_and_compares_with_the_previous_year(world, year):
    before = make_year(2568)
    with time_machine.travel(_at(DURING_THE_YEAR), tick=False):
        progress.refresh_year(before)
    LaoProgress.objects.filter(year=year, lao=world.cm_city).update(institutions=10, submitted=4)
    LaoProgress.objects.filter(year=year, lao=world.cm_sao).update(institutions=10, submitted=6)
    LaoProgress.objects.filter(year=year, lao=world.kk_town).update(institutions=5, submitted=5)
    LaoProgress.objects.filter(year=before).update(institutions=0)
    LaoProgress.objects.filter(year=before, lao=world.kk_town).update(institutions=5, submitted=1)
    with time_machine.travel(_at(DURING_THE_YEAR), tick=False):
        response = _client(world.dla_analyst).get(_national_url(year))
    html = response.content.decode()
    cm = html.split('data-province="50"', 1)[1].split("</tr>", 1)[0]
    assert 'data-hop="submitted" data-done="10"' in cm
    assert _province_url("50", year).replace("&", "&amp;") in html
    totals = html.split('data-testid="totals"', 1)[1]
    assert 'data-hop="submitted" data-done="15"' in totals
    changes = {c["hop"]: c for c in response.context["changes"]}
    assert changes["submitted"]["percent"] == 60.0
    # The previous year is read on the same day one year earlier, when nothing was sent yet.
    assert changes["submitted"]["previous_percent"] == 0.0
    assert changes["submitted"]["change"] == 60.0


def _previous_year_finished_late_in_the_year(world):
    """2568 finished: every institution sent, accepted, delivered and received, but all after
    1 July 2025 except the school of Chiang Mai city, which sent its SAR on 15 June 2025."""
    before = make_year(2568)
    with time_machine.travel(_at(DURING_THE_YEAR), tick=False):
        progress.refresh_year(before)
    rows = InstitutionProgress.objects.filter(year=before)
    late_in_the_year = _at(dt.date(2025, 12, 1))
    rows.update(
        submitted_at=late_in_the_year,
        accepted_at=late_in_the_year,
        delivered_at=late_in_the_year,
        received_at=late_in_the_year,
    )
    rows.filter(institution=world.cm_school).update(submitted_at=_at(dt.date(2025, 6, 15)))
    return before, rows.count()


def test_a_year_in_progress_is_compared_with_the_previous_year_on_the_same_day(world, year):
    before, institutions = _previous_year_finished_late_in_the_year(world)
    with time_machine.travel(_at(DURING_THE_YEAR), tick=False):
        response = _client(world.dla_analyst).get(_national_url(year))
        api = Client().get(
            f"/api/v1/dashboards/national?year={year.year}",
            headers={"Authorization": f"Bearer {issue_token(user=world.dla_analyst).token}"},
        )
        workbook_response = _client(world.dla_analyst).get(_national_url(year, format="xlsx"))
    html = response.content.decode()
    changes = {c["hop"]: c for c in response.context["changes"]}
    # Not "-100 points": on 1 July 2025 only one SAR of 2568 had been sent, none accepted.
    assert changes["submitted"]["previous_percent"] == round(100 / institutions, 1)
    assert changes["accepted"]["previous_percent"] == 0.0
    assert changes["accepted"]["change"] == 0.0
    assert changes["received"]["change"] == 0.0
    assert "-100" not in html.split('data-testid="changes"', 1)[1].split("</table>", 1)[0]
    note = html.split('data-testid="changes-note"', 1)[1].split("</p>", 1)[0]
    assert "2568 is counted as it stood on" in note and "the same day one year earlier" in note

    assert api.status_code == 200, api.content
    data = api.json()
    assert data["previous_as_of"] == "2025-07-01"
    api_changes = {c["hop"]: c for c in data["changes"]}
    assert api_changes["accepted"]["previous_percent"] == 0.0
    assert api_changes["accepted"]["change"] == 0.0

    workbook = openpyxl.load_workbook(io.BytesIO(workbook_response.content))
    sheet = workbook["Previous year"]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    by_label = {row[0]: row for row in rows[1:5]}
    assert by_label["Accepted"][2:] == (0.0, 0.0)
    assert any("the same day one year earlier" in str(row[0]) for row in rows[5:])


def test_after_the_same_day_the_previous_year_counts_what_was_done_by_then(world, year):
    before, institutions = _previous_year_finished_late_in_the_year(world)
    # On 2 December 2026 the previous year is read on 2 December 2025: everything was done.
    dashboard = national_dashboard(year, dt.date(2026, 12, 2))
    changes = {c["hop"]: c for c in dashboard.changes()}
    assert dashboard.previous_as_of == dt.date(2025, 12, 2)
    assert changes["accepted"]["previous_percent"] == 100.0


def test_quality_levels_are_summed_per_standard_and_item_from_the_province_rows(world, year):
    revision = accepted_revision(
        world.cm_school, year, world.cm_school_officer, world.cm_city_officer
    )
    rating = revision.ratings.select_related("item", "level").first()
    standard_rating = revision.standard_ratings.select_related("standard", "level").first()
    dashboard = national_dashboard(year)
    standards = {row.key: row for table in dashboard.standards for row in table.rows}
    items = {row.key: row for table in dashboard.items for row in table.rows}
    cell = next(
        c
        for c in standards[standard_rating.standard_id].cells
        if c.rank == standard_rating.level.rank
    )
    assert (cell.count, cell.percent) == (1, 100.0)
    item_cell = next(c for c in items[rating.item_id].cells if c.rank == rating.level.rank)
    assert item_cell.count == 1
    html = _client(world.cm_supervisor).get(_province_url("50", year)).content.decode()
    assert standard_rating.standard.standard_set.name in html
    html = _client(world.dla_admin).get(_national_url(year)).content.decode()
    assert f'data-testid="level-row" data-key="{standard_rating.standard_id}"' in html
    assert f'data-testid="level-row" data-key="{rating.item_id}"' in html


# --- Excel ---------------------------------------------------------------------------------------


def _sheet_rows(content: bytes, index: int = 0) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [tuple(row) for row in workbook.worksheets[index].iter_rows(values_only=True)]


def test_the_province_workbook_has_the_page_figures(world, year):
    LaoProgress.objects.filter(year=year, lao=world.cm_city).update(
        institutions=12, submitted=9, submitted_late=2
    )
    response = _client(world.cm_supervisor).get(_province_url("50", year, format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response.content)
    headers = rows[3]
    city = next(row for row in rows if row[0] == world.cm_city.code)
    on_time = headers.index(next(h for h in headers if h and "on time" in h))
    assert city[2] == 12  # institutions
    assert city[on_time : on_time + 3] == (7, 2, 0)
    assert rows[-1][1] == "Province total"
    assert "2569" in rows[0][0]


def test_a_name_typed_like_a_formula_stays_text_in_the_workbook(world, year):
    world.cm_city.name_th = '=HYPERLINK("http://example.org","ดูที่นี่")'
    world.cm_city.save(update_fields=["name_th"])
    response = _client(world.cm_supervisor).get(_province_url("50", year, format="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [
        cell for row in sheet.iter_rows() for cell in row if cell.value == world.cm_city.name_th
    ]
    assert cells, "the LAO's name is in the workbook"
    assert all(cell.data_type == "s" for cell in cells)


def test_the_national_workbook_has_a_sheet_per_province_and_the_levels(world, year):
    LaoProgress.objects.filter(year=year, lao=world.kk_town).update(institutions=5, submitted=5)
    response = _client(world.dla_admin).get(_national_url(year, format="xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 3
    rows = _sheet_rows(response.content)
    kk = next(row for row in rows if row[0] == "40")
    assert kk[2:4] == (1, 5)  # LAOs, institutions
    assert rows[-1][1] == "National total"


# --- Queries -------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_pages_cost_the_same_queries_for_one_or_ten_laos(world, year):
    client = _client(world.dla_admin)
    client.get(_province_url("40", year))  # warm the session and caches
    one = _queries(client, _province_url("40", year))
    national_before = _queries(client, _national_url(year))
    laos = [
        LocalAuthority.objects.create(
            code=f"64001{index:02d}",
            name_th=f"อบต.ทดสอบ {index}",
            lao_type=LaoType.SAO,
            province=world.khon_kaen,
        )
        for index in range(9)
    ]
    progress.refresh(year=year, lao_ids=[lao.pk for lao in laos])
    assert LaoProgress.objects.filter(year=year, province=world.khon_kaen).count() == 10
    assert _queries(client, _province_url("40", year)) == one
    assert _queries(client, _national_url(year)) == national_before


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("dla_analyst", True), ("cm_supervisor", True), ("cm_city_officer", False)],
)
def test_the_menu_offers_the_dashboard_to_dla_and_supervisors(world, year, persona, shown):
    html = _client(getattr(world, persona)).get(reverse("front:home")).content.decode()
    assert (f'href="{reverse("monitoring:national")}"' in html) is shown


# --- Readability ---------------------------------------------------------------------------------

HALF_COLUMN_PX = 456  # a col-lg-6 of Bootstrap's 960 px container, where the charts sit
PHONE_PX = 350


def test_the_charts_texts_are_readable_in_their_half_column_and_on_a_phone(world, year):
    html = _client(world.dla_analyst).get(_national_url(year)).content.decode()
    charts = re.findall(r'<svg [^>]*class="esar-chart".*?</svg>', html, re.S)
    assert charts
    for chart in charts:
        view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', chart).group(1))
        # Never drawn bigger than designed: its width is the drawing's (CSS caps it at the
        # column), set as an attribute, since the CSP refuses style attributes.
        assert f'width="{view_width:g}"' in chart
        assert "style=" not in chart
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', chart)]
        assert sizes
        # The effective size is the drawn size times the scale of the drawing to its column.
        assert min(sizes) * min(1, HALF_COLUMN_PX / view_width) >= 13
        assert min(sizes) * PHONE_PX / view_width >= 12


@pytest.mark.parametrize("page", ["national", "province"])
def test_every_hop_column_says_what_its_numbers_are(world, year, page):
    url = _national_url(year) if page == "national" else _province_url("50", year)
    html = _client(world.cm_supervisor if page == "province" else world.dla_analyst)
    html = html.get(url).content.decode()
    keys = re.findall(r'data-testid="hop-key">(.*?)</div>', html)
    plain = [re.sub(r"<[^>]+>", "", key) for key in keys]
    assert plain.count("on time · late · overdue / of total") == 3
    assert plain.count("received / of total") == 1
    legend = html.split('data-testid="legend"', 1)[1].split("</div>", 1)[0]
    assert "3 did the hop on time" in legend and "2 are overdue" in legend
    # A screen reader hears the words beside the numbers, not "3 dot 0 dot 0".
    assert '<span class="visually-hidden"> On time</span>' in html


def test_the_hop_keys_are_in_thai_for_thai_readers(world, year):
    client = Client()
    client.force_login(world.dla_analyst)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "th"
    html = client.get(_national_url(year)).content.decode()
    assert 'ตรงเวลา</span> · <span class="text-warning-emphasis">ล่าช้า' in html
    assert "จากทั้งหมด" in html
