"""The Doi Kham city municipality's year 2569, made through the real services.

`accepted` is its school's SAR accepted by the LAO, `completed` its synthesis completed, and
`esar` the e-SAR account DLA issued to it (the one that delivers).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation

from esar.accounts.models import OneTimePassword
from esar.delivery import accounts as esar_accounts
from esar.delivery.accounts import IssuedAccount
from esar.sar.models import Revision, Sar
from esar.sar.services import revisions as sar_revisions
from esar.synthesis import services as synthesis_services
from esar.synthesis.models import Synthesis, SynthesisVersion
from esar.testing.sar import accepted_revision, fill_complete
from esar.testing.world import World
from esar.testing.years import make_year


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """These tests read messages in English: the pages through the language switch's cookie,
    the services through the active language (the Thai wording is the catalogue's business)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def year(db):
    return make_year(2569)


def send_and_accept(
    world: World, year: Any, *, institution=None, school=None, lao=None
) -> Revision:
    """The school's SAR sent (as complete as a SAR can be) and accepted by its LAO."""
    institution = institution or world.cm_school
    school = school or world.cm_school_officer
    lao = lao or world.cm_city_officer
    return accepted_revision(institution, year, school, lao)


def resend_and_accept(world: World, sar: Sar) -> Revision:
    """The LAO returns the accepted SAR, the school changes it and the LAO accepts the new one."""
    sar_revisions.return_for_revision(
        revision=sar.current_revision,
        actor=world.cm_city_officer,
        reasons=[sar_revisions.ReasonInput("general", "โปรดปรับปรุงตามข้อเสนอแนะ")],
        after_acceptance=True,
    )
    sar.refresh_from_db()
    sar = fill_complete(sar, world.cm_school_officer, text="ปรับปรุงตามข้อเสนอแนะ")
    revision = sar_revisions.submit(
        sar=sar, actor=world.cm_school_officer, expected_version=sar.version
    )
    return sar_revisions.accept(revision=revision, actor=world.cm_city_officer)


def complete_synthesis(world: World, year: Any, *, lao=None, officer=None) -> SynthesisVersion:
    lao = lao or world.cm_city
    officer = officer or world.cm_city_officer
    synthesis = synthesis_services.open_synthesis(lao=lao, year=year, actor=officer)
    if synthesis.status == "complete":
        synthesis = synthesis_services.reopen(
            synthesis=synthesis,
            actor=officer,
            expected_version=synthesis.version,
            reason="รับรายงานฉบับแก้ไข",
        )
    synthesis = synthesis_services.save(
        synthesis=synthesis,
        actor=officer,
        expected_version=synthesis.version,
        summary="สถานศึกษาส่วนใหญ่อยู่ในระดับดี",
        issues=[],
    )
    return synthesis_services.complete(
        synthesis=synthesis, actor=officer, expected_version=synthesis.version
    )


def synthesis_of(world: World, year: Any) -> Synthesis:
    return Synthesis.objects.get(lao=world.cm_city, year=year)


@pytest.fixture
def accepted(world, year) -> Revision:
    return send_and_accept(world, year)


@pytest.fixture
def completed(world, year, accepted) -> SynthesisVersion:
    return complete_synthesis(world, year)


@pytest.fixture
def esar(world) -> IssuedAccount:
    """The account as its officer uses it: the one-time password already replaced by their own
    (until then every page leads to choosing one)."""
    issued = esar_accounts.issue_account(lao=world.cm_city, actor=world.dla_admin)
    OneTimePassword.objects.filter(user=issued.account.user).update(replaced_at=timezone.now())
    return issued
