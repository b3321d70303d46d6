"""The synthesis exports at scale: one LAO's PDF, and a province workbook of 100 and 300 LAOs.

Figures are printed (run with -s), not asserted: the PDF's wall time (the aim is under 5 s for an
LAO of 40 institutions) and the province workbook's time and peak Python memory (tracemalloc),
which should stay flat from 100 to 300 LAOs because the rows are streamed.

The data is made in bulk inside each test's transaction (rolled back at the end), on provinces
of its own, so the national world of the other benchmarks neither adds to nor takes from it.
"""

from __future__ import annotations

import io
import tempfile
import time
import tracemalloc
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from esar.accounts.models import User
from esar.accounts.roles import Role
from esar.accounts.services import create_account
from esar.cycles.models import AcademicYear
from esar.organizations.models import (
    Institution,
    InstitutionKind,
    LaoType,
    LocalAuthority,
    Province,
)
from esar.sar.models import Sar, SarStatus
from esar.sar.scale import SEED_USERNAME, seed_submitted_sars
from esar.synthesis import exports, exports_province, figures, report, services
from esar.synthesis.models import Synthesis, SynthesisStatus, SynthesisVersion
from esar.synthesis.services import IssueInput
from esar.testing.years import make_year

YEAR = 2569
MiB = 1024 * 1024


def _year() -> AcademicYear:
    return AcademicYear.objects.filter(pk=YEAR).first() or make_year(YEAR)


def _province(code: str) -> Province:
    return Province.objects.create(
        code=code, name_th=f"ทดสอบ {code}", name_en=f"Bench province {code}", region="north"
    )


def _registry(province: Province, laos: int, per_lao: int) -> list[LocalAuthority]:
    """`laos` LAOs of the province, each with `per_lao` institutions (one school in four)."""
    created = LocalAuthority.objects.bulk_create(
        LocalAuthority(
            code=f"9{province.code}{index:04d}",
            name_th=f"องค์การบริหารส่วนตำบลทดสอบ {province.code}-{index}",
            lao_type=LaoType.SAO,
            province=province,
        )
        for index in range(laos)
    )
    Institution.objects.bulk_create(
        Institution(
            code=f"9{province.code}{lao_index:04d}{index:03d}",
            name_th=(
                f"โรงเรียนทดสอบ {lao_index}-{index}"
                if index % 4 == 0
                else f"ศูนย์พัฒนาเด็กเล็กทดสอบ {lao_index}-{index}"
            ),
            kind=InstitutionKind.SCHOOL if index % 4 == 0 else InstitutionKind.CHILD_CENTRE,
            lao=lao,
            teaches_early_childhood=True,
            teaches_basic=index % 4 == 0,
        )
        for lao_index, lao in enumerate(created)
        for index in range(per_lao)
    )
    return created


def _accepted_sars(year: AcademicYear, provinces: list[Province]) -> None:
    """A submitted SAR per institution of these provinces, written in bulk, then accepted.

    `seed_submitted_sars` seeds every active institution without a SAR; the rest of the registry
    is switched off first, inside this test's transaction, which is rolled back at the end.
    """
    Institution.objects.filter(is_active=True).exclude(lao__province__in=provinces).update(
        is_active=False
    )
    seed_submitted_sars(year)
    Sar.objects.filter(institution__lao__province__in=provinces, year=year).update(
        status=SarStatus.ACCEPTED
    )


def _complete_in_bulk(laos: list[LocalAuthority], year: AcademicYear) -> dict[str, int]:
    """Two LAOs in three complete (frozen figures, an issue), one in six being written."""
    seeder = User.objects.get(username=SEED_USERNAME)
    now = timezone.now()
    complete = [lao for index, lao in enumerate(laos) if index % 3 != 2]
    drafts = [lao for index, lao in enumerate(laos) if index % 6 == 2]
    syntheses = Synthesis.objects.bulk_create(
        [
            Synthesis(lao=lao, year=year, status=SynthesisStatus.COMPLETE, version=2)
            for lao in complete
        ]
        + [Synthesis(lao=lao, year=year, summary="กำลังเขียน") for lao in drafts]
    )
    versions = []
    for synthesis in syntheses[: len(complete)]:
        counted = figures.compute(synthesis.lao, year)
        issue = {
            "text": "ขอให้ประเมินทักษะการอ่านของผู้เรียน",
            "standards": sorted(counted.standards)[:1],
            "institutions": sorted(counted.below_good)[:3],
        }
        versions.append(
            SynthesisVersion(
                synthesis=synthesis,
                number=1,
                figures=counted.as_json(),
                summary="ภาพรวมสถานศึกษาในสังกัดมีคุณภาพระดับดี",
                issues=[issue],
                completed_at=now,
                completed_by=seeder,
            )
        )
    SynthesisVersion.objects.bulk_create(versions)
    return {"complete": len(complete), "drafts": len(drafts)}


def _province_export(province: Province, year: AcademicYear) -> dict[str, Any]:
    """One export into a temporary file: rows, seconds, bytes; and its peak traced memory."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        rows = exports_province.province_xlsx(province, year, out)
        seconds = time.perf_counter() - started
        size = out.tell()
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            exports_province.province_xlsx(province, year, out)
            peak = tracemalloc.get_traced_memory()[1] - before
        finally:
            tracemalloc.stop()
    return {"rows": rows, "seconds": seconds, "bytes": size, "peak": peak}


@pytest.mark.benchmark_only
def test_province_workbook_of_100_and_300_laos_streams_with_flat_memory(benchmark, db):
    year = _year()
    small, large = _province("97"), _province("98")
    started = time.perf_counter()
    small_laos = _registry(small, 100, 4)
    large_laos = _registry(large, 300, 4)
    _accepted_sars(year, [small, large])
    made = _complete_in_bulk(small_laos, year)
    made_large = _complete_in_bulk(large_laos, year)
    print(
        f"\n[province workbook data] 400 LAOs, 1,600 institutions with accepted SARs, "
        f"{made['complete'] + made_large['complete']} completed syntheses in "
        f"{time.perf_counter() - started:.1f} s"
    )

    figures_small = _province_export(small, year)
    figures_large = _province_export(large, year)
    assert figures_small["rows"] == 100 and figures_large["rows"] == 300

    def export_large() -> None:
        with tempfile.TemporaryFile() as out:
            exports_province.province_xlsx(large, year, out)

    benchmark.pedantic(export_large, rounds=3, iterations=1)
    for label, found in (("100 LAOs", figures_small), ("300 LAOs", figures_large)):
        print(
            f"[province workbook, {label}] {found['seconds']:.2f} s, "
            f"{found['bytes'] / 1024:.0f} KiB, peak traced Python memory "
            f"{found['peak'] / MiB:.2f} MiB"
        )
    print(
        f"[province workbook] peak memory 300 vs 100 LAOs: "
        f"{figures_large['peak'] / figures_small['peak']:.2f}×; mean of 3 rounds for 300 LAOs "
        f"{benchmark.stats.stats.mean:.2f} s"
    )


@pytest.mark.benchmark_only
def test_pdf_of_an_lao_with_40_institutions(benchmark, db):
    year = _year()
    province = _province("99")
    (lao,) = _registry(province, 1, 40)
    _accepted_sars(year, [province])
    officer = create_account(
        username="bench.lao.officer",
        password=None,
        role=Role.LAO_OFFICER,
        organization=lao,
        first_name="Bench",
        email="bench.lao@example.org",
        validate=False,
    )
    synthesis = services.open_synthesis(lao=lao, year=year, actor=officer)
    live = report.build(synthesis)
    below = [entry.institution.pk for entry in live.below_good][:5]
    synthesis = services.save(
        synthesis=synthesis,
        actor=officer,
        expected_version=synthesis.version,
        summary="ภาพรวมสถานศึกษาในสังกัดมีคุณภาพระดับดี\nควรพัฒนาการอ่านและการใช้เทคโนโลยี",
        issues=[
            IssueInput(f"ประเด็นที่ {n}: ขอให้ประเมินการอ่าน", [section.standard.pk], below)
            for n, section in enumerate(live.sections[:3], start=1)
        ],
    )
    version = services.complete(
        synthesis=synthesis, actor=officer, expected_version=synthesis.version
    )
    synthesis.refresh_from_db()

    started = time.perf_counter()
    frozen = report.build(synthesis, version)
    build_seconds = time.perf_counter() - started
    assert frozen.figures.accepted == 40
    outcome: dict[str, bytes] = {}

    def render() -> None:
        outcome["pdf"] = exports.synthesis_pdf(frozen)

    benchmark.pedantic(render, rounds=3, iterations=1)
    started = time.perf_counter()
    thai = exports.synthesis_pdf(frozen, thai_numerals=True)
    thai_seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(outcome["pdf"])).pages)
    voices = sum(len(section.voices) for section in frozen.sections)
    print(
        f"\n[synthesis PDF, 40 institutions] report.build {build_seconds:.2f} s; PDF mean "
        f"{benchmark.stats.stats.mean:.2f} s (min {benchmark.stats.stats.min:.2f}, max "
        f"{benchmark.stats.stats.max:.2f}); with Thai numerals {thai_seconds:.2f} s; "
        f"{pages} pages, {len(outcome['pdf']) / 1024:.0f} KiB ({len(thai) / 1024:.0f} KiB), "
        f"{len(frozen.sections)} standards, {voices} strengths/improvements rows"
    )
