"""The QR code of a circular: a well-formed SVG whose dark modules are exactly the QR code of the
circular page's absolute address (segno cannot decode, so the drawn matrix is read back from the
SVG path and compared with the matrix segno computes for the expected address)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import segno
from django.urls import reverse

from esar.circulars import qr
from esar.circulars.tests.conftest import as_user

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def dark_modules(svg: bytes) -> tuple[int, set[tuple[int, int]]]:
    """(size in modules, dark cells) read from segno's path of horizontal 1-unit strokes."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it
    assert root.tag == f"{SVG}svg"
    _x, _y, width, height = (int(float(v)) for v in root.get("viewBox").split())
    assert width == height
    (path,) = [p for p in root.iter(f"{SVG}path") if p.get("stroke")]
    cells: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHhVv])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?", path.get("d")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command == "h":
            length = int(float(a))
            for step in range(length):
                cells.add((int(y - 0.5), int(x) + step))
            x += length
        else:
            raise AssertionError(f"unexpected path command {command}")
    return width, cells


def matrix_cells(code: segno.QRCode, border: int) -> set[tuple[int, int]]:
    return {
        (row + border, col + border)
        for row, line in enumerate(code.matrix)
        for col, value in enumerate(line)
        if value
    }


def test_the_qr_svg_encodes_the_absolute_address_of_the_page(world, publish, settings):
    settings.ESAR_SITE_URL = "https://esar.example.go.th/"
    circular = publish(provinces=("50",))
    response = as_user(world.cm_city_officer).get(reverse("circulars:qr", args=[circular.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    expected_url = f"https://esar.example.go.th/circulars/{circular.pk}/"

    size, cells = dark_modules(response.content)
    expected = qr.make(expected_url)
    assert size == expected.symbol_size(scale=1, border=qr.BORDER)[0]
    assert cells == matrix_cells(expected, qr.BORDER)
    # The same drawing could not stand for another address.
    other = segno.make(f"https://esar.example.go.th/circulars/{circular.pk + 1}/", error="m")
    assert cells != matrix_cells(other, qr.BORDER)
    # Printed at one millimetre per module: at least 2.5 cm wide.
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.get("width").endswith("mm") and float(root.get("width")[:-2]) >= 25

    # The page shows the same address beside the image.
    page = as_user(world.cm_city_officer).get(reverse("circulars:detail", args=[circular.pk]))
    html = page.content.decode()
    assert f'data-testid="page-url">{expected_url}<' in html
    assert reverse("circulars:qr", args=[circular.pk]) in html


def test_the_qr_of_a_circular_not_meant_for_you_is_404(world, publish):
    circular = publish(provinces=("50",))
    assert (
        as_user(world.kk_supervisor).get(reverse("circulars:qr", args=[circular.pk])).status_code
        == 404
    )
