"""The QR code printed on a circular's paper copy: the absolute address of its page, as SVG."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse

# Medium error correction survives a smudged photocopy; one module per millimetre with the
# standard quiet zone of 4 modules prints about 3.5-4 cm wide, easy for any phone camera.
ERROR = "m"
BORDER = 4


def page_url(circular_pk: int) -> str:
    """The absolute address of the circular's page, from ESAR_SITE_URL."""
    base = settings.ESAR_SITE_URL.rstrip("/")
    return f"{base}{reverse('circulars:detail', args=[circular_pk])}"


def make(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR, micro=False, boost_error=False)


def svg(url: str, *, title: str = "") -> bytes:
    """A standalone SVG document (sized in millimetres) of the QR code of `url`."""
    buffer = io.BytesIO()
    make(url).save(
        buffer,
        kind="svg",
        scale=1,
        unit="mm",
        border=BORDER,
        xmldecl=True,
        svgns=True,
        title=title or url,
        dark="#000",
        light="#fff",
    )
    return buffer.getvalue()
