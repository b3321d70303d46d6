"""A real browser (Debian's chromium) drafting with autosave and reviewing with the PDF embedded."""

import os
import re

import pytest
from django.db import connections
from playwright.sync_api import expect

from esar.front.tests.test_browser import CHROMIUM, log_in
from esar.sar.models import Sar
from esar.sar.services import drafts, revisions
from esar.standards.models import StandardItem
from esar.testing.sar import fill_complete, make_year, pdf_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
    pytest.mark.xdist_group("browser"),
]


def _version(page) -> int:
    return int(page.locator("#sar-version").get_attribute("value"))


def _read(fetch):
    """Read the database from inside the browser test, then let go of that connection: made
    after Playwright started, it would otherwise keep the test database from being dropped."""
    try:
        return fetch()
    finally:
        connections.close_all()


# The reports are made before Playwright starts (fixtures listed before `browser_page`).


@pytest.fixture
def draft(live_world):
    year = make_year(2569)
    return drafts.open_sar(
        institution=live_world.cm_school, year=year, actor=live_world.cm_school_officer
    )


@pytest.fixture
def sent(live_world):
    world = live_world
    year = make_year(2569)
    sar = drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=sar.version)
    return sar


def test_the_draft_saves_itself_as_the_officer_types(draft, browser_page, live_server):
    sar = draft
    item = (
        StandardItem.objects.filter(standard__standard_set__sars=sar)
        .order_by("standard__standard_set__education_level", "standard__order", "order")
        .first()
    )
    item_pk, standard_pk = item.pk, item.standard_id
    page = browser_page
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    log_in(page, live_server.url, "cm.school")
    page.goto(f"{live_server.url}/sar/{sar.pk}/standard/{standard_pk}/")
    assert _version(page) == 1
    # Choosing a level saves it after a moment, once; the form's hidden version follows.
    page.locator(f"#id_item{item_pk}_level").select_option("4")
    expect(page.locator("#sar-version")).to_have_value("2")
    page.wait_for_timeout(2500)
    assert _version(page) == 2
    expect(page.get_by_test_id("save-status")).to_contain_text(re.compile("บันทึกแล้ว|Saved"))
    # Typing in a text saves too, a few seconds after the last key.
    page.locator(f"#id_item{item_pk}_how").fill("จัดกิจกรรมรักการอ่าน")
    expect(page.locator("#sar-version")).to_have_value("3", timeout=15_000)
    entry = _read(lambda: Sar.objects.get(pk=sar.pk).content["items"][str(item_pk)])
    assert entry["level"] == 4 and entry["how"] == "จัดกิจกรรมรักการอ่าน"
    # The Save button saves at once, after any autosave under way (never racing it).
    before = _version(page)
    page.locator(f"#id_item{item_pk}_results").fill("ร้อยละ 80 อ่านคล่อง")
    page.get_by_role("button", name=re.compile("^(บันทึก|Save)$")).click()
    expect(page.locator("#sar-version")).not_to_have_value(str(before))
    expect(page.get_by_test_id("save-status")).to_contain_text(re.compile("บันทึกแล้ว|Saved"))
    saved = _read(lambda: Sar.objects.get(pk=sar.pk).content["items"][str(item_pk)])
    assert saved["results"] == "ร้อยละ 80 อ่านคล่อง"
    assert page.get_by_test_id("error").count() == 0
    assert violations == []


def test_the_lao_reads_the_pdf_inside_the_review_page(sent, browser_page, live_server):
    sar = sent
    page = browser_page
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: (
            blocked.append(msg.text)
            if "Content Security" in msg.text
            or "X-Frame-Options" in msg.text
            or "refused" in msg.text
            else None
        ),
    )
    pdf_responses: list[int] = []
    page.on(
        "response",
        lambda response: (
            pdf_responses.append(response.status) if "inline=1" in response.url else None
        ),
    )
    log_in(page, live_server.url, "cm.city")
    page.goto(f"{live_server.url}/sar/{sar.pk}/review/")
    frame = page.get_by_test_id("pdf")
    assert frame.is_visible()
    page.wait_for_timeout(1500)
    assert pdf_responses and pdf_responses[0] == 200
    assert blocked == []


def test_the_national_test_results_table_is_visible_and_saves(draft, browser_page, live_server):
    sar = draft
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, "cm.school")
    page.goto(f"{live_server.url}/sar/{sar.pk}/basic/")
    table = page.get_by_test_id("tests-form")
    box = table.bounding_box()
    assert box is not None and box["width"] > 600, box
    # Every field of the first row can be reached and typed in.
    for field in table.locator("tbody tr").first.locator("input, select").all():
        assert field.bounding_box()["width"] > 40
    page.set_viewport_size({"width": 390, "height": 800})
    # On a phone the table scrolls inside its box; the page itself does not.
    assert table.bounding_box()["width"] > 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width


def test_saving_every_part_of_the_sar_breaks_no_content_security_rule(
    draft, browser_page, live_server
):
    """Basic data, a standard, the summary and the files page: typed, saved, uploaded, with the
    browser's own CSP report listened to (and the console), so an inline style shows up."""
    sar = draft
    standard_pk = _read(
        lambda: (
            StandardItem.objects.filter(standard__standard_set__sars=sar)
            .order_by("standard__order")
            .first()
            .standard_id
        )
    )
    page = browser_page
    page.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    console: list[str] = []
    page.on(
        "console", lambda msg: console.append(msg.text) if "Content Security" in msg.text else None
    )
    log_in(page, live_server.url, "cm.school")
    reports: list[str] = []
    for part in ("basic/", f"standard/{standard_pk}/", "summary/"):
        page.goto(f"{live_server.url}/sar/{sar.pk}/{part}")
        before = _version(page)
        field = page.locator(
            "form[data-testid=edit-form] textarea, form[data-testid=edit-form] input[type=number]"
        ).first
        field.fill("12" if field.get_attribute("type") == "number" else "บันทึกทดสอบ")
        page.get_by_role("button", name=re.compile("^(บันทึก|Save)$")).click()
        expect(page.locator("#sar-version")).not_to_have_value(str(before))
        expect(page.get_by_test_id("save-status")).to_contain_text(re.compile("บันทึกแล้ว|Saved"))
        reports.extend(page.evaluate("window.__csp"))
    page.goto(f"{live_server.url}/sar/{sar.pk}/files/")
    reports.extend(page.evaluate("window.__csp"))
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "sar.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(2)}]
    )
    page.locator("input[type=file]").first.locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()
    reports.extend(page.evaluate("window.__csp"))
    assert reports == []
    assert console == []
