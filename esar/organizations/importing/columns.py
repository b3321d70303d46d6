"""What a registry file may say: the one place for its column names, value aliases and messages."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_noop

from esar.core.tabular import Column, FileWording
from esar.organizations.models import EducationLevel, InstitutionKind, LaoType


class RowKind(StrEnum):
    LAO = "lao"
    INSTITUTION = "institution"


COLUMNS: dict[RowKind, tuple[Column, ...]] = {
    RowKind.LAO: (
        Column(
            "code",
            "รหัส อปท.",
            ("code", "lao_code", "รหัส อปท.", "รหัสองค์กรปกครองส่วนท้องถิ่น"),
            required=True,
        ),
        Column(
            "name_th",
            "ชื่อ อปท.",
            ("name_th", "name", "ชื่อ อปท.", "ชื่อองค์กรปกครองส่วนท้องถิ่น", "ชื่อ", "ชื่อภาษาไทย"),
            required=True,
        ),
        Column("name_en", "ชื่อภาษาอังกฤษ", ("name_en", "english name", "ชื่อภาษาอังกฤษ")),
        Column(
            "province",
            "จังหวัด",
            ("province", "province_code", "จังหวัด", "รหัสจังหวัด"),
            required=True,
        ),
        Column(
            "lao_type",
            "ประเภท อปท.",
            ("lao_type", "type", "ประเภท", "ประเภท อปท.", "ประเภทองค์กรปกครองส่วนท้องถิ่น"),
            required=True,
        ),
        Column("district", "อำเภอ", ("district", "amphoe", "อำเภอ")),
        Column(
            "type_effective_date",
            "วันที่เปลี่ยนประเภท",
            ("type_effective_date", "effective_date", "วันที่เปลี่ยนประเภท", "วันที่มีผล"),
        ),
    ),
    RowKind.INSTITUTION: (
        Column(
            "code",
            "รหัสสถานศึกษา",
            ("code", "moe_code", "school_code", "รหัสสถานศึกษา", "รหัสโรงเรียน", "รหัส 10 หลัก"),
            required=True,
        ),
        Column("onesqa_code", "รหัส สมศ.", ("onesqa_code", "onesqa", "รหัส สมศ.")),
        Column(
            "name_th",
            "ชื่อสถานศึกษา",
            ("name_th", "name", "ชื่อสถานศึกษา", "ชื่อโรงเรียน", "ชื่อ", "ชื่อภาษาไทย"),
            required=True,
        ),
        Column("name_en", "ชื่อภาษาอังกฤษ", ("name_en", "english name", "ชื่อภาษาอังกฤษ")),
        Column(
            "kind",
            "ประเภทสถานศึกษา",
            ("kind", "institution_kind", "ประเภทสถานศึกษา"),
            required=True,
        ),
        Column(
            "lao_code",
            "รหัส อปท. ต้นสังกัด",
            ("lao_code", "lao", "รหัส อปท. ต้นสังกัด", "รหัส อปท.", "ต้นสังกัด"),
            required=True,
        ),
        Column(
            "levels",
            "ระดับที่เปิดสอน",
            ("levels", "level", "ระดับที่เปิดสอน", "ระดับการศึกษา", "ระดับ"),
            required=True,
        ),
        Column("district", "อำเภอ", ("district", "amphoe", "อำเภอ")),
    ),
}

LAO_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    LaoType.PAO: ("อบจ.", "องค์การบริหารส่วนจังหวัด", "PAO", "Provincial Administrative Organisation"),
    LaoType.CITY_MUNICIPALITY: ("เทศบาลนคร", "ทน.", "City municipality"),
    LaoType.TOWN_MUNICIPALITY: ("เทศบาลเมือง", "ทม.", "Town municipality"),
    LaoType.SUBDISTRICT_MUNICIPALITY: ("เทศบาลตำบล", "ทต.", "Subdistrict municipality"),
    LaoType.SAO: (
        "อบต.",
        "องค์การบริหารส่วนตำบล",
        "SAO",
        "Subdistrict Administrative Organisation",
    ),
    LaoType.BANGKOK: ("กทม.", "กรุงเทพมหานคร", "BMA", "Bangkok Metropolitan Administration"),
    LaoType.PATTAYA: ("เมืองพัทยา", "Pattaya City"),
}
INSTITUTION_KIND_ALIASES: dict[str, tuple[str, ...]] = {
    InstitutionKind.SCHOOL: ("โรงเรียน", "School"),
    InstitutionKind.COLLEGE: ("วิทยาลัย", "College"),
    InstitutionKind.CHILD_CENTRE: ("ศูนย์พัฒนาเด็กเล็ก", "ศพด.", "Child development centre"),
}
EDUCATION_LEVEL_ALIASES: dict[str, tuple[str, ...]] = {
    EducationLevel.EARLY_CHILDHOOD: ("ปฐมวัย", "การศึกษาปฐมวัย", "Early childhood"),
    EducationLevel.BASIC: ("ขั้นพื้นฐาน", "การศึกษาขั้นพื้นฐาน", "Basic education"),
    EducationLevel.VOCATIONAL: ("อาชีวศึกษา", "การอาชีวศึกษา", "Vocational education"),
}
# Province names come from the database; these are the extra ways people write them.
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {"10": ("กรุงเทพฯ", "กทม.", "Bangkok Metropolis")}
PROVINCE_PREFIXES = ("จังหวัด", "จ.")

SHEET_TITLES = {RowKind.LAO: "อปท.", RowKind.INSTITUTION: "สถานศึกษา"}
TEMPLATE_EXAMPLES: dict[RowKind, dict[str, str]] = {
    RowKind.LAO: {
        "code": "6500199",
        "name_th": "องค์การบริหารส่วนตำบลตัวอย่าง",
        "name_en": "Tambon Tuayang SAO",
        "province": "เชียงใหม่",
        "lao_type": "อบต.",
        "district": "เมืองเชียงใหม่",
        "type_effective_date": "1/10/2566",
    },
    RowKind.INSTITUTION: {
        "code": "3050099999",
        "onesqa_code": "",
        "name_th": "ศูนย์พัฒนาเด็กเล็กบ้านตัวอย่าง",
        "name_en": "Ban Tuayang Child Development Centre",
        "kind": "ศูนย์พัฒนาเด็กเล็ก",
        "lao_code": "6500199",
        "levels": "ปฐมวัย",
        "district": "เมืองเชียงใหม่",
    },
}

# --- Messages: English msgids, translated when shown (the kit has those every import shares) ----

FILE_PDF = gettext_noop("This is a PDF file, not a table. Upload the registry as .xlsx or .csv.")
FILE_IMAGE = gettext_noop("This is an image, not a table. Upload the registry as .xlsx or .csv.")
FILE_ZIP = gettext_noop("This is a zip archive, not a table. Upload the registry as .xlsx or .csv.")
FILE_NOT_TABLE = gettext_noop(
    "This file is neither an Excel .xlsx workbook nor a CSV text file. Save the registry as "
    ".xlsx or .csv."
)
WORDING = FileWording(pdf=FILE_PDF, image=FILE_IMAGE, zip=FILE_ZIP, not_table=FILE_NOT_TABLE)
FILE_NO_TABLE = gettext_noop(
    "No sheet has the header of an LAO table or an institution table in row 1. Use the column "
    "names of the template."
)
HEADER_UNKNOWN = gettext_noop(
    "The header in row 1 is neither that of an LAO table nor of an institution table. Use the "
    "column names of the template."
)
REGISTRY_CHANGED = gettext_noop(
    "The registry changed while this file was being imported. Nothing was saved: import the "
    "file again."
)

LAO_CODE_SHAPE = gettext_noop("“%(value)s” is not an LAO code: it must have 7 digits.")
LAO_CODE_PROVINCE = gettext_noop(
    "The LAO code “%(value)s” must hold a province code in digits 2-3, but “%(digits)s” is not a "
    "province."
)
INSTITUTION_CODE_SHAPE = gettext_noop(
    "“%(value)s” is not a Ministry of Education code: it must have 10 digits."
)
ONESQA_CODE_SHAPE = gettext_noop(
    "“%(value)s” is not an ONESQA code: only letters and digits, at most 20 of them."
)
PROVINCE_UNKNOWN = gettext_noop(
    "“%(value)s” is not a province. Write its 2-digit code or its name."
)
LAO_TYPE_UNKNOWN = gettext_noop("“%(value)s” is not a type of LAO. Write one of: %(choices)s.")
KIND_UNKNOWN = gettext_noop("“%(value)s” is not a kind of institution. Write one of: %(choices)s.")
LEVEL_UNKNOWN = gettext_noop(
    "“%(value)s” is not a level of education. Write one or more of: %(choices)s."
)
DUPLICATE_CODE = gettext_noop("The code %(value)s is also in row %(other)s.")
DUPLICATE_CODE_SHEET = gettext_noop(
    "The code %(value)s is also in sheet “%(sheet)s”, row %(other)s."
)
DUPLICATE_ONESQA = gettext_noop("The ONESQA code %(value)s is also in row %(other)s.")
DUPLICATE_ONESQA_SHEET = gettext_noop(
    "The ONESQA code %(value)s is also in sheet “%(sheet)s”, row %(other)s."
)
ONESQA_TAKEN = gettext_noop("The ONESQA code %(value)s already belongs to %(other)s.")
LAO_NOT_FOUND = gettext_noop("The LAO %(value)s is neither in the registry nor in this file.")

# Labels of the result, shown on the job page.
LABEL_LAOS = gettext_noop("Local authorities")
LABEL_INSTITUTIONS = gettext_noop("Institutions")
LABEL_TYPE_CHANGES = gettext_noop("LAO type changes recorded")
