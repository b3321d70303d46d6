"""Demo supervision visits, made through the real services (idempotent).

Each demo province office visited some of its LAOs and one school in the last months and asked
for follow-up actions: some done and closed, some still open, some overdue. Dates count back from
today, so the demo always shows a believable mix. Every person and place is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.db import transaction
from django.utils import timezone

from esar.accounts.models import Membership, User
from esar.accounts.roles import Role
from esar.organizations.models import Institution, LocalAuthority
from esar.supervision import services
from esar.supervision.models import FollowUp, Visit


@dataclass(frozen=True)
class DemoFollowUp:
    action: str
    responsible: str
    due_after: int  # days after the visit
    closed_note: str = ""  # closed with this note when set


@dataclass(frozen=True)
class DemoVisit:
    target: str  # LAO code (7 digits) or institution code (10 digits)
    days_ago: int
    visitors: tuple[str, ...]
    findings: str
    recommendations: str
    follow_ups: tuple[DemoFollowUp, ...]


_CM_TEAM = (
    "นางสาวพิมพ์ใจ ตัวอย่างดี นักวิชาการศึกษาชำนาญการ สถจ.เชียงใหม่ (สาธิต)",
    "นายวีระ สมมติกุล ศึกษานิเทศก์ (สาธิต)",
)
_KK_TEAM = ("นางอรุณี ทดลองงาม นักวิชาการศึกษาชำนาญการพิเศษ สถจ.ขอนแก่น (สาธิต)",)
_SK_TEAM = (
    "นายสมพงษ์ ลองใจ ศึกษานิเทศก์ สถจ.สงขลา (สาธิต)",
    "นางสาวนภา ตัวแทน นักวิชาการศึกษา (สาธิต)",
)

DEMO_VISITS: tuple[DemoVisit, ...] = (
    DemoVisit(
        "2500001",
        75,
        _CM_TEAM,
        "ระบบประกันคุณภาพภายในของสถานศึกษาในสังกัดดำเนินการครบทุกขั้นตอน แต่รายงานการประเมิน"
        "ตนเองของบางแห่งยังไม่ระบุหลักฐานอ้างอิงประกอบผลการประเมินในแต่ละมาตรฐาน",
        "ให้กองการศึกษาจัดประชุมเชิงปฏิบัติการการเขียนรายงานการประเมินตนเอง "
        "และติดตามการแนบหลักฐานก่อนส่งรายงานถึงองค์กรปกครองส่วนท้องถิ่น",
        (
            DemoFollowUp(
                "จัดประชุมเชิงปฏิบัติการการเขียนรายงานการประเมินตนเองให้ครูผู้รับผิดชอบงานประกันคุณภาพ",
                "กองการศึกษา เทศบาลนครดอยคำ",
                30,
                closed_note="จัดประชุมแล้ว มีครูเข้าร่วม 42 คน ส่งรายงานสรุปผลการประชุมแล้ว",
            ),
            DemoFollowUp(
                "ส่งรายงานผลการนิเทศภายในภาคเรียนที่ 1 ให้สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด",
                "กองการศึกษา เทศบาลนครดอยคำ",
                60,
            ),
        ),
    ),
    DemoVisit(
        "3050000001",
        12,
        _CM_TEAM,
        "โรงเรียนกำหนดมาตรฐานและค่าเป้าหมายครบถ้วน ครูจัดการเรียนรู้เชิงรุกอย่างต่อเนื่อง "
        "ผลการทดสอบการอ่านของนักเรียนชั้นมัธยมศึกษาปีที่ 1 ยังต่ำกว่าค่าเป้าหมาย",
        "จัดกิจกรรมส่งเสริมการอ่านรายชั้นเรียน และรายงานผลต่อองค์กรปกครองส่วนท้องถิ่นทุกภาคเรียน",
        (
            DemoFollowUp(
                "จัดทำแผนพัฒนาการอ่านของนักเรียนชั้นมัธยมศึกษาปีที่ 1",
                "ผู้อำนวยการโรงเรียนดอยคำวิทยาคม",
                45,
            ),
        ),
    ),
    DemoVisit(
        "6500001",
        40,
        _CM_TEAM,
        "ศูนย์พัฒนาเด็กเล็กในสังกัดมีสภาพแวดล้อมปลอดภัย แต่ยังไม่มีคำสั่งแต่งตั้งคณะกรรมการประกันคุณภาพภายในที่เป็นปัจจุบัน",
        "ออกคำสั่งแต่งตั้งคณะกรรมการประกันคุณภาพภายในของศูนย์พัฒนาเด็กเล็กทุกแห่ง",
        (
            DemoFollowUp(
                "ออกคำสั่งแต่งตั้งคณะกรรมการประกันคุณภาพภายในและส่งสำเนาให้ สถจ.",
                "กองการศึกษา องค์การบริหารส่วนตำบลป่าสักงาม",
                20,
            ),
            DemoFollowUp(
                "ปรับปรุงแผนพัฒนาคุณภาพการศึกษาของศูนย์พัฒนาเด็กเล็ก",
                "หัวหน้าศูนย์พัฒนาเด็กเล็กบ้านป่าสักงาม",
                90,
            ),
        ),
    ),
    DemoVisit(
        "3400001",
        30,
        _KK_TEAM,
        "เทศบาลส่งรายงานการประเมินตนเองของสถานศึกษาครบทุกแห่งตามกำหนด "
        "การสังเคราะห์รายงานยังไม่ได้สรุปประเด็นที่ต้องการให้ สมศ. ติดตาม",
        "สรุปประเด็นที่ต้องการให้ สมศ. ประเมินและติดตามไว้ในรายงานการสังเคราะห์",
        (
            DemoFollowUp(
                "เพิ่มประเด็นที่ต้องการให้ สมศ. ติดตามในรายงานการสังเคราะห์",
                "กองการศึกษา เทศบาลเมืองหนองบัวทอง",
                14,
                closed_note="แก้ไขรายงานการสังเคราะห์แล้ว ตรวจสอบในระบบ e-SAR เรียบร้อย",
            ),
            DemoFollowUp(
                "จัดอบรมการใช้เทคโนโลยีในการจัดการเรียนรู้ให้ครู",
                "กองการศึกษา เทศบาลเมืองหนองบัวทอง",
                60,
            ),
        ),
    ),
    DemoVisit(
        "5900001",
        20,
        _SK_TEAM,
        "สถานศึกษาในสังกัดยังไม่ได้อัปโหลดรายงานการประเมินตนเองฉบับสมบูรณ์ 1 แห่ง เนื่องจากไฟล์มีขนาดใหญ่เกินกำหนด",
        "ลดขนาดไฟล์ PDF และแจ้งศูนย์ช่วยเหลือ e-SAR หากยังอัปโหลดไม่ได้",
        (
            DemoFollowUp(
                "อัปโหลดรายงานการประเมินตนเองฉบับสมบูรณ์ของสถานศึกษาที่ค้างอยู่",
                "กองการศึกษา เทศบาลตำบลควนทรายงาม",
                10,
            ),
        ),
    ),
)


def _supervisors() -> dict[str, User]:
    supervisors: dict[str, User] = {}
    for membership in (
        Membership.objects.filter(
            role=Role.PROVINCE_SUPERVISOR, user__is_active=True, province_office__isnull=False
        )
        .select_related("user")
        .order_by("user__username")
    ):
        # province_office__isnull=False above: every row has its province.
        supervisors.setdefault(cast(str, membership.province_office_id), membership.user)
    return supervisors


def seed_demo_visits(today: dt.date | None = None) -> int:
    """Record the demo visits not recorded yet (same place and findings); return how many."""
    today = today or timezone.localdate()
    supervisors = _supervisors()
    created = 0
    for spec in DEMO_VISITS:
        lao = institution = None
        if len(spec.target) == 7:
            lao = LocalAuthority.objects.filter(code=spec.target).first()
            place = lao
        else:
            institution = Institution.objects.select_related("lao").filter(code=spec.target).first()
            place = institution.lao if institution else None
        if place is None:
            continue
        supervisor = supervisors.get(place.province_id)
        if supervisor is None:
            continue
        if Visit.objects.filter(
            lao=place, target_institution=institution, findings=spec.findings
        ).exists():
            continue
        visit_date = today - dt.timedelta(days=spec.days_ago)
        with transaction.atomic():
            visit = services.record_visit(
                actor=supervisor,
                lao=lao,
                institution=institution,
                visit_date=visit_date,
                visitors="\n".join(spec.visitors),
                findings=spec.findings,
                recommendations=spec.recommendations,
                follow_ups=[
                    services.FollowUpInput(
                        item.action,
                        item.responsible,
                        visit_date + dt.timedelta(days=item.due_after),
                    )
                    for item in spec.follow_ups
                ],
            )
            by_action = {f.action: f for f in FollowUp.objects.filter(visit=visit)}
            for item in spec.follow_ups:
                if item.closed_note:
                    services.close_follow_up(
                        follow_up=by_action[item.action], actor=supervisor, note=item.closed_note
                    )
        created += 1
    return created
