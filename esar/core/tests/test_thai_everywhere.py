"""Thai everywhere: every page and every export each role can reach shows no English word.

For every role of the personas, with a year of real work (a SAR accepted, a synthesis completed
and delivered, an issuance of e-SAR accounts, a circular, a supervision visit, a helpdesk report),
the test opens every URL pattern of the project in Thai (the province workbook through its job) and reads what a person sees: the text of
the page (not its scripts nor styles) and its title/placeholder/aria-label/alt attributes, the
cells of the workbooks and the text of the PDFs. A Latin word fails the test unless it is a code,
a URL, an e-mail, a username, or one of the few reviewed words below.

The personas' names are Latin ("Anong Admin"), which would hide an untranslated "Admin" of a
template: so they are given Thai names first, as real officials have. Usernames stay, and are
removed only as whole words, and the helpdesk persona's username is made unlike any English word.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from esar.accounts.models import OneTimePassword, User
from esar.circulars import services as circulars
from esar.core.models import AuditEvent, Job
from esar.delivery import accounts as esar_accounts
from esar.delivery import issuance
from esar.delivery import services as delivery
from esar.delivery.models import Delivery
from esar.helpdesk import services as helpdesk
from esar.helpdesk.models import Report
from esar.organizations.models import Agency
from esar.sar import content as sar_content
from esar.sar.models import Attachment
from esar.standards.models import StandardSet
from esar.supervision import services as supervision
from esar.supervision.models import FollowUp
from esar.synthesis import services as synthesis_services
from esar.synthesis.tasks import start_province_export
from esar.testing.sar import accepted_revision, pdf_bytes
from esar.testing.world import World
from esar.testing.years import make_year

# Reviewed words that stay Latin in Thai: names of the system, of file formats, of programs and
# of national tests. (The link to English is marked lang="en", like every text declared English.)
ALLOWED = {
    "e-SAR",
    "SAR",
    "PDF",
    "Excel",
    "O-NET",
    "NT",
    "RT",
    "CSV",
    "JSON",
    "SVG",
    "KB",
    "MB",
    "IP",
    "API",
    "Ctrl+P",
    "Windows",  # "Thai Windows" text, the encoding Excel saves CSV files in
    "Word",
    "esar",  # the e-SAR accounts' usernames: "esar" followed by the LAO code
}

# Thai names for the personas, as the officials of a real deployment have.
THAI_NAMES = [
    ("อนงค์", "ศรีสุข"),
    ("บุญมี", "ใจดี"),
    ("ชนิดา", "พรหมมา"),
    ("ดวงใจ", "แก้วมณี"),
    ("เอกชัย", "ทองคำ"),
    ("ฟ้า", "สว่างวงศ์"),
    ("กัญญา", "บุญเรือง"),
    ("หทัย", "สุขใจ"),
    ("อิสระ", "มั่นคง"),
    ("จินตนา", "ศรีวงศ์"),
    ("กิตติพงษ์", "รักดี"),
    ("ไม่มี", "สังกัด"),
]

# Patterns that show no page of ours: Django's admin, the JSON API, the language switch (POST),
# the health probe, the one-time password-reset link (needs a token e-mailed to the person).
SKIPPED_PREFIXES = ("admin:", "api:")
# And the import templates of standards and of the registry: their first row is the file format's
# column names and their rows are bilingual on purpose (the English names are columns of the file).
SKIPPED = {
    "set_language",
    "healthz",
    "accounts:password_reset_confirm",
    "accounts:logout",
    "standards:template",
    "organizations:import_template",
}

_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9@._'’+\-/:]*")
_EMAIL = re.compile(r"\S+@\S+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
# A generated one-time password (esar.accounts.onetime): data on the issuance letters, not words.
_ONE_TIME_PASSWORD = re.compile(r"[A-Za-z0-9]{5}(?:-[A-Za-z0-9]{5}){3}")
_FILE = re.compile(r"\S*\.(?:pdf|xlsx|xls|csv|docx|doc|zip|json|svg)\b", re.IGNORECASE)


class _Visible(HTMLParser):
    """The text a person sees, and the attributes a screen reader or a tooltip shows."""

    ATTRS = ("title", "placeholder", "aria-label", "alt")
    # Not read: scripts and styles, and <code>/<kbd>/<samp>, the literal names a person types or
    # copies (the column names an import file accepts, a username).
    HIDDEN = {"script", "style", "template", "noscript", "code", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hiding: list[str] = []  # the open elements whose text is not read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # Text declared English (lang="en": a name in English, the "English" link) is not read.
        if tag in self.HIDDEN or (values.get("lang") or "").startswith("en"):
            self._hiding.append(tag)
            return
        if self._hiding:
            return
        for name in self.ATTRS:
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._hiding and self._hiding[-1] == tag:
            self._hiding.pop()

    def handle_data(self, data: str) -> None:
        if not self._hiding:
            self.parts.append(data)


class _InlineCode(HTMLParser):
    """What the content security policy (no 'unsafe-inline') refuses to apply: style attributes,
    <style> elements, inline scripts and on* event handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        data_only = (values.get("type") or "") in ("application/json", "application/ld+json")
        if tag == "script" and not values.get("src") and not data_only:
            self.found.append("<script> without src")
        for name in values:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}>")


def inline_code(body: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(body)
    return parser.found


def html_text(body: str) -> list[str]:
    parser = _Visible()
    parser.feed(body)
    return parser.parts


def xlsx_text(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    texts = []
    for sheet in book.worksheets:
        texts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            texts.extend(str(value) for value in row if isinstance(value, str))
    return texts


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def latin_words(texts: list[str], usernames: set[str], *, context: bool = False) -> list[str]:
    """The Latin words of `texts` that are none of the allowed kinds (with where they are)."""
    found = []
    for text in texts:
        text = _FILE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", text)))
        for token in _LATIN.findall(text):
            word = token.strip("._'’-/:+")
            if not re.search(r"[A-Za-z]", word) or re.search(r"\d", word):
                continue  # a number or a code: 3050000001, ESAR-2569-000001, v1
            if word in ALLOWED or word in usernames or _ONE_TIME_PASSWORD.fullmatch(word):
                continue
            found.append(f"{word} «{' '.join(text.split())[:300]}»" if context else word)
    return found


@dataclass
class Data:
    world: World
    year: Any
    sar: Any
    revision: Any
    attachment: Attachment
    synthesis: Any
    delivery: Delivery
    esar_user: User
    batch: Any
    job: Job
    export_job: Job
    circular: Any
    circular_file: Any
    visit: Any
    follow_up: FollowUp
    report: Report
    standard_set: StandardSet


def build_data(world: World) -> Data:
    year = make_year(2569)
    revision = accepted_revision(
        world.cm_school, year, world.cm_school_officer, world.cm_city_officer
    )
    sar = revision.sar
    officer = world.cm_city_officer
    synthesis = synthesis_services.open_synthesis(lao=world.cm_city, year=year, actor=officer)
    synthesis = synthesis_services.save(
        synthesis=synthesis,
        actor=officer,
        expected_version=synthesis.version,
        summary="สถานศึกษาส่วนใหญ่อยู่ในระดับดี",
        issues=[],
    )
    synthesis_services.complete(
        synthesis=synthesis, actor=officer, expected_version=synthesis.version
    )
    synthesis.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = issuance.start(actor=world.dla_admin, province=world.chiang_mai)
    batch.refresh_from_db()
    issued = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    esar_user = issued.account.user
    OneTimePassword.objects.filter(user=esar_user).update(replaced_at=timezone.now())
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = delivery.deliver(lao=world.cm_city, year=year, actor=esar_user)
    circular = circulars.create_draft(
        actor=world.dla_admin,
        number="มท 0816.3/ว 1234",
        title="การจัดทำรายงานการประเมินตนเอง ปีการศึกษา 2569",
        issued_on=dt.date(2026, 6, 1),
        body="ขอให้สถานศึกษาจัดทำรายงาน",
    )
    circular_file = circulars.attach_file(
        circular=circular,
        actor=world.dla_admin,
        upload=SimpleUploadedFile("หนังสือ.pdf", pdf_bytes(1), content_type="application/pdf"),
    )
    circular = circulars.publish(circular=circular, actor=world.dla_admin)
    visit = supervision.record_visit(
        actor=world.cm_supervisor,
        institution=world.cm_school,
        visit_date=dt.date(2026, 7, 1),
        visitors="ศึกษานิเทศก์จังหวัด",
        findings="การจัดทำรายงานเป็นไปตามแผน",
        recommendations="ควรเพิ่มหลักฐาน",
        follow_ups=[supervision.FollowUpInput("ส่งหลักฐานเพิ่ม", "ผู้อำนวยการ", dt.date(2026, 8, 1))],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = start_province_export(province=world.chiang_mai, year=year, actor=world.dla_admin)
    report = helpdesk.submit_report(
        actor=world.cm_city_officer, category="delivery", description="ส่งรายงานไม่สำเร็จ"
    )
    return Data(
        world=world,
        year=year,
        sar=sar,
        revision=revision,
        attachment=Attachment.objects.filter(sar=sar).first(),
        synthesis=synthesis,
        delivery=sent,
        esar_user=esar_user,
        batch=batch,
        job=Job.objects.get(pk=batch.job_id),
        export_job=export,
        circular=circular,
        circular_file=circular_file,
        visit=visit,
        follow_up=FollowUp.objects.get(visit=visit),
        report=report,
        standard_set=StandardSet.objects.order_by("pk").first(),
    )


def _thai_names() -> None:
    for user, (first, last) in zip(User.objects.order_by("pk"), THAI_NAMES * 10, strict=False):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    # "helpdesk" is also an English word a template could leave untranslated: the persona is
    # given another username, in its account's audit event too.
    User.objects.filter(username="helpdesk").update(username="hd.duangjai")
    for event in AuditEvent.objects.filter(object_repr="helpdesk"):
        event.data["username"] = "hd.duangjai"
        event.object_repr = "hd.duangjai"
        event.save(update_fields=["data", "object_repr"])


# The values of each URL pattern's parameters, from the data above.
KWARGS: dict[str, Callable[[Data], dict[str, Any]]] = {
    "accounts:account_reset": lambda d: {"pk": d.world.cm_school_officer.pk},
    "accounts:second_factor_remove": lambda d: {"pk": d.world.cm_school_officer.pk},
    "circulars:detail": lambda d: {"pk": d.circular.pk},
    "circulars:edit": lambda d: {"pk": d.circular.pk},
    "circulars:publish": lambda d: {"pk": d.circular.pk},
    "circulars:withdraw": lambda d: {"pk": d.circular.pk},
    "circulars:qr": lambda d: {"pk": d.circular.pk},
    "circulars:upload": lambda d: {"pk": d.circular.pk},
    "circulars:download": lambda d: {"pk": d.circular.pk, "attachment_pk": d.circular_file.pk},
    "circulars:remove_file": lambda d: {"pk": d.circular.pk, "attachment_pk": d.circular_file.pk},
    "core:job_detail": lambda d: {"pk": d.job.pk},
    "core:job_status": lambda d: {"pk": d.job.pk},
    "core:job_file": lambda d: {"pk": d.export_job.pk},  # the province's workbook
    "cycles:detail": lambda d: {"year": d.year.year},
    "cycles:edit": lambda d: {"year": d.year.year},
    "delivery:lao": lambda d: {"code": d.world.cm_city.code},
    "delivery:deliver": lambda d: {"code": d.world.cm_city.code},
    "delivery:issuance_batch": lambda d: {"pk": d.batch.pk},
    "delivery:issuance_zip": lambda d: {"pk": d.batch.pk},
    "delivery:issuance_delete_files": lambda d: {"pk": d.batch.pk},
    "delivery:accounts": lambda d: {"lao_pk": d.world.cm_city.pk},
    "delivery:detail": lambda d: {"pk": d.delivery.pk},
    "delivery:manifest": lambda d: {"pk": d.delivery.pk},
    "delivery:retry": lambda d: {"pk": d.delivery.pk},
    "delivery:acknowledge": lambda d: {"pk": d.delivery.pk},
    "delivery:synthesis": lambda d: {"pk": d.delivery.pk},
    "delivery:revision": lambda d: {"pk": d.delivery.pk, "revision_pk": d.revision.pk},
    "delivery:note": lambda d: {"pk": d.delivery.pk, "revision_pk": d.revision.pk},
    "delivery:file": lambda d: {"pk": d.delivery.pk, "attachment_pk": d.attachment.pk},
    "delivery:package_file": lambda d: {
        "pk": d.delivery.pk,
        "path": next(f["path"] for f in d.delivery.manifest["files"] if f["kind"] == "revision"),
    },
    "helpdesk:detail": lambda d: {"pk": d.report.pk},
    "monitoring:province": lambda d: {"code": d.world.chiang_mai.code},
    "monitoring:lao": lambda d: {"code": d.world.cm_city.code},
    "organizations:province_detail": lambda d: {"code": d.world.chiang_mai.code},
    "organizations:lao_detail": lambda d: {"code": d.world.cm_city.code},
    "organizations:institution_detail": lambda d: {"code": d.world.cm_school.code},
    "sar:file": lambda d: {"attachment_pk": d.attachment.pk},
    "sar:detail": lambda d: {"pk": d.sar.pk},
    "sar:submit": lambda d: {"pk": d.sar.pk},
    "sar:start_previous": lambda d: {"pk": d.sar.pk},
    "sar:basic": lambda d: {"pk": d.sar.pk},
    "sar:standard": lambda d: {
        "pk": d.sar.pk,
        "standard_pk": sar_content.standards_of(d.sar)[0].id,
    },
    "sar:summary": lambda d: {"pk": d.sar.pk},
    "sar:files": lambda d: {"pk": d.sar.pk},
    "sar:upload": lambda d: {"pk": d.sar.pk},
    "sar:remove_evidence": lambda d: {"pk": d.sar.pk, "attachment_pk": d.attachment.pk},
    "sar:revision": lambda d: {"pk": d.sar.pk, "number": d.revision.number},
    "sar:review": lambda d: {"pk": d.sar.pk},
    "standards:detail": lambda d: {"code": d.standard_set.code},
    "standards:deactivate": lambda d: {"code": d.standard_set.code},
    "standards:reactivate": lambda d: {"code": d.standard_set.code},
    "supervision:detail": lambda d: {"pk": d.visit.pk},
    "supervision:edit": lambda d: {"pk": d.visit.pk},
    "supervision:follow_up_add": lambda d: {"pk": d.visit.pk},
    "supervision:follow_up_close": lambda d: {"pk": d.follow_up.pk},
    "supervision:follow_up_reopen": lambda d: {"pk": d.follow_up.pk},
    "synthesis:detail": lambda d: {"lao_pk": d.world.cm_city.pk, "year": d.year.year},
    "synthesis:pdf": lambda d: {"lao_pk": d.world.cm_city.pk, "year": d.year.year},
    "synthesis:xlsx": lambda d: {"lao_pk": d.world.cm_city.pk, "year": d.year.year},
    "synthesis:province_export": lambda d: {"code": d.world.chiang_mai.code, "year": d.year.year},
}

# Pages that show something else with a query: the dashboards' workbooks.
QUERIES = {"monitoring:national": ["?format=xlsx"], "monitoring:province": ["?format=xlsx"]}


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def _issuance_files(data: Data) -> list[str]:
    return [
        reverse(
            "delivery:issuance_file",
            kwargs={"pk": data.batch.pk, "province": part.province_id, "kind": kind},
        )
        for part in data.batch.provinces.all()
        for kind in ("pdf", "xlsx")
    ]


def urls_of_every_pattern(data: Data) -> list[str]:
    urls = []
    for name, pattern in _patterns(get_resolver()):
        if name in SKIPPED or name.startswith(SKIPPED_PREFIXES):
            continue
        if name == "delivery:issuance_file":
            urls.extend(_issuance_files(data))
            continue
        if pattern.pattern.converters or "<" in str(pattern.pattern):
            assert name in KWARGS, f"say which object {name} shows"
            url = reverse(name, kwargs=KWARGS[name](data))
        else:
            url = reverse(name)
        urls.append(url)
        urls.extend(url + query for query in QUERIES.get(name, []))
    return urls


def texts_of(response) -> list[str] | None:
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("text/html"):
        return html_text(content.decode())
    if "spreadsheetml" in kind:
        return xlsx_text(content)
    if kind.startswith("application/pdf"):
        return pdf_text(content)
    if kind.startswith("application/zip"):
        texts: list[str] = []
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.endswith(".pdf"):
                    texts.extend(pdf_text(archive.read(name)))
                elif name.endswith(".xlsx"):
                    texts.extend(xlsx_text(archive.read(name)))
        return texts
    return None  # an SVG, a JSON manifest, a file as uploaded


@pytest.fixture
def data(world) -> Data:
    _thai_names()
    # Notices and job names are written in the language active when they are made: made as a
    # Thai user makes them (an earlier test may have left English active in this thread).
    with translation.override("th"):
        return build_data(world)


ROLES = [
    "nobody",
    "dla_admin",
    "dla_analyst",
    "onesqa_reviewer",
    "helpdesk",
    "cm_supervisor",
    "cm_city_officer",
    "cm_school_officer",
    "esar",
    "anonymous",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_export_of_the_role_is_in_thai(client, data, role):
    if role == "nobody":
        client.force_login(data.world.nobody)
    elif role == "esar":
        client.force_login(data.esar_user)
    elif role != "anonymous":
        client.force_login(User.objects.get(pk=getattr(data.world, role).pk))
    # Data, not wording: the usernames and the agencies' codes (DLA, ONESQA).
    usernames = set(User.objects.values_list("username", flat=True))
    usernames |= set(Agency.objects.values_list("code", flat=True))
    untranslated: dict[str, list[str]] = {}
    refused_by_csp: dict[str, list[str]] = {}
    shown = 0
    for url in urls_of_every_pattern(data):
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            # The same pages, as the browser's content security policy sees them: nothing
            # inline that it would refuse (and log as a violation).
            inline = inline_code(response.content.decode())
            if inline:
                refused_by_csp[url] = sorted(set(inline))
        texts = texts_of(response)
        if texts is None:
            continue
        shown += 1
        words = latin_words(texts, usernames, context=True)
        if words:
            untranslated[url] = sorted(set(words))
    assert shown >= 3
    assert untranslated == {}
    assert refused_by_csp == {}


def test_the_csp_check_finds_what_the_browser_would_refuse():
    assert inline_code('<p>ok</p><script src="/static/a.js"></script>') == []
    assert inline_code('<script type="application/json">{}</script>') == []
    assert inline_code('<svg style="max-width: 9px"></svg>') == ["<svg style>"]
    assert inline_code("<style>p{}</style><script>x()</script>") == [
        "<style>",
        "<script> without src",
    ]
    assert inline_code('<a onclick="x()">') == ["<a onclick>"]


def test_the_check_spares_a_one_time_password_without_digits():
    assert latin_words(["รหัสผ่าน UGKJP-yVJaL-DxrtV-NLXne"], set()) == []
    assert latin_words(["Username"], set()) == ["Username"]


def test_the_check_finds_an_english_word_and_spares_codes_names_and_links():
    page = """<html><head><title>e-SAR</title><style>.x{color:red}</style>
    <script>var label = "Loading";</script></head><body>
    <h1>รายงาน SAR 2569</h1><p>รหัส 3050000001 เลขที่ ESAR-2569-000001 (helpdesk)</p>
    <a href="/x" title="Scan the QR code">คิวอาร์โค้ด</a><input placeholder="Search">
    <p>ติดต่อ cm.school@example.com หรือ https://esar.example.go.th/ ผู้ใช้ cm.school</p>
    <button lang="en">English</button><dd lang="en">Early childhood standards</dd></body></html>"""
    words = latin_words(html_text(page), {"cm.school"})
    assert words == ["helpdesk", "Scan", "the", "QR", "code", "Search"]


def test_a_standards_number_is_not_a_letters_number(client, data):
    """A standard's "Number" (dashboards, their workbook) and a circular's are two words."""
    client.force_login(data.world.dla_admin)
    book = xlsx_text(client.get("/monitoring/?format=xlsx").content)
    assert "มาตรฐานที่" in book
    assert "เลขที่หนังสือ" not in book
    assert any(cell.endswith(": ได้รับแล้ว") for cell in book)
    page = client.get("/monitoring/").content.decode()
    assert ">มาตรฐานที่</th>" in page
    assert ">เลขที่หนังสือ</th>" not in page
    assert ">เลขที่หนังสือ</th>" in client.get("/circulars/").content.decode()
