"""Demo SARs for the small world, made through the real services (idempotent).

Academic year 2568: every institution sent its SAR and its LAO accepted it, so that "start from
last year's SAR" and the history have something to show. Academic year 2569, in progress: a mix of
not started, drafts, reports waiting for review, returned ones and accepted ones, so that every
role's home page and queue has work in it.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from esar.accounts.models import Membership
from esar.accounts.roles import Role
from esar.cycles.models import AcademicYear
from esar.organizations.models import Institution
from esar.sar import content as sar_content
from esar.sar.models import Revision, Sar
from esar.sar.services import drafts, revisions

PAST_YEAR, CURRENT_YEAR = 2568, 2569
TEXTS = {
    "how": "สถานศึกษาจัดทำโครงการตามแผนปฏิบัติการประจำปี โดยมีครูและผู้ปกครองมีส่วนร่วม",
    "results": "ผู้เรียนร้อยละ 80 ขึ้นไปบรรลุตามค่าเป้าหมายที่สถานศึกษากำหนด",
    "evidence": "รายงานโครงการ ภาพถ่ายกิจกรรม ผลการประเมินผู้เรียน",
}
# Per standard number (quality of learners / of management / of teaching in the 2561 sets):
# a few phrasings each, so that an LAO's synthesis gathers different voices.
STANDARD_TEXTS = {
    "1": (
        ("ผู้เรียนมีสุขภาวะที่ดีและมีน้ำใจต่อผู้อื่น", "ทักษะการอ่านออกเขียนได้ของผู้เรียนชั้นต้น"),
        ("ผู้เรียนมีวินัยและภูมิใจในท้องถิ่น", "ผลสัมฤทธิ์ทางการเรียนคณิตศาสตร์ยังต่ำกว่าเป้าหมาย"),
        ("ผู้เรียนร่วมกิจกรรมกับชุมชนอย่างสม่ำเสมอ", "การคิดวิเคราะห์และการแก้ปัญหา"),
    ),
    "2": (
        ("ผู้บริหารวางแผนร่วมกับชุมชนและคณะกรรมการสถานศึกษา", "การนิเทศภายในยังไม่ต่อเนื่อง"),
        ("ระบบประกันคุณภาพภายในมีปฏิทินชัดเจน", "การใช้ข้อมูลผลการประเมินเพื่อวางแผน"),
        ("อาคารสถานที่สะอาดและปลอดภัย", "ระบบสารสนเทศของสถานศึกษา"),
    ),
    "3": (
        ("ครูจัดกิจกรรมการเรียนรู้แบบลงมือปฏิบัติ", "การใช้สื่อเทคโนโลยีในชั้นเรียน"),
        ("ครูวัดและประเมินผลด้วยวิธีที่หลากหลาย", "การให้ข้อมูลย้อนกลับแก่ผู้เรียน"),
        ("มีชุมชนการเรียนรู้ทางวิชาชีพของครู", "การจัดการเรียนรู้สำหรับผู้เรียนที่มีความต้องการพิเศษ"),
    ),
}
SUMMARY = {
    "strengths": "ครูมีความมุ่งมั่นและได้รับความร่วมมือจากชุมชนอย่างดี",
    "improvements": "ทักษะการอ่านคิดวิเคราะห์ของผู้เรียน และการใช้เทคโนโลยีในการจัดการเรียนรู้",
    "plan": "โครงการส่งเสริมการอ่าน และการพัฒนาครูด้านสื่อดิจิทัล",
    "help_needed": "งบประมาณจัดซื้อคอมพิวเตอร์สำหรับห้องเรียน",
}


def blank_pdf(pages: int = 1) -> bytes:
    """A real PDF of blank A4 pages: the stand-in document of demo and scale data."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _content(sar: Sar, seed: int) -> dict[str, Any]:
    items = sar_content.items_of(sar)
    return {
        "basic_data": {
            "as_of": "2026-06-10" if sar.year_id == CURRENT_YEAR else "2025-06-10",
            "students": {level: 30 + (seed * 7) % 200 for level, _label in drafts.levels_of(sar)},
            "staff": {"administrators": 1, "teachers": 3 + seed % 20, "support": 1 + seed % 3},
            "tests": [],
        },
        "items": {
            str(item.id): {"level": (2, 3, 4, 4, 5)[(seed + index) % 5], "target": 3, **TEXTS}
            for index, item in enumerate(items)
        },
        "standards": {
            str(standard.id): {
                # Every seventh institution is below good (2) on its second standard.
                "level": 2 if seed % 7 == 3 and index == 1 else (3, 4, 4, 5)[(seed + index) % 4],
                **dict(
                    zip(
                        ("strengths", "improvements"),
                        STANDARD_TEXTS.get(standard.number, STANDARD_TEXTS["1"])[seed % 3],
                        strict=True,
                    )
                ),
            }
            for index, standard in enumerate(sar_content.standards_of(sar))
        },
        "summary": SUMMARY,
    }


def _fill(sar: Sar, school: Any, seed: int) -> Sar:
    raw = _content(sar, seed)
    sar = drafts.save_draft(
        sar=sar,
        actor=school,
        expected_version=sar.version,
        basic_data=raw["basic_data"],
        items=raw["items"],
        standards=raw["standards"],
        summary=raw["summary"],
    )
    drafts.attach_file(
        sar=sar,
        actor=school,
        upload=SimpleUploadedFile("SAR.pdf", blank_pdf(2 + seed % 5), "application/pdf"),
        kind="document",
    )
    sar.refresh_from_db()
    return sar


def _officers() -> tuple[dict[int, Any], dict[int, Any]]:
    schools: dict[int, Any] = {}
    laos: dict[int, Any] = {}
    for membership in Membership.objects.filter(
        role__in=[Role.SCHOOL_OFFICER, Role.LAO_OFFICER], user__is_active=True
    ).select_related("user"):
        if membership.institution_id:
            schools.setdefault(membership.institution_id, membership.user)
        if membership.lao_id:
            laos.setdefault(membership.lao_id, membership.user)
    return schools, laos


# The demo's notices stay in the app: without this, `make run` would print a hundred e-mails.
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def seed_demo_sars() -> int:
    """Create the demo SARs that are missing; return how many were created."""
    years = {
        year.year: year for year in AcademicYear.objects.filter(pk__in=[PAST_YEAR, CURRENT_YEAR])
    }
    if len(years) < 2:
        return 0
    schools, laos = _officers()
    created = 0
    institutions = Institution.objects.filter(pk__in=schools).order_by("code")
    for index, institution in enumerate(institutions):
        school, lao = schools[institution.pk], laos.get(institution.lao_id)
        if lao is None:
            continue
        for _number, year in sorted(years.items()):
            if Sar.objects.filter(institution=institution, year=year).exists():
                continue
            with transaction.atomic():
                created += _seed_one(institution, year, school, lao, index)
    return created


def _seed_one(
    institution: Institution, year: AcademicYear, school: Any, lao: Any, index: int
) -> int:
    # 2569 by position: 0 not started, 1 draft, 2 and 3 waiting for review, 4 returned, 5 accepted.
    stage = 5 if year.year == PAST_YEAR else index % 6
    if stage == 0:
        return 0
    if not year.is_open:
        return 0
    sar = drafts.open_sar(institution=institution, year=year, actor=school)
    if stage == 1:
        if (
            year.year == CURRENT_YEAR
            and Sar.objects.filter(institution=institution, year_id=PAST_YEAR).exists()
        ):
            drafts.start_from_previous(sar=sar, actor=school, expected_version=sar.version)
        return 1
    sar = _fill(sar, school, index)
    revision = revisions.submit(sar=sar, actor=school, expected_version=sar.version)
    if stage == 4:
        item = sar_content.items_of(sar)[0]
        revisions.return_for_revision(
            revision=revision,
            actor=lao,
            reasons=[
                revisions.ReasonInput("item", "กรุณาระบุหลักฐานเชิงประจักษ์และผลที่วัดได้", item_id=item.id),
                revisions.ReasonInput("summary", "แผนพัฒนาควรมีตัวชี้วัดและระยะเวลาที่ชัดเจน"),
            ],
        )
    elif stage == 5:
        revisions.accept(revision=revision, actor=lao, note="ถูกต้องครบถ้วน")
    if year.year == PAST_YEAR:
        _as_sent_on_time(revision, year, index)
    return 1


def _as_sent_on_time(revision: Revision, year: AcademicYear, index: int) -> None:
    """Last year's demo reports were sent before that year's deadline, as most schools do."""
    sent = timezone.make_aware(
        dt.datetime.combine(year.sar_due - dt.timedelta(days=5 + index % 20), dt.time(10, 30))
    )
    Revision.objects.filter(pk=revision.pk).update(
        submitted_at=sent, is_late=False, reviewed_at=sent + dt.timedelta(days=7)
    )
