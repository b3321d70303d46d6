"""Fixtures of the SAR page tests: the academic year 2569 and the Doi Kham school's report at each
stage, made through the real services."""

from __future__ import annotations

import pytest

# The real browser and the live server of the browser tests (test_browser.py).
from esar.front.tests.test_browser import browser_page, live_world  # noqa: F401
from esar.sar.models import Revision, Sar
from esar.sar.services import drafts, revisions
from esar.testing.sar import fill_complete, make_year


@pytest.fixture
def year(db):
    # Semester 1 from 16 May 2569 (2026); the SAR is due at the LAO on 31 March 2570 (2027).
    return make_year(2569, is_open=True)


@pytest.fixture
def sar(world, year) -> Sar:
    return drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)


@pytest.fixture
def filled(world, sar) -> Sar:
    """A draft with everything needed to send it."""
    return fill_complete(sar, world.cm_school_officer)


@pytest.fixture
def submitted(world, filled) -> Revision:
    return revisions.submit(
        sar=filled, actor=world.cm_school_officer, expected_version=filled.version
    )
