"""An LAO's synthesis through its services: written by the LAO only, frozen when complete."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from esar.core.models import AuditEvent
from esar.sar.services import drafts as sar_drafts
from esar.sar.services import revisions as sar_revisions
from esar.standards.models import Standard
from esar.synthesis import services
from esar.synthesis.models import SynthesisStatus
from esar.synthesis.services import Conflict, Invalid, IssueInput, NotAllowed
from esar.testing.sar import accepted_revision, fill_complete
from esar.testing.years import make_year


@pytest.fixture
def year(db):
    return make_year(2569)


@pytest.fixture
def accepted(world, year):
    """The Doi Kham school's 2569 SAR, accepted by its LAO."""
    return accepted_revision(world.cm_school, year, world.cm_school_officer, world.cm_city_officer)


@pytest.fixture
def synthesis(world, year):
    return services.open_synthesis(lao=world.cm_city, year=year, actor=world.cm_city_officer)


def first_standard() -> Standard:
    return Standard.objects.filter(standard_set__code="basic-2561").order_by("order").first()


@pytest.mark.parametrize(
    "persona", ["cm_sao_officer", "kk_town_officer", "cm_school_officer", "cm_supervisor"]
)
def test_only_the_laos_own_officer_writes_its_synthesis(world, year, synthesis, persona):
    actor = getattr(world, persona)
    with pytest.raises(NotAllowed):
        services.open_synthesis(lao=world.cm_city, year=year, actor=actor)
    with pytest.raises(NotAllowed):
        services.save(synthesis=synthesis, actor=actor, expected_version=1, summary="x", issues=[])
    synthesis.refresh_from_db()
    assert synthesis.summary == ""


def test_completing_freezes_the_figures_the_text_the_issues_and_the_sources(
    world, year, accepted, synthesis
):
    standard = first_standard()
    synthesis = services.save(
        synthesis=synthesis,
        actor=world.cm_city_officer,
        expected_version=1,
        summary="  สถานศึกษาส่วนใหญ่อยู่ในระดับดีเลิศ  ",
        issues=[
            IssueInput("การอ่านของผู้เรียน", [standard.pk], [world.cm_school.pk]),
            IssueInput("   ", [standard.pk], []),  # blank: ignored
        ],
    )
    version = services.complete(
        synthesis=synthesis, actor=world.cm_city_officer, expected_version=synthesis.version
    )
    synthesis.refresh_from_db()
    assert synthesis.status == SynthesisStatus.COMPLETE
    assert version.number == 1
    assert version.is_late is False
    assert version.summary == "สถานศึกษาส่วนใหญ่อยู่ในระดับดีเลิศ"
    assert version.issues == [
        {
            "text": "การอ่านของผู้เรียน",
            "standards": [standard.pk],
            "institutions": [world.cm_school.pk],
        }
    ]
    assert version.figures["institutions"] == 1
    assert version.figures["accepted"] == 1
    assert list(version.source_revisions.all()) == [accepted]
    assert services.is_out_of_date(synthesis) is False
    # A complete synthesis does not change until it is reopened, with a reason.
    with pytest.raises(Conflict):
        services.save(
            synthesis=synthesis,
            actor=world.cm_city_officer,
            expected_version=synthesis.version,
            summary="แก้",
            issues=[],
        )
    with pytest.raises(Invalid):
        services.reopen(
            synthesis=synthesis,
            actor=world.cm_city_officer,
            expected_version=synthesis.version,
            reason=" ",
        )
    services.reopen(
        synthesis=synthesis,
        actor=world.cm_city_officer,
        expected_version=synthesis.version,
        reason="มีสถานศึกษาส่งรายงานเพิ่ม",
    )
    version.refresh_from_db()
    assert version.reopen_reason == "มีสถานศึกษาส่งรายงานเพิ่ม"
    assert version.summary == "สถานศึกษาส่วนใหญ่อยู่ในระดับดีเลิศ"  # kept as it was
    second = services.complete(
        synthesis=synthesis, actor=world.cm_city_officer, expected_version=synthesis.version
    )
    assert second.number == 2
    assert synthesis.versions.count() == 2
    actions = set(
        AuditEvent.objects.filter(action__startswith="synthesis.").values_list("action", flat=True)
    )
    assert actions == {
        "synthesis.created",
        "synthesis.saved",
        "synthesis.completed",
        "synthesis.reopened",
    }


def test_a_synthesis_goes_out_of_date_when_the_reports_change(world, year, synthesis):
    services.complete(synthesis=synthesis, actor=world.cm_city_officer, expected_version=1)
    synthesis.refresh_from_db()
    assert services.is_out_of_date(synthesis) is False
    # A school sends its SAR after the synthesis was completed.
    sar = sar_drafts.open_sar(institution=world.cm_school, year=year, actor=world.cm_school_officer)
    sar = fill_complete(sar, world.cm_school_officer)
    sar_revisions.submit(sar=sar, actor=world.cm_school_officer, expected_version=sar.version)
    assert services.is_out_of_date(synthesis) is True


def test_issues_name_existing_standards_and_only_the_laos_institutions(world, synthesis):
    standard = first_standard()
    for issues in (
        [IssueInput("ไม่มีมาตรฐาน", [], [])],
        [IssueInput("มาตรฐานไม่มีอยู่", [999_999], [])],
        [IssueInput("โรงเรียนของ อปท. อื่น", [standard.pk], [world.kk_school.pk])],
    ):
        with pytest.raises(Invalid):
            services.save(
                synthesis=synthesis,
                actor=world.cm_city_officer,
                expected_version=1,
                summary="x",
                issues=issues,
            )
    synthesis.refresh_from_db()
    assert synthesis.version == 1
    assert not synthesis.issues.exists()


def test_a_stale_page_cannot_overwrite_or_complete(world, synthesis):
    services.save(
        synthesis=synthesis, actor=world.cm_city_officer, expected_version=1, summary="ก", issues=[]
    )
    with pytest.raises(Conflict):
        services.save(
            synthesis=synthesis,
            actor=world.cm_city_officer,
            expected_version=1,
            summary="ข",
            issues=[],
        )
    with pytest.raises(Conflict):
        services.complete(synthesis=synthesis, actor=world.cm_city_officer, expected_version=1)
    synthesis.refresh_from_db()
    assert synthesis.summary == "ก"
    assert synthesis.status == SynthesisStatus.DRAFT


def test_completing_after_the_deadline_is_late(world, db):
    today = timezone.localdate()
    year = make_year(
        2568,
        semester1_start=dt.date(2025, 5, 16),
        sar_due=today - dt.timedelta(days=30),
        review_due=today - dt.timedelta(days=20),
        synthesis_due=today - dt.timedelta(days=1),
        delivery_due=today + dt.timedelta(days=30),
    )
    synthesis = services.open_synthesis(lao=world.cm_city, year=year, actor=world.cm_city_officer)
    version = services.complete(
        synthesis=synthesis, actor=world.cm_city_officer, expected_version=1
    )
    assert version.is_late is True


def test_a_sar_returned_after_completion_makes_the_synthesis_out_of_date(
    world, year, accepted, synthesis
):
    version = services.complete(
        synthesis=synthesis, actor=world.cm_city_officer, expected_version=1
    )
    synthesis.refresh_from_db()
    assert version.figures["accepted"] == 1
    assert services.is_out_of_date(synthesis) is False
    # Without saying so, a return of an accepted report is refused (a stale review page).
    reasons = [sar_revisions.ReasonInput("general", "ผลการประเมินมาตรฐานที่ 1 ไม่ตรงกับหลักฐาน")]
    with pytest.raises(sar_drafts.Conflict):
        sar_revisions.return_for_revision(
            revision=accepted, actor=world.cm_city_officer, reasons=reasons
        )
    assert services.is_out_of_date(synthesis) is False
    sar_revisions.return_for_revision(
        revision=accepted, actor=world.cm_city_officer, reasons=reasons, after_acceptance=True
    )
    accepted.sar.refresh_from_db()
    assert accepted.sar.status == "returned"
    assert services.is_out_of_date(synthesis) is True
    # The completed version still shows what it was built from.
    version.refresh_from_db()
    assert version.figures["accepted"] == 1
    assert list(version.source_revisions.all()) == [accepted]
