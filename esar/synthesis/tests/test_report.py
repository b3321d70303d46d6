"""What a synthesis shows: per standard counts, charts, voices linked to revisions, below good."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esar.synthesis import report, services
from esar.synthesis.services import IssueInput
from esar.testing.sar import accepted_revision, add_accepted_centres
from esar.testing.years import make_year


@pytest.fixture
def year(db):
    return make_year(2569)


def test_the_report_gathers_levels_voices_and_institutions_below_good(world, year):
    revision = accepted_revision(
        world.cm_school, year, world.cm_school_officer, world.cm_city_officer, standard_level=2
    )
    synthesis = services.open_synthesis(lao=world.cm_city, year=year, actor=world.cm_city_officer)
    built = report.build(synthesis)
    # The school teaches early childhood and basic: 3 + 3 standards.
    assert len(built.sections) == 6
    first = built.sections[0]
    assert first.total == 1
    assert [c.count for c in first.counts if c.level.rank == 2] == [1]
    assert "<svg" in first.chart and "</svg>" in first.chart
    (voice,) = first.voices
    assert voice.institution == world.cm_school
    assert voice.revision_id == revision.pk and voice.revision_number == 1
    assert voice.strengths.startswith("จุดเด่นมาตรฐาน")
    # Level 2 is below good (3) on every standard.
    (below,) = built.below_good
    assert below.institution == world.cm_school and len(below.standards) == 6
    assert all(section.below_good == [world.cm_school] for section in built.sections)


def test_a_completed_version_reads_its_frozen_state_not_todays(world, year):
    accepted_revision(
        world.cm_school, year, world.cm_school_officer, world.cm_city_officer, standard_level=4
    )
    synthesis = services.open_synthesis(lao=world.cm_city, year=year, actor=world.cm_city_officer)
    standard = report.build(synthesis).sections[0].standard
    synthesis = services.save(
        synthesis=synthesis,
        actor=world.cm_city_officer,
        expected_version=synthesis.version,
        summary="ภาพรวมดี",
        issues=[IssueInput("ขอให้ประเมินการอ่าน", [standard.pk], [world.cm_school.pk])],
    )
    version = services.complete(
        synthesis=synthesis, actor=world.cm_city_officer, expected_version=synthesis.version
    )
    synthesis.refresh_from_db()
    services.reopen(
        synthesis=synthesis,
        actor=world.cm_city_officer,
        expected_version=synthesis.version,
        reason="แก้ไขสรุป",
    )
    synthesis.refresh_from_db()
    services.save(
        synthesis=synthesis,
        actor=world.cm_city_officer,
        expected_version=synthesis.version,
        summary="ข้อความใหม่",
        issues=[],
    )
    frozen = report.build(synthesis, version)
    assert frozen.summary == "ภาพรวมดี"
    (issue,) = frozen.issues
    assert issue.text == "ขอให้ประเมินการอ่าน"
    assert issue.standards == [standard] and issue.institutions == [world.cm_school]
    live = report.build(synthesis)
    assert live.summary == "ข้อความใหม่" and live.issues == []


def test_the_report_costs_the_same_queries_for_one_or_many_institutions(world, year):
    accepted_revision(world.cm_school, year, world.cm_school_officer, world.cm_city_officer)
    synthesis = services.open_synthesis(lao=world.cm_city, year=year, actor=world.cm_city_officer)
    with CaptureQueriesContext(connection) as small:
        report.build(synthesis)
    add_accepted_centres(world.cm_city, year, world.cm_city_officer, 4)
    with CaptureQueriesContext(connection) as large:
        built = report.build(synthesis)
    assert built.figures.accepted == 5
    assert len(large) == len(small)
