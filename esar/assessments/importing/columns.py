"""What a file of external assessments may say: its columns and messages."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from esar.core.tabular import Column, FileWording

KIND = "external_assessment"
FISCAL_YEAR_RANGE = (2500, 2700)

COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "รหัสสถานศึกษา",
        (
            "code",
            "moe_code",
            "school_code",
            "institution_code",
            "รหัสสถานศึกษา",
            "รหัสโรงเรียน",
            "รหัส 10 หลัก",
        ),
    ),
    Column("onesqa_code", "รหัส สมศ.", ("onesqa_code", "onesqa", "รหัส สมศ.", "รหัสสถานศึกษา สมศ.")),
    Column("round", "รอบการประเมิน", ("round", "รอบ", "รอบที่", "รอบการประเมิน")),
    Column("fiscal_year", "ปีงบประมาณ", ("fiscal_year", "fiscal year", "ปีงบประมาณ", "ปีงบ")),
    Column(
        "assessed_on",
        "วันที่ประเมิน",
        ("assessed_on", "assessment_date", "date", "วันที่ประเมิน", "วันที่รับการประเมิน", "วันที่"),
        required=True,
    ),
    Column("result", "ผลการประเมิน", ("result", "ผลการประเมิน", "ผล", "ระดับคุณภาพ")),
)
CODE_COLUMNS = ("code", "onesqa_code")
SHEET_TITLE = "การประเมินภายนอก"
TEMPLATE_EXAMPLE = {
    "code": "3050000001",
    "onesqa_code": "",
    "round": "4",
    "fiscal_year": "2561",
    "assessed_on": "20/1/2561",
    "result": "ดีมาก",
}

# --- Messages: English msgids, translated when shown ----------------------------------------------

FILE_PDF_ASSESSMENTS = gettext_noop(
    "This is a PDF file, not a table. Upload the external assessments as .xlsx or .csv."
)
FILE_IMAGE_ASSESSMENTS = gettext_noop(
    "This is an image, not a table. Upload the external assessments as .xlsx or .csv."
)
FILE_ZIP_ASSESSMENTS = gettext_noop(
    "This is a zip archive, not a table. Upload the external assessments as .xlsx or .csv."
)
FILE_NOT_TABLE_ASSESSMENTS = gettext_noop(
    "This file is neither an Excel .xlsx workbook nor a CSV text file. Save the external "
    "assessments as .xlsx or .csv."
)
FILE_NO_TABLE_ASSESSMENTS = gettext_noop(
    "No sheet has the header of an external-assessment table in row 1. Use the column names of "
    "the template."
)
HEADER_UNKNOWN_ASSESSMENTS = gettext_noop(
    "The header in row 1 is not that of an external-assessment table. Use the column names of "
    "the template."
)
HEADER_NO_CODE = gettext_noop(
    "The header in row 1 has neither a column “%(code)s” nor a column “%(onesqa)s”. Add one of "
    "them to name the institutions."
)
CODE_REQUIRED = gettext_noop("Give the institution's MOE code or its ONESQA code.")
INSTITUTION_UNKNOWN = gettext_noop("No institution in the registry has the MOE code %(value)s.")
ONESQA_UNKNOWN = gettext_noop("No institution in the registry has the ONESQA code %(value)s.")
CODES_DISAGREE = gettext_noop(
    "The MOE code %(code)s and the ONESQA code %(value)s belong to two different institutions."
)
FISCAL_YEAR_INVALID = gettext_noop(
    "“%(value)s” is not a fiscal year. Write the year in the Buddhist era, for example 2566."
)
DATE_IN_FUTURE = gettext_noop("The assessment date %(date)s has not come yet.")
DUPLICATE_ASSESSMENT = gettext_noop(
    "The assessment of this institution on %(date)s is also in row %(other)s."
)
DUPLICATE_ASSESSMENT_SHEET = gettext_noop(
    "The assessment of this institution on %(date)s is also in sheet “%(sheet)s”, row %(other)s."
)
ASSESSMENTS_CHANGED = gettext_noop(
    "The external assessments changed while this file was being imported. Nothing was saved: "
    "import the file again."
)

LABEL_ASSESSMENTS = gettext_noop("External assessments")
LABEL_INSTITUTIONS = gettext_noop("Institutions in the file")

# The kit's refusals of files that are no table, speaking of assessments.
WORDING = FileWording(
    pdf=FILE_PDF_ASSESSMENTS,
    image=FILE_IMAGE_ASSESSMENTS,
    zip=FILE_ZIP_ASSESSMENTS,
    not_table=FILE_NOT_TABLE_ASSESSMENTS,
)
