"""Distribution documents of a bulk issuance: one letter per LAO (PDF) and a list (Excel).

They are the only place where the one-time passwords of a batch exist in clear, so they are
written straight from the issuing process to Django's storage, never logged nor queued.

The PDF is in Thai whatever the reader's language (Sarabun embedded, Buddhist-era dates). A
national issuance prints about 7,850 letters, so the PDF is drawn the fast way: everything every
letter of a province has in common (the sender, the date, the province, the instructions, the
expiry date, the helpdesk) is laid out once, on a first page that becomes a PDF form (an
XObject) drawn under every letter; each letter itself lays out only what is its own (the LAO's
name and code, the username and the password) at the same fixed places. WeasyPrint's layout
costs per box, and this makes a letter about three times cheaper than laying it out whole.
Both parts are real text (searchable, copyable, read back by a PDF reader).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import pydyf
import xlsxwriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from esar.core import thaidate, xlsx

# Shared with the synthesis PDF: the Sarabun files and a fetcher that loads nothing else.
from esar.core.pdf import FONT_DIR, FONT_FILES, FontsOnly, spell_out_sara_am
from esar.helpdesk.models import HelpdeskContact
from esar.organizations.models import Province

LANGUAGE = "th"  # official documents are in Thai whatever the reader's interface language
TEMPLATE_XOBJECT = "Letter"

# Where each LAO's own text sits on the page (mm from the top), in the letter and in the form
# under it: the letter's boxes have fixed heights so that a long name cannot push the others.
GEOMETRY = {
    "left": 22,
    "right": 20,
    "name_top": 58,
    "name_height": 17,  # two lines of the LAO's name
    "code_height": 45,  # from the code line to the username box
    "box_height": 17,  # from the username box to the password box
    "value_left": 72,  # the username and password boxes, right of their labels
    "code_left": 52,
}
GEOMETRY["code_top"] = GEOMETRY["name_top"] + GEOMETRY["name_height"]
GEOMETRY["username_top"] = GEOMETRY["code_top"] + GEOMETRY["code_height"]
GEOMETRY["password_top"] = GEOMETRY["username_top"] + GEOMETRY["box_height"]
GEOMETRY["after_top"] = GEOMETRY["password_top"] + GEOMETRY["box_height"] + 4


@dataclass(frozen=True)
class Letter:
    """One LAO's account, as printed and listed."""

    lao_code: str
    lao_name: str
    lao_type: str
    district: str
    username: str
    password: str


@dataclass(frozen=True)
class Batch:
    """What the letters of a province have in common."""

    number: int
    province: Province
    issued_at: dt.datetime
    expires_at: dt.datetime


def _quiet_weasyprint() -> None:
    # WeasyPrint and fontTools log every step at INFO/DEBUG; thousands of pages would flood it.
    for name in ("weasyprint", "weasyprint.progress", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _helpdesk(contact: HelpdeskContact | None) -> str:
    if contact is None:
        return _("your province office or DLA")
    reach = " ".join(part for part in (contact.phone, contact.email) if part)
    return f"{contact.name} {reach}".strip()


def letters_html(batch: Batch, letters: Iterable[Letter], contact: HelpdeskContact | None) -> str:
    """The HTML of the letters: the common form first, then one page per LAO (Thai active)."""
    province = batch.province
    context = {
        "batch": batch,
        "province_name": province.name_th,
        "issued_on": thaidate.format_date(batch.issued_at, "long", lang=LANGUAGE),
        "expires_on": thaidate.format_date(batch.expires_at, "long", lang=LANGUAGE),
        "site_url": settings.ESAR_SITE_URL,
        "helpdesk": _helpdesk(contact),
        "letters": letters,
        "g": GEOMETRY,
        "font_faces": [
            {"style": style, "weight": weight, "url": (FONT_DIR / name).as_uri()}
            for (style, weight), name in FONT_FILES.items()
            if style == "normal"
        ],
    }
    # ำ never occurs in markup, so the whole document can be rewritten (see spell_out_sara_am).
    return spell_out_sara_am(render_to_string("delivery/letters.html", context))


def _form_under_every_page(document: Any, pdf: pydyf.PDF) -> None:
    """Turn the first page (the common part) into a form drawn under every other page.

    WeasyPrint gives all pages one resources dictionary, so the form shares the fonts; the first
    page's content stream becomes the form and leaves the page list.
    """
    kids = pdf.pages["Kids"]
    first = pdf.objects[kids[0]]
    resources_ref = first["Resources"]
    resources = pdf.objects[int(resources_ref.split()[0])]
    form = pdf.objects[int(first["Contents"].split()[0])]
    form.extra.update(
        {
            "Type": "/XObject",
            "Subtype": "/Form",
            "BBox": first["MediaBox"],
            "Resources": resources_ref,
        }
    )
    resources["XObject"][TEMPLATE_XOBJECT] = form.reference
    draw = pydyf.Stream([f"q /{TEMPLATE_XOBJECT} Do Q".encode()])
    pdf.add_object(draw)
    del kids[:3]
    pdf.pages["Count"] -= 1
    for number in kids[::3]:
        page = pdf.objects[number]
        page["Contents"] = pydyf.Array([draw.reference, page["Contents"]])


def write_letters_pdf(
    batch: Batch,
    letters: list[Letter],
    out: IO[bytes],
    *,
    contact: HelpdeskContact | None = None,
) -> int:
    """Write the province's letters (one A4 page per LAO) to `out`; returns the page count."""
    _quiet_weasyprint()
    with translation.override(LANGUAGE):
        html = letters_html(batch, letters, contact)
        document = HTML(
            string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=FontsOnly()
        ).render()
        pages = len(document.pages) - 1
        if pages != len(letters):
            # A letter that spilled over a page would put the next one on the wrong form.
            raise ValueError(f"{len(letters)} letters laid out on {pages} pages")
        document.write_pdf(out, finisher=_form_under_every_page)
    return pages


XLSX_OPTIONS = {"constant_memory": True, **xlsx.SAFE_TEXT}


def write_list_xlsx(batch: Batch, letters: list[Letter], out: IO[bytes]) -> int:
    """The province office's list: one row per LAO with its username and one-time password."""
    with translation.override(LANGUAGE):
        book = xlsxwriter.Workbook(out, XLSX_OPTIONS)
        base = {"font_name": "Sarabun", "font_size": 12, "valign": "top"}
        title = book.add_format({**base, "bold": True, "font_size": 14})
        header = book.add_format({**base, "bold": True, "bg_color": "#EEEEEE", "border": 1})
        cell = book.add_format({**base, "border": 1})
        mono = book.add_format({**base, "font_name": "DejaVu Sans Mono", "border": 1})
        columns = [
            (_("LAO code"), 11),
            (_("Local authority"), 44),
            (_("Type"), 28),
            (_("District"), 18),
            (_("Username"), 15),
            (_("One-time password"), 28),
            (_("Expires"), 18),
        ]
        sheet = book.add_worksheet(batch.province.code)
        for index, (_label, width) in enumerate(columns):
            sheet.set_column(index, index, width)
        sheet.write_string(
            0,
            0,
            _("e-SAR accounts of %(province)s, issuance %(number)s of %(date)s")
            % {
                "province": batch.province.name_th,
                "number": batch.number,
                "date": thaidate.format_date(batch.issued_at, "long", lang=LANGUAGE),
            },
            title,
        )
        for index, (label, _width) in enumerate(columns):
            sheet.write_string(1, index, label, header)
        sheet.freeze_panes(2, 0)
        expires = thaidate.format_date(batch.expires_at, "long", lang=LANGUAGE)
        for row, letter in enumerate(letters, start=2):
            sheet.write_string(row, 0, letter.lao_code, cell)
            sheet.write_string(row, 1, letter.lao_name, cell)
            sheet.write_string(row, 2, letter.lao_type, cell)
            sheet.write_string(row, 3, letter.district, cell)
            sheet.write_string(row, 4, letter.username, mono)
            sheet.write_string(row, 5, letter.password, mono)
            sheet.write_string(row, 6, expires, cell)
        if letters:
            sheet.autofilter(1, 0, len(letters) + 1, len(columns) - 1)
        book.close()
    return len(letters)
