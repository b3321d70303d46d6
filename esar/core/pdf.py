"""Thai official PDFs: the Sarabun fonts, a fetcher that reads nothing else, and text rewrites.

Shared by every WeasyPrint document (the synthesis report, the e-SAR account letters).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import fontpkg_sarabun
from weasyprint.urls import URLFetcher, URLFetcherResponse

from esar.core import thaidate

LANGUAGE = "th"  # official documents are in Thai whatever the reader's interface language
FONT_DIR = (Path(fontpkg_sarabun.ROOT) / "files").resolve()
FONT_FILES = {
    ("normal", 400): "Sarabun-Regular.ttf",
    ("normal", 700): "Sarabun-Bold.ttf",
    ("italic", 400): "Sarabun-Italic.ttf",
    ("italic", 700): "Sarabun-BoldItalic.ttf",
}


class FontsOnly(URLFetcher):
    """Fetches the Sarabun files and refuses everything else (a PDF must not reach out)."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.parent == FONT_DIR and path.name in FONT_FILES.values():
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": "font/ttf"}
                )
        raise ValueError(f"a PDF loads nothing but its fonts: {url[:100]}")


# Markup kept as it is when text is rewritten: style sheets, comments, tags (attributes, SVG
# coordinates) and character references such as &#x27;. What is left is text.
_NOT_TEXT = re.compile(r"<style\b.*?</style>|<!--.*?-->|<[^>]*>|&#?\w+;", re.S | re.I)
# SARA AM after an optional tone mark.
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")


def map_text(html: str, change: Callable[[str], str]) -> str:
    out: list[str] = []
    position = 0
    for match in _NOT_TEXT.finditer(html):
        out.append(change(html[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(change(html[position:]))
    return "".join(out)


def thai_numerals_in_text(html: str) -> str:
    """The HTML with every digit of its text written in Thai numerals (๐–๙), markup untouched.

    The counts written on the SVG charts are text too, so they follow; their coordinates are
    attributes and do not.
    """
    return map_text(html, thaidate.to_thai_digits)


def spell_out_sara_am(text: str) -> str:
    """SARA AM (ำ) written as NIKHAHIT + SARA AA, the nikhahit before a tone mark.

    Sarabun draws ำ as those two glyphs, and a PDF maps each glyph to one piece of text: the
    nikhahit got none, so "คำ" was read back from the PDF (copied, searched, indexed) as "คา",
    and once SARA AA had been mapped to "ำ", every "า" of the document read as "ำ". Written
    out, each glyph has its own character; the marks are put in the order the shaper draws
    them, so the tone mark still sits above the nikhahit.
    """
    return _SARA_AM.sub("\u0e4d\\1\u0e32", text)
