"""Official exports of one synthesis: the PDF Thai officials print, and its Excel workbook.

The PDF is the synthesis report (`report.build`) typeset as a Thai government document: A4,
Sarabun embedded, the LAO's name on every page, "page X / Y", Buddhist-era dates, and Thai
numerals on request. It is rendered in Thai whatever the reader's language, and WeasyPrint may
read nothing but the Sarabun files: no network, no other file on the disk.

The workbook is written with XlsxWriter in constant-memory mode (row by row, in order). The
province workbook, one row per LAO, is in `esar.synthesis.exports_province`; it shares the
labels and headers defined here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML

from esar.core import thaidate, xlsx
from esar.core.pdf import (
    FONT_DIR,
    FONT_FILES,
    LANGUAGE,
    FontsOnly,
    map_text,
    spell_out_sara_am,
)
from esar.standards.models import QualityLevel, Standard
from esar.synthesis.report import SynthesisReport

# --- PDF ---------------------------------------------------------------------------------------


def _css_string(text: str) -> SafeString:
    """`text` as a quoted CSS string: everything but letters, digits and spaces escaped."""
    body = "".join(
        char if char == " " or (char.isascii() and char.isalnum()) else f"\\{ord(char):x} "
        for char in text
    )
    return mark_safe(f'"{body}"')  # noqa: S308 - every character that could end it is escaped


def long_date(value: dt.datetime | None, thai_numerals: bool) -> str:
    return thaidate.format_date(value, "long", lang=LANGUAGE, thai_digits=thai_numerals)


def pdf_html(report: SynthesisReport, *, thai_numerals: bool = False) -> str:
    """The HTML the PDF is typeset from (Thai must be active: see `synthesis_pdf`)."""
    lao = report.lao
    page_label = _("Page")

    def text(value: str) -> str:
        value = spell_out_sara_am(value)
        return thaidate.to_thai_digits(value) if thai_numerals else value

    context = {
        "report": report,
        "lao": lao,
        "province": lao.province,
        "year": report.year,
        "version": report.version,
        "completed_on": long_date(report.version.completed_at, thai_numerals)
        if report.version
        else "",
        "generated_on": thaidate.format_datetime(
            report.generated_at, "long", lang=LANGUAGE, thai_digits=thai_numerals
        ),
        "font_faces": [
            {"style": style, "weight": weight, "url": (FONT_DIR / name).as_uri()}
            for (style, weight), name in FONT_FILES.items()
        ],
        # Running header and footer: CSS strings, so escaped here and converted here.
        "header_css": _css_string(text(lao.name)),
        "page_label_css": _css_string(text(page_label)),
        "counter_style": "thai" if thai_numerals else "decimal",
    }
    return map_text(render_to_string("synthesis/pdf.html", context), text)


def synthesis_pdf(report: SynthesisReport, *, thai_numerals: bool = False) -> bytes:
    """The synthesis as an A4 PDF in Thai with Sarabun embedded; Thai numerals on request."""
    with translation.override(LANGUAGE):
        html = pdf_html(report, thai_numerals=thai_numerals)
        document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=FontsOnly())
        return document.write_pdf()


# --- Excel -------------------------------------------------------------------------------------


def standard_label(standard: Standard) -> str:
    return _("standard %(number)s (%(level)s)") % {
        "number": standard.number,
        "level": standard.standard_set.get_education_level_display(),
    }


def rank_headers(levels: Iterable[QualityLevel]) -> list[tuple[int, str]]:
    """One column per quality rank, headed by its names (sets may name a rank differently)."""
    names: dict[int, list[str]] = {}
    for level in levels:
        names.setdefault(level.rank, [])
        if level.name not in names[level.rank]:
            names[level.rank].append(level.name)
    return [(rank, " / ".join(names[rank])) for rank in sorted(names)]


def completed_text(number: int) -> str:
    return _("Complete, version %(number)s") % {"number": number}


def synthesis_xlsx(report: SynthesisReport, out: IO[bytes] | str) -> None:
    """The synthesis as an Excel workbook in Thai: figures, levels, below good, voices, issues."""
    with translation.override(LANGUAGE):
        _synthesis_xlsx(report, out)


def _synthesis_xlsx(report: SynthesisReport, out: IO[bytes] | str) -> None:
    lao, year, figures, version = report.lao, report.year, report.figures, report.version
    title = _("%(lao)s, synthesis of the SARs of academic year %(year)s") % {
        "lao": lao.name,
        "year": year.year,
    }
    book = xlsx.workbook(out)
    book.set_properties({"title": title, "author": "e-SAR"})
    formats = xlsx.formats(book)

    summary = xlsx.Sheet(book, formats, _("Summary"), title, [(_("Figure"), 40), (_("Value"), 60)])
    state = completed_text(version.number) if version else _("Draft")
    for label, value in (
        (_("LAO code"), lao.code),
        (_("Local authority"), lao.name),
        (_("Province"), lao.province.name),
        (_("Academic year"), year.year),
        (_("Status"), state),
        (_("Completed"), long_date(version.completed_at, False) if version else ""),
        (_("Late"), version.is_late if version else ""),
        (_("Institutions"), figures.institutions),
        (_("In the target group"), figures.target_group),
        (_("SARs sent to the LAO"), figures.sent),
        (_("SARs accepted"), figures.accepted),
        (_("Still missing"), figures.missing),
        (_("Institutions below “good” on any standard"), len(report.below_good)),
        (_("Issues for ONESQA"), len(report.issues)),
        (_("Overall summary"), report.summary),
        (
            _("Generated"),
            thaidate.format_datetime(report.generated_at, lang=LANGUAGE, thai_digits=False),
        ),
    ):
        summary.write([label, value])

    ranks = rank_headers(level for section in report.sections for level in section.levels)
    levels = xlsx.Sheet(
        book,
        formats,
        _("Quality levels"),
        title,
        [(_("Education level"), 16), (_("Standard"), 10), (_("Item"), 10), (_("Name"), 60)]
        + [(name, 14.0) for _rank, name in ranks]
        + [(_("Total"), 10)],
    )
    for section in report.sections:
        standard = section.standard
        education = standard.standard_set.get_education_level_display()
        by_rank = {c.level.rank: c.count for c in section.counts}
        levels.write(
            [education, standard.number, "", standard.name]
            + [by_rank.get(rank, 0) for rank, _name in ranks]
            + [section.total],
            "bold",
        )
        for row in section.items:
            by_rank = {c.level.rank: c.count for c in row.counts}
            levels.write(
                [education, standard.number, row.item.number, row.item.name]
                + [by_rank.get(rank, 0) for rank, _name in ranks]
                + [row.total]
            )
    levels.filter()

    below = xlsx.Sheet(
        book,
        formats,
        _("Below good"),
        title,
        [(_("Code"), 14), (_("Institution"), 40), (_("Standards"), 70)],
    )
    for entry in report.below_good:
        below.write(
            [
                entry.institution.code,
                entry.institution.name,
                ", ".join(standard_label(standard) for standard in entry.standards),
            ]
        )

    voices = xlsx.Sheet(
        book,
        formats,
        _("Strengths and points to improve"),
        title,
        [
            (_("Standard"), 24),
            (_("Code"), 14),
            (_("Institution"), 34),
            (_("Revision"), 10),
            (_("Level"), 14),
            (_("Strengths"), 60),
            (_("Points to improve"), 60),
        ],
    )
    for section in report.sections:
        label = standard_label(section.standard)
        for voice in section.voices:
            voices.write(
                [
                    label,
                    voice.institution.code,
                    voice.institution.name,
                    voice.revision_number,
                    voice.level.name if voice.level else "",
                    voice.strengths,
                    voice.improvements,
                ]
            )
    voices.filter()

    issues = xlsx.Sheet(
        book,
        formats,
        _("Issues for ONESQA"),
        title,
        [(_("No."), 6), (_("Issue"), 70), (_("Standards"), 40), (_("Institutions"), 50)],
    )
    for number, issue in enumerate(report.issues, start=1):
        issues.write(
            [
                number,
                issue.text,
                ", ".join(standard_label(standard) for standard in issue.standards),
                ", ".join(f"{i.name} ({i.code})" for i in issue.institutions),
            ]
        )
    book.close()
