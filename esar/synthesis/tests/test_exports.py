"""The official exports: the synthesis PDF in Thai, its workbook, and the province workbook."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from esar.core import pdf
from esar.core.models import Job
from esar.organizations.models import LaoType, LocalAuthority
from esar.synthesis import exports, exports_province, report, services, tasks
from esar.synthesis.services import IssueInput
from esar.testing.sar import accepted_revision
from esar.testing.years import make_year

STRENGTH = "จุดเด่นมาตรฐาน"  # what `fill_complete` writes as each standard's strengths


@pytest.fixture
def year(db):
    return make_year(2569)


@pytest.fixture
def draft(world, year):
    """Nakhon Doi Kham's synthesis being written: its school's SAR accepted (below good)."""
    accepted_revision(
        world.cm_school, year, world.cm_school_officer, world.cm_city_officer, standard_level=2
    )
    synthesis = services.open_synthesis(lao=world.cm_city, year=year, actor=world.cm_city_officer)
    standard = report.build(synthesis).sections[0].standard
    return services.save(
        synthesis=synthesis,
        actor=world.cm_city_officer,
        expected_version=synthesis.version,
        summary="ภาพรวมสถานศึกษาในสังกัดมีคุณภาพระดับดี",
        issues=[IssueInput("ขอให้ประเมินทักษะการอ่านของผู้เรียน", [standard.pk], [world.cm_school.pk])],
    )


@pytest.fixture
def completed(world, draft):
    version = services.complete(
        synthesis=draft, actor=world.cm_city_officer, expected_version=draft.version
    )
    draft.refresh_from_db()
    return version


def as_typed(text: str) -> str:
    """Text read back from the PDF with SARA AM as people type it (see `spell_out_sara_am`)."""
    return re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)


def pages_text(data: bytes) -> list[str]:
    return [as_typed(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


# --- PDF ---------------------------------------------------------------------------------------


def test_the_pdf_holds_the_lao_the_strengths_and_the_year_as_thai_text(world, draft):
    data = exports.synthesis_pdf(report.build(draft))
    assert data.startswith(b"%PDF")
    text = "\n".join(pages_text(data))
    assert world.cm_city.name_th in text
    assert f"{STRENGTH} 1" in text
    assert "ขอให้ประเมินทักษะการอ่านของผู้เรียน" in text
    assert "ภาพรวมสถานศึกษาในสังกัดมีคุณภาพระดับดี" in text
    assert world.cm_school.name_th in text
    assert "2569" in text and "๒๕๖๙" not in text


def test_every_page_has_the_lao_in_its_header_and_its_number_of_all_pages(world, draft):
    pages = pages_text(exports.synthesis_pdf(report.build(draft)))
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert world.cm_city.name_th in text
        assert re.search(rf"\b{number} / {len(pages)}\b", text), text[-200:]


def test_thai_numerals_replace_every_digit_of_the_text(world, draft):
    data = exports.synthesis_pdf(report.build(draft), thai_numerals=True)
    pages = pages_text(data)
    text = "\n".join(pages)
    assert "๒๕๖๙" in text
    assert world.cm_city.name_th in text
    # Even the LAO code, the institution code and the page numbers; nothing is left in 0-9.
    assert exports.thaidate.to_thai_digits(world.cm_school.code) in text
    assert f"๑ / {exports.thaidate.to_thai_digits(len(pages))}" in pages[0]
    assert not re.search(r"[0-9]", text), re.findall(r".{20}[0-9].{20}", text)[:5]


def test_the_fonts_embedded_are_sarabun(draft):
    names = font_names(exports.synthesis_pdf(report.build(draft)))
    assert names and all("Sarabun" in name for name in names), names


def test_a_draft_says_so_and_a_completed_version_shows_its_number_and_date(world, completed):
    draft_text = "\n".join(pages_text(exports.synthesis_pdf(report.build(completed.synthesis))))
    assert "ฉบับร่าง" in draft_text  # "Draft" in Thai
    frozen = report.build(completed.synthesis, completed)
    text = "\n".join(pages_text(exports.synthesis_pdf(frozen)))
    assert exports.thaidate.format_date(completed.completed_at, "long", lang="th") in text
    assert "ฉบับร่าง" not in text


def test_the_pdf_fetches_nothing_but_the_sarabun_files():
    fetcher = pdf.FontsOnly()
    font = (pdf.FONT_DIR / "Sarabun-Regular.ttf").as_uri()
    assert fetcher.fetch(font).read()[:4] == b"\x00\x01\x00\x00"
    for url in (
        "http://127.0.0.1:9/tracker.png",
        "file:///etc/passwd",
        (pdf.FONT_DIR / ".." / "__init__.py").as_uri(),
        "data:text/plain,x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_user_text_cannot_load_anything(world, draft):
    draft.summary = '<img src="http://127.0.0.1:9/x.png"> </style><style>@page{size:A3}</style>'
    html = exports.pdf_html(report.build(draft))
    assert "&lt;img" in html and '<img src="http' not in html


def test_sara_am_is_spelled_out_so_that_the_pdf_reads_back_as_written():
    assert pdf.spell_out_sara_am("น้ำคำ") == "น\u0e4d\u0e49\u0e32ค\u0e4d\u0e32"
    assert as_typed(pdf.spell_out_sara_am("น้ำคำการ")) == "น้ำคำการ"


def test_thai_numerals_leave_markup_styles_and_references_alone():
    html = (
        '<style>td { width: 12pt }</style><p class="c2">ปี 2569 &#x27;5&#39;</p>'
        '<svg viewBox="0 0 640 40"><rect x="120"/><text x="1">12</text></svg>'
    )
    assert pdf.thai_numerals_in_text(html) == (
        '<style>td { width: 12pt }</style><p class="c2">ปี ๒๕๖๙ &#x27;๕&#39;</p>'
        '<svg viewBox="0 0 640 40"><rect x="120"/><text x="1">๑๒</text></svg>'
    )


# --- The synthesis workbook --------------------------------------------------------------------


def workbook(write) -> openpyxl.Workbook:
    out = io.BytesIO()
    write(out)
    out.seek(0)
    return openpyxl.load_workbook(out)


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def th(text: str) -> str:
    with translation.override("th"):
        return gettext(text)


def test_the_workbook_holds_the_figures_the_levels_and_the_strengths(world, completed):
    frozen = report.build(completed.synthesis, completed)
    book = workbook(lambda out: exports.synthesis_xlsx(frozen, out))
    summary, levels, below, voices, issues = book.worksheets
    assert summary.freeze_panes == "A3" and voices.freeze_panes == "A3"
    figures = dict(row[:2] for row in values(summary)[2:])
    assert figures[th("Institutions")] == 1
    assert figures[th("SARs accepted")] == 1
    assert figures[th("Still missing")] == 0
    assert world.cm_city.name_th in figures.values()
    assert 2569 in figures.values()
    assert figures[th("Overall summary")] == "ภาพรวมสถานศึกษาในสังกัดมีคุณภาพระดับดี"
    # Standard 1 as a whole: one institution at level 2, item rows under it.
    first, second = values(levels)[2:4]
    assert first[1] == "1" and first[2] is None and first[-1] == 1
    assert second[2] == "1.1.1"
    assert [row[0] for row in values(below)[2:]] == [world.cm_school.code]
    voice = values(voices)[2]
    assert voice[1:4] == [world.cm_school.code, world.cm_school.name_th, 1]
    assert voice[5] == f"{STRENGTH} 1"
    assert values(issues)[2][1] == "ขอให้ประเมินทักษะการอ่านของผู้เรียน"


def test_text_that_looks_like_a_formula_stays_text(world, draft):
    draft.summary = '=HYPERLINK("http://127.0.0.1:9/","click")'
    book = workbook(lambda out: exports.synthesis_xlsx(report.build(draft), out))
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    (cell,) = [cell for cell in cells if str(cell.value).startswith("=")]
    assert cell.data_type == "s"


# --- The province workbook ---------------------------------------------------------------------


def lao_rows(book: openpyxl.Workbook) -> list[list]:
    rows = values(book.worksheets[0])[2:]
    return rows[: [row[0] for row in rows].index(None)] if None in [r[0] for r in rows] else rows


def every_cell(book: openpyxl.Workbook) -> str:
    return "\n".join(
        str(value) for sheet in book.worksheets for row in values(sheet) for value in row
    )


def test_the_province_workbook_has_one_row_per_lao_and_nothing_from_elsewhere(
    world, year, completed
):
    services.open_synthesis(lao=world.kk_town, year=year, actor=world.kk_town_officer)
    seen = []
    out = io.BytesIO()
    written = exports_province.province_xlsx(
        world.chiang_mai, year, out, progress=lambda done, total: seen.append((done, total))
    )
    out.seek(0)
    book = openpyxl.load_workbook(out)
    codes = sorted(
        LocalAuthority.objects.filter(province=world.chiang_mai).values_list("code", flat=True)
    )
    rows = lao_rows(book)
    assert written == len(rows) == len(codes) and seen[-1] == (written, written)
    assert [row[0] for row in rows] == codes
    assert world.kk_town.code not in every_cell(book)
    assert world.kk_town.name_th not in every_cell(book)
    by_code = {row[0]: row for row in rows}
    city = by_code[world.cm_city.code]
    assert city[1] == world.cm_city.name_th
    assert city[2] == th(LaoType.CITY_MUNICIPALITY.label)
    assert city[3] == th("Complete, version %(number)s") % {"number": 1}
    assert city[6:] == [1, 1, 1, 1, 0, 1, 1]
    sao = by_code[world.cm_sao.code]
    assert sao[3] == th("Not started")
    assert sao[6] == 1 and sao[9] == 0 and sao[10] == 1  # its child centre, nothing accepted
    # Levels per standard: the complete synthesis's six standards, one note for the other.
    levels = [row for row in values(book.worksheets[1])[2:] if row[0]]
    assert [row[0] for row in levels].count(world.cm_city.code) == 6
    assert [row[0] for row in levels].count(world.cm_sao.code) == 1


def test_an_unfinished_synthesis_shows_todays_counts(world, year, draft):
    out = io.BytesIO()
    exports_province.province_xlsx(world.chiang_mai, year, out)
    out.seek(0)
    city = {row[0]: row for row in lao_rows(openpyxl.load_workbook(out))}[world.cm_city.code]
    assert city[3] == th("Being written")
    assert city[4] is None
    assert city[6:] == [1, 1, 1, 1, 0, 1, 1]


def test_the_province_workbook_costs_the_same_queries_for_more_laos(world, year, completed):
    with CaptureQueriesContext(connection) as few:
        exports_province.province_xlsx(world.chiang_mai, year, io.BytesIO())
    LocalAuthority.objects.bulk_create(
        LocalAuthority(
            code=f"65009{index:02d}",
            name_th=f"องค์การบริหารส่วนตำบลทดสอบ {index}",
            lao_type=LaoType.SAO,
            province=world.chiang_mai,
        )
        for index in range(20)
    )
    with CaptureQueriesContext(connection) as many:
        written = exports_province.province_xlsx(world.chiang_mai, year, io.BytesIO())
    assert written == 22
    assert len(many) == len(few)


# --- The province workbook as a job ------------------------------------------------------------


def test_a_province_supervisor_gets_the_workbook_as_a_job_result(
    world, year, completed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_province_export(
            province=world.chiang_mai, year=year, actor=world.cm_supervisor
        )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert job.created_by == world.cm_supervisor
    assert job.result["rows"] == 2
    stored = job.result["file"]
    assert stored["name"] == "syntheses-2569-province-50.xlsx"
    with default_storage.open(stored["path"], "rb") as data:
        rows = lao_rows(openpyxl.load_workbook(io.BytesIO(data.read())))
    assert [row[0] for row in rows] == [world.cm_city.code, world.cm_sao.code]


def test_asking_again_while_the_export_is_queued_gives_the_same_job(
    world, year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = tasks.start_province_export(
            province=world.chiang_mai, year=year, actor=world.cm_supervisor
        )
        again = tasks.start_province_export(
            province=world.chiang_mai, year=year, actor=world.cm_supervisor
        )
    assert again.pk == first.pk
    assert Job.objects.filter(kind=tasks.PROVINCE_EXPORT_JOB_KIND).count() == 1


def test_a_redelivered_export_task_does_nothing(world, year, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_province_export(
            province=world.chiang_mai, year=year, actor=world.cm_supervisor
        )
    job.refresh_from_db()
    finished = job.finished_at
    tasks.export_province_syntheses(job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished


@pytest.mark.parametrize("persona", ["kk_supervisor", "cm_city_officer", "cm_school_officer"])
def test_only_readers_of_the_whole_province_may_export_it(world, year, persona):
    with pytest.raises(Http404):
        tasks.start_province_export(
            province=world.chiang_mai, year=year, actor=getattr(world, persona)
        )
    assert not Job.objects.exists()
