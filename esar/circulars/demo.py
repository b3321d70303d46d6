"""Demo circulars of DLA, made through the real services (idempotent).

Invented letters with believable numbers and wording: the SAR calendar of 2569 to everyone (with
its calendar as an Excel attachment), the use of e-SAR accounts to LAOs and provinces, a workshop
for Chiang Mai only, and a draft DLA has not published yet. Each is created only when no circular
of that number exists in its year, so a re-run changes nothing and DLA's own edits survive.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from esar.accounts.models import User
from esar.accounts.roles import Role
from esar.circulars import services
from esar.circulars.models import Circular
from esar.core.thaidate import be_year, format_date
from esar.cycles.demo import demo_year_values
from esar.cycles.models import AcademicYear

CALENDAR_YEAR = 2569
DEMO_NOTE = "(ข้อมูลสาธิต ไม่ใช่หนังสือราชการจริง)"


@dataclass(frozen=True)
class DemoCircular:
    number: str
    issued_on: dt.date
    title: str
    body: str
    provinces: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    publish: bool = True
    calendar: bool = False


def _deadlines() -> dict[str, str]:
    year = AcademicYear.objects.filter(pk=CALENDAR_YEAR).first()
    values = (
        {
            "sar_due": year.sar_due,
            "review_due": year.review_due,
            "synthesis_due": year.synthesis_due,
            "delivery_due": year.delivery_due,
        }
        if year is not None
        else demo_year_values(CALENDAR_YEAR)
    )
    return {
        key: format_date(values[key], "long")
        for key in ("sar_due", "review_due", "synthesis_due", "delivery_due")
    }


def demo_circulars() -> list[DemoCircular]:
    due = _deadlines()
    return [
        DemoCircular(
            number="มท 0816.4/ว 2150",
            issued_on=dt.date(2026, 6, 1),
            title=f"ปฏิทินการจัดทำรายงานการประเมินตนเองของสถานศึกษา (SAR) ปีการศึกษา {CALENDAR_YEAR}",
            body=(
                "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\n"
                "ด้วยกรมส่งเสริมการปกครองท้องถิ่นได้กำหนดปฏิทินการจัดทำและรายงานผลการประเมินตนเอง"
                f"ของสถานศึกษาสังกัดองค์กรปกครองส่วนท้องถิ่น ประจำปีการศึกษา {CALENDAR_YEAR} ดังนี้\n"
                f"1. สถานศึกษาส่ง SAR ถึงองค์กรปกครองส่วนท้องถิ่น ภายในวันที่ {due['sar_due']}\n"
                f"2. องค์กรปกครองส่วนท้องถิ่นตรวจสอบ SAR ภายในวันที่ {due['review_due']}\n"
                f"3. องค์กรปกครองส่วนท้องถิ่นสังเคราะห์ SAR ภายในวันที่ {due['synthesis_due']}\n"
                f"4. นำส่ง SAR เข้าระบบ e-SAR ภายในวันที่ {due['delivery_due']}\n\n"
                "จึงเรียนมาเพื่อโปรดแจ้งองค์กรปกครองส่วนท้องถิ่นในพื้นที่ทราบและถือปฏิบัติ "
                "รายละเอียดตามปฏิทินที่แนบมาพร้อมนี้\n\n" + DEMO_NOTE
            ),
            calendar=True,
        ),
        DemoCircular(
            number="มท 0816.4/ว 2388",
            issued_on=dt.date(2026, 6, 15),
            title="การใช้บัญชีผู้ใช้ระบบ e-SAR ขององค์กรปกครองส่วนท้องถิ่น",
            body=(
                "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\n"
                "กรมส่งเสริมการปกครองท้องถิ่นได้ออกบัญชีผู้ใช้ระบบ e-SAR ให้แก่องค์กรปกครองส่วนท้องถิ่น"
                "ทุกแห่งแล้ว โดยชื่อผู้ใช้เป็นรหัสองค์กรปกครองส่วนท้องถิ่น และรหัสผ่านเริ่มต้นใช้ได้ครั้งเดียว "
                "เมื่อเข้าสู่ระบบครั้งแรกต้องเปลี่ยนรหัสผ่านทันที หากผู้รับผิดชอบเปลี่ยนตัว "
                "ขอให้สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดแจ้งขอรหัสผ่านใหม่\n\n"
                "จึงเรียนมาเพื่อโปรดทราบและแจ้งผู้เกี่ยวข้อง\n\n" + DEMO_NOTE
            ),
            roles=(Role.LAO_OFFICER.value, Role.PROVINCE_SUPERVISOR.value),
        ),
        DemoCircular(
            number="มท 0816.4/ว 2417",
            issued_on=dt.date(2026, 6, 22),
            title="ขอเชิญประชุมเชิงปฏิบัติการการจัดทำ SAR ผ่านระบบ e-SAR (จังหวัดเชียงใหม่)",
            body=(
                "เรียน ผู้ว่าราชการจังหวัดเชียงใหม่\n\n"
                "กรมส่งเสริมการปกครองท้องถิ่นกำหนดจัดประชุมเชิงปฏิบัติการการจัดทำรายงานการประเมินตนเอง"
                "ของสถานศึกษาผ่านระบบ e-SAR สำหรับครูและบุคลากรทางการศึกษาในจังหวัดเชียงใหม่ "
                "ในวันที่ 9 กรกฎาคม 2569 ณ ห้องประชุมสำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเชียงใหม่ "
                "ขอให้แจ้งองค์กรปกครองส่วนท้องถิ่นส่งผู้เข้าร่วมแห่งละ 1 คน\n\n" + DEMO_NOTE
            ),
            provinces=("50",),
        ),
        DemoCircular(
            number="มท 0816.4/ว 2560",
            issued_on=dt.date(2026, 7, 1),
            title="(ร่าง) การรายงานผลการสังเคราะห์ SAR ต่อ สมศ.",
            body="ร่างหนังสือ ยังไม่เผยแพร่\n\n" + DEMO_NOTE,
            publish=False,
        ),
    ]


def _calendar_xlsx(due: dict[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"ปฏิทิน {CALENDAR_YEAR}"
    sheet.append(["ลำดับ", "กิจกรรม", "ผู้รับผิดชอบ", "ภายในวันที่"])
    sheet.append([1, "ส่ง SAR ถึงองค์กรปกครองส่วนท้องถิ่น", "สถานศึกษา", due["sar_due"]])
    sheet.append([2, "ตรวจสอบ SAR", "องค์กรปกครองส่วนท้องถิ่น", due["review_due"]])
    sheet.append([3, "สังเคราะห์ SAR", "องค์กรปกครองส่วนท้องถิ่น", due["synthesis_due"]])
    sheet.append([4, "นำส่ง SAR เข้าระบบ e-SAR", "องค์กรปกครองส่วนท้องถิ่น", due["delivery_due"]])
    for column, width in zip("ABCD", (8, 40, 26, 22), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seed_demo_circulars() -> int:
    """Create (and publish) the missing demo circulars; return how many were created."""
    dla = User.objects.filter(username="dla.admin").first()
    if dla is None:
        return 0
    created = 0
    for spec in demo_circulars():
        if Circular.objects.filter(year=be_year(spec.issued_on), number=spec.number).exists():
            continue
        circular = services.create_draft(
            actor=dla,
            number=spec.number,
            title=spec.title,
            issued_on=spec.issued_on,
            body=spec.body,
            provinces=spec.provinces,
            roles=spec.roles,
        )
        if spec.calendar:
            services.attach_file(
                circular=circular,
                actor=dla,
                upload=SimpleUploadedFile(
                    f"ปฏิทิน-SAR-{CALENDAR_YEAR}.xlsx", _calendar_xlsx(_deadlines())
                ),
            )
        if spec.publish:
            services.publish(circular=circular, actor=dla)
        created += 1
    return created
