"""The registry import service: a good file creates or updates, a bad file changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from esar.core.models import AuditEvent
from esar.core.tabular import MAX_ERRORS
from esar.organizations.importing import build_template, import_registry
from esar.organizations.models import (
    Institution,
    InstitutionKind,
    LaoType,
    LaoTypeChange,
    LocalAuthority,
)

# --- Files made in the tests: .xlsx workbooks and CSV in the encodings Thai offices use -------

LAO_HEADER = ["รหัส อปท.", "ชื่อ อปท.", "จังหวัด", "ประเภท อปท.", "อำเภอ", "วันที่เปลี่ยนประเภท"]
INSTITUTION_HEADER = [
    "รหัสสถานศึกษา",
    "รหัส สมศ.",
    "ชื่อสถานศึกษา",
    "ประเภทสถานศึกษา",
    "รหัส อปท. ต้นสังกัด",
    "ระดับที่เปิดสอน",
    "อำเภอ",
]

# Two new LAOs in Chiang Mai (50) and Lamphun (51), and the existing SAO of the world unchanged.
LAO_ROWS = [
    ["6510407", "เทศบาลตำบลบ้านธิ", "ลำพูน", "เทศบาลตำบล", "บ้านธิ", ""],
    ["5500201", "องค์การบริหารส่วนจังหวัดเชียงใหม่", "50", "อบจ.", "เมืองเชียงใหม่", ""],
    ["6500102", "องค์การบริหารส่วนตำบลบ้านป่าสัก", "เชียงใหม่", "อบต.", "", ""],
]
INSTITUTION_ROWS = [
    ["3051000001", "51000001", "โรงเรียนเทศบาลบ้านธิ", "โรงเรียน", "6510407", "ปฐมวัย, ขั้นพื้นฐาน", "บ้านธิ"],
    ["3051000002", "", "ศูนย์พัฒนาเด็กเล็กบ้านธิ", "ศูนย์พัฒนาเด็กเล็ก", "6510407", "ปฐมวัย", "บ้านธิ"],
    ["3050000201", "", "วิทยาลัยเทคนิค อบจ.เชียงใหม่", "วิทยาลัย", "5500201", "อาชีวศึกษา", ""],
]


def xlsx(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def good_workbook() -> bytes:
    # The institution sheet comes first on purpose: LAOs must still be saved before them.
    return xlsx(
        {
            "สถานศึกษา": [INSTITUTION_HEADER, *INSTITUTION_ROWS],
            "อปท.": [LAO_HEADER, *LAO_ROWS],
        }
    )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(data: bytes, *, actor=None, filename: str = "registry.xlsx", dry_run: bool = False):
    return import_registry(source=io.BytesIO(data), filename=filename, actor=actor, dry_run=dry_run)


def registry_state() -> tuple:
    """Everything an import may touch, to prove that a refused file changed nothing."""
    return (
        list(LocalAuthority.objects.order_by("code").values_list()),
        list(Institution.objects.order_by("code").values_list()),
        list(LaoTypeChange.objects.order_by("pk").values_list()),
        AuditEvent.objects.count(),
    )


def only_error(result):
    assert not result.ok
    assert result.error_count == len(result.errors) == 1, [e.message for e in result.errors]
    return result.errors[0]


# --- Good files -------------------------------------------------------------------------------


def test_it_creates_laos_and_institutions_from_a_workbook_with_both_sheets(world):
    result = run(good_workbook(), actor=world.dla_admin)

    assert result.ok
    assert (result.laos.created, result.laos.updated, result.laos.unchanged) == (2, 0, 1)
    assert (result.institutions.created, result.institutions.updated) == (3, 0)
    lamphun = LocalAuthority.objects.get(code="6510407")
    assert lamphun.name_th == "เทศบาลตำบลบ้านธิ"
    assert lamphun.province_id == "51"
    assert lamphun.lao_type == LaoType.SUBDISTRICT_MUNICIPALITY
    assert lamphun.district == "บ้านธิ"
    school = Institution.objects.get(code="3051000001")
    assert school.lao == lamphun
    assert school.onesqa_code == "51000001"
    assert school.kind == InstitutionKind.SCHOOL
    assert (school.teaches_early_childhood, school.teaches_basic, school.teaches_vocational) == (
        True,
        True,
        False,
    )
    college = Institution.objects.get(code="3050000201")
    assert college.lao.code == "5500201"
    assert college.teaches_vocational and not college.teaches_basic
    # A new LAO starts its type history; the unchanged SAO gets none.
    initial = LaoTypeChange.objects.get(lao=lamphun)
    assert (initial.from_type, initial.to_type, initial.source) == (
        "",
        "subdistrict_municipality",
        "import",
    )
    assert initial.recorded_by == world.dla_admin
    assert not LaoTypeChange.objects.filter(lao=world.cm_sao).exists()
    # One audit event per created object, and one summary.
    assert AuditEvent.objects.filter(action="lao.created").count() == 2
    assert AuditEvent.objects.filter(action="institution.created").count() == 3
    summary = AuditEvent.objects.get(action="registry.imported")
    assert summary.actor == world.dla_admin
    assert summary.data["file"] == "registry.xlsx"
    assert summary.data["laos"] == {"created": 2, "updated": 0, "unchanged": 1}


def test_importing_the_same_file_again_changes_nothing(world):
    run(good_workbook(), actor=world.dla_admin)
    before = list(LocalAuthority.objects.order_by("code").values_list("code", "updated_at"))
    before_institutions = list(
        Institution.objects.order_by("code").values_list("code", "updated_at")
    )
    changes = AuditEvent.objects.exclude(action="registry.imported").count()

    result = run(good_workbook(), actor=world.dla_admin)

    assert result.ok
    assert (result.laos.created, result.laos.updated, result.laos.unchanged) == (0, 0, 3)
    assert (result.institutions.created, result.institutions.updated) == (0, 0)
    assert result.institutions.unchanged == 3
    assert list(LocalAuthority.objects.order_by("code").values_list("code", "updated_at")) == before
    assert (
        list(Institution.objects.order_by("code").values_list("code", "updated_at"))
        == before_institutions
    )
    assert AuditEvent.objects.exclude(action="registry.imported").count() == changes
    assert LaoTypeChange.objects.filter(from_type__gt="").count() == 0


def test_a_changed_file_updates_and_records_the_lao_type_change(world):
    old_updated = LocalAuthority.objects.get(code="6500102").updated_at
    upgraded = [
        LAO_HEADER,
        ["6500102", "เทศบาลตำบลบ้านป่าสัก", "เชียงใหม่", "เทศบาลตำบล", "สันทราย", "1/10/2566"],
    ]

    result = run(csv_bytes(upgraded), actor=world.dla_admin, filename="upgrade.csv")

    assert result.ok, [e.message for e in result.errors]
    assert (result.laos.created, result.laos.updated) == (0, 1)
    assert result.type_changes == 1
    lao = LocalAuthority.objects.get(code="6500102")
    assert lao.name_th == "เทศบาลตำบลบ้านป่าสัก"
    assert lao.lao_type == LaoType.SUBDISTRICT_MUNICIPALITY
    assert lao.district == "สันทราย"
    assert lao.updated_at > old_updated
    change = LaoTypeChange.objects.get(lao=lao)
    assert (change.from_type, change.to_type) == ("sao", "subdistrict_municipality")
    assert change.effective_date == dt.date(2023, 10, 1)
    assert change.recorded_by == world.dla_admin
    assert change.source == "import"
    event = AuditEvent.objects.get(action="lao.updated")
    assert event.object_id == str(lao.pk)
    assert event.data["changes"]["lao_type"] == ["sao", "subdistrict_municipality"]
    # Its institutions are untouched.
    assert Institution.objects.get(code="3050000002").lao == lao


def test_institution_moves_to_another_lao_and_changes_levels(world):
    rows = [
        INSTITUTION_HEADER,
        ["3050000002", "", "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก", "ศพด.", "2500101", "ปฐมวัย ขั้นพื้นฐาน", ""],
    ]
    result = run(csv_bytes(rows), actor=world.dla_admin, filename="move.csv")

    assert result.ok, [e.message for e in result.errors]
    centre = Institution.objects.get(code="3050000002")
    assert centre.lao == world.cm_city
    assert centre.teaches_basic
    event = AuditEvent.objects.get(action="institution.updated")
    assert event.data["changes"]["lao"] == ["6500102", "2500101"]


def test_an_optional_column_left_out_keeps_the_stored_values(world):
    # No ONESQA code and no district column: the school keeps its ONESQA code.
    rows = [
        ["code", "name_th", "kind", "lao_code", "levels"],
        ["3050000001", "โรงเรียนเทศบาลดอยคำวิทยา", "school", "2500101", "early_childhood, basic"],
    ]
    result = run(csv_bytes(rows), filename="english.csv")

    assert result.ok, [e.message for e in result.errors]
    assert result.institutions.unchanged == 1
    assert Institution.objects.get(code="3050000001").onesqa_code == "50000001"


def test_english_headers_and_keys_are_accepted(world):
    rows = [
        ["code", "name_th", "name_en", "province", "lao_type", "district", "type_effective_date"],
        [
            "4400301",
            "เทศบาลเมืองบ้านไผ่",
            "Ban Phai Town",
            "Khon Kaen",
            "town",
            "Ban Phai",
            "2023-10-01",
        ],
        ["2400401", "เทศบาลนครขอนแก่น", "Khon Kaen City", "40", "City municipality", "", ""],
    ]
    result = run(csv_bytes(rows), filename="laos.csv")

    assert result.ok, [e.message for e in result.errors]
    ban_phai = LocalAuthority.objects.get(code="4400301")
    assert (ban_phai.name_en, ban_phai.province_id, ban_phai.lao_type) == (
        "Ban Phai Town",
        "40",
        LaoType.TOWN_MUNICIPALITY,
    )
    assert LaoTypeChange.objects.get(lao=ban_phai).effective_date == dt.date(2023, 10, 1)
    assert LocalAuthority.objects.get(code="2400401").lao_type == LaoType.CITY_MUNICIPALITY


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp874"])
def test_csv_in_utf8_with_or_without_bom_and_in_thai_windows_encoding(world, encoding):
    data = csv_bytes([LAO_HEADER, *LAO_ROWS], encoding)

    result = run(data, filename="laos.csv")

    assert result.ok, [e.message for e in result.errors]
    assert result.file_format == "csv"
    assert result.laos.created == 2
    assert LocalAuthority.objects.get(code="5500201").name_th == "องค์การบริหารส่วนจังหวัดเชียงใหม่"


def test_a_semicolon_separated_csv_is_read(world):
    text = "\r\n".join(";".join(row) for row in [LAO_HEADER, *LAO_ROWS[:1]])
    result = run(text.encode("utf-8"), filename="laos.csv")
    assert result.ok, [e.message for e in result.errors]
    assert LocalAuthority.objects.filter(code="6510407").exists()


def test_thai_text_with_odd_spacing_is_stored_clean(world):
    rows = [
        LAO_HEADER,
        [" 6510407\u200b", "  เทศบาล  ตำบล\u200bบ้านธิ ", " ลำพูน ", "เทศบาล  ตำบล", "บ้าน\u00a0ธิ", ""],
    ]
    result = run(csv_bytes(rows), filename="spaces.csv")

    assert result.ok, [e.message for e in result.errors]
    lao = LocalAuthority.objects.get(code="6510407")
    assert lao.name_th == "เทศบาล ตำบลบ้านธิ"
    assert lao.lao_type == LaoType.SUBDISTRICT_MUNICIPALITY
    assert lao.district == "บ้าน ธิ"


def test_codes_typed_as_numbers_in_excel_are_read_as_codes(world):
    data = xlsx({"อปท.": [LAO_HEADER, [6510407, "เทศบาลตำบลบ้านธิ", 51, "ทต.", "บ้านธิ", None]]})
    result = run(data)
    assert result.ok, [e.message for e in result.errors]
    assert LocalAuthority.objects.get(code="6510407").province_id == "51"


def test_an_effective_date_typed_as_an_excel_date_in_the_buddhist_era(world):
    data = xlsx(
        {
            "อปท.": [
                LAO_HEADER,
                ["6500102", "อบต.บ้านป่าสัก", "50", "เทศบาลตำบล", "", dt.date(2566, 10, 1)],
            ]
        }
    )
    result = run(data)
    assert result.ok, [e.message for e in result.errors]
    assert LaoTypeChange.objects.get(lao=world.cm_sao).effective_date == dt.date(2023, 10, 1)


def test_onesqa_codes_may_swap_between_two_institutions_of_the_file(world):
    world.cm_centre.onesqa_code = "50000002"
    world.cm_centre.save()
    rows = [
        INSTITUTION_HEADER,
        [
            "3050000001",
            "50000002",
            "โรงเรียนเทศบาลดอยคำวิทยา",
            "โรงเรียน",
            "2500101",
            "ปฐมวัย ขั้นพื้นฐาน",
            "",
        ],
        ["3050000002", "50000001", "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก", "ศูนย์พัฒนาเด็กเล็ก", "6500102", "ปฐมวัย", ""],
    ]
    result = run(csv_bytes(rows), filename="swap.csv")

    assert result.ok, [e.message for e in result.errors]
    assert Institution.objects.get(code="3050000001").onesqa_code == "50000002"
    assert Institution.objects.get(code="3050000002").onesqa_code == "50000001"
    event = AuditEvent.objects.get(action="institution.updated", object_id=str(world.cm_school.pk))
    assert event.data["changes"]["onesqa_code"] == ["50000001", "50000002"]


def test_a_dry_run_counts_but_saves_nothing(world):
    before = registry_state()
    result = run(good_workbook(), dry_run=True)
    assert result.ok
    assert result.dry_run
    assert result.laos.created == 2
    assert result.institutions.created == 3
    assert registry_state() == before


def test_the_downloadable_template_imports_as_it_is(world):
    result = run(build_template(), filename="template.xlsx")
    assert result.ok, [e.message for e in result.errors]
    assert (result.laos.created, result.institutions.created) == (1, 1)
    assert Institution.objects.get(code="3050099999").lao.code == "6500199"


def test_a_sheet_of_notes_beside_the_registry_is_ignored(world):
    data = xlsx({"คำอธิบาย": [["กรอกข้อมูลในแผ่นงานถัดไป"]], "อปท.": [LAO_HEADER, LAO_ROWS[0]]})
    result = run(data)
    assert result.ok, [e.message for e in result.errors]
    assert result.laos.created == 1


# --- Bad files: nothing changes, and the message says where and why -------------------------------


def test_a_missing_code_is_refused_naming_the_row_and_column(world):
    before = registry_state()
    rows = [LAO_HEADER, LAO_ROWS[0], ["", "เทศบาลตำบลไม่มีรหัส", "ลำพูน", "ทต.", "", ""]]

    result = run(csv_bytes(rows), filename="laos.csv")

    error = only_error(result)
    assert (error.row, error.column) == (3, "รหัส อปท.")
    assert error.message == "Row 3, column “รหัส อปท.”: A value is required."
    assert registry_state() == before


def test_an_unknown_province_is_refused(world):
    before = registry_state()
    rows = [LAO_HEADER, ["6510407", "เทศบาลตำบลบ้านธิ", "ลำภูน", "ทต.", "", ""]]

    error = only_error(run(csv_bytes(rows), filename="laos.csv"))

    assert (error.row, error.column) == (2, "จังหวัด")
    assert "“ลำภูน” is not a province" in error.message
    assert registry_state() == before


def test_an_lao_code_without_a_province_in_digits_two_and_three_is_refused(world):
    rows = [LAO_HEADER, ["6990407", "เทศบาลตำบลบ้านธิ", "ลำพูน", "ทต.", "", ""]]
    error = only_error(run(csv_bytes(rows), filename="laos.csv"))
    assert (error.row, error.column) == (2, "รหัส อปท.")
    assert "“99” is not a province" in error.message


def test_a_duplicate_code_names_both_rows(world):
    before = registry_state()
    rows = [LAO_HEADER, LAO_ROWS[0], LAO_ROWS[1], LAO_ROWS[0]]

    error = only_error(run(csv_bytes(rows), filename="laos.csv"))

    assert (error.row, error.column) == (4, "รหัส อปท.")
    assert error.message == "Row 4, column “รหัส อปท.”: The code 6510407 is also in row 2."
    assert registry_state() == before


def test_a_code_with_a_space_inside_is_refused_even_when_names_are_cleaned(world):
    before = registry_state()
    rows = [LAO_HEADER, ["65 10407", "  เทศบาล  ตำบล\u200bบ้านธิ", "ลำพูน", "ทต.", "", ""]]

    error = only_error(run(csv_bytes(rows), filename="laos.csv"))

    assert (error.row, error.column) == (2, "รหัส อปท.")
    assert "has a space inside" in error.message
    assert registry_state() == before


def test_unknown_type_kind_and_level_are_refused(world):
    before = registry_state()
    data = xlsx(
        {
            "อปท.": [LAO_HEADER, ["6510407", "เทศบาลตำบลบ้านธิ", "ลำพูน", "สุขาภิบาล", "", ""]],
            "สถานศึกษา": [
                INSTITUTION_HEADER,
                ["3051000001", "", "โรงเรียนบ้านธิ", "มหาวิทยาลัย", "6510407", "ประถม", ""],
            ],
        }
    )

    result = run(data)

    assert not result.ok
    where = {(e.sheet, e.row, e.column) for e in result.errors}
    assert where == {
        ("อปท.", 2, "ประเภท อปท."),
        ("สถานศึกษา", 2, "ประเภทสถานศึกษา"),
        ("สถานศึกษา", 2, "ระดับที่เปิดสอน"),
    }
    messages = " ".join(e.message for e in result.errors)
    assert "Sheet “อปท.”, row 2, column “ประเภท อปท.”: “สุขาภิบาล” is not a type of LAO" in messages
    assert "“ประถม” is not a level of education" in messages
    assert registry_state() == before


def test_an_institution_whose_lao_is_nowhere_is_refused(world):
    before = registry_state()
    rows = [
        INSTITUTION_HEADER,
        ["3051000001", "", "โรงเรียนบ้านธิ", "โรงเรียน", "6510407", "ขั้นพื้นฐาน", ""],
    ]

    error = only_error(run(csv_bytes(rows), filename="schools.csv"))

    assert (error.row, error.column) == (2, "รหัส อปท. ต้นสังกัด")
    assert "The LAO 6510407 is neither in the registry nor in this file" in error.message
    assert registry_state() == before


def test_an_onesqa_code_of_another_institution_is_refused(world):
    before = registry_state()
    rows = [
        INSTITUTION_HEADER,
        ["3050000002", "50000001", "ศูนย์พัฒนาเด็กเล็กบ้านป่าสัก", "ศูนย์พัฒนาเด็กเล็ก", "6500102", "ปฐมวัย", ""],
    ]

    error = only_error(run(csv_bytes(rows), filename="schools.csv"))

    assert (error.row, error.column) == (2, "รหัส สมศ.")
    assert "50000001 already belongs to 3050000001" in error.message
    assert registry_state() == before


def test_an_onesqa_code_twice_in_the_file_is_refused(world):
    rows = [
        INSTITUTION_HEADER,
        ["3050000009", "77000001", "โรงเรียนหนึ่ง", "โรงเรียน", "2500101", "ขั้นพื้นฐาน", ""],
        ["3050000008", "77000001", "โรงเรียนสอง", "โรงเรียน", "2500101", "ขั้นพื้นฐาน", ""],
    ]
    error = only_error(run(csv_bytes(rows), filename="schools.csv"))
    assert (error.row, error.column) == (3, "รหัส สมศ.")
    assert "is also in row 2" in error.message


def test_a_header_without_a_required_column_says_which(world):
    before = registry_state()
    rows = [["รหัส อปท.", "ชื่อ อปท.", "จังหวัด"], ["6510407", "เทศบาลตำบลบ้านธิ", "ลำพูน"]]

    error = only_error(run(csv_bytes(rows), filename="laos.csv"))

    assert error.row == 1
    assert "no column “ประเภท อปท.”" in error.message
    assert registry_state() == before


def test_a_header_of_neither_kind_is_refused(world):
    rows = [["ลำดับ", "หมายเหตุ"], ["1", "ทดสอบ"]]
    error = only_error(run(csv_bytes(rows), filename="other.csv"))
    assert "neither that of an LAO table nor of an institution table" in error.message


def test_one_bad_row_among_good_ones_changes_nothing(world):
    before = registry_state()
    data = xlsx(
        {
            "อปท.": [LAO_HEADER, *LAO_ROWS],
            "สถานศึกษา": [
                INSTITUTION_HEADER,
                *INSTITUTION_ROWS,
                ["3051000003", "", "โรงเรียนไม่มีระดับ", "โรงเรียน", "6510407", "", ""],
            ],
        }
    )

    error = only_error(run(data))

    assert (error.sheet, error.row, error.column) == ("สถานศึกษา", 5, "ระดับที่เปิดสอน")
    assert registry_state() == before


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(50)
OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
GARBAGE = bytes((i * 7919 + 13) % 256 for i in range(3000))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "This is a PDF file"),
        (PNG, "This is an image"),
        (OLD_XLS, "save it as “Excel Workbook (.xlsx)”"),
        (GARBAGE, "neither an Excel .xlsx workbook nor a CSV text file"),
        (b"", "The file is empty."),
        (b"PK\x03\x04" + bytes(100), "cannot be read; it may be damaged"),
    ],
    ids=["pdf", "image", "old-xls", "garbage", "empty", "broken-zip"],
)
def test_a_file_that_is_not_a_table_is_refused_whatever_its_name(world, data, expected):
    before = registry_state()
    error = only_error(run(data, filename="registry.xlsx"))
    assert expected in error.message
    assert error.row is None
    assert registry_state() == before


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    error = only_error(run(buffer.getvalue()))
    assert "zip archive" in error.message


def test_a_file_with_a_header_but_no_rows_is_refused(world):
    error = only_error(run(csv_bytes([LAO_HEADER, ["", "", ""]]), filename="laos.csv"))
    assert "no rows of data" in error.message
    error = only_error(run(xlsx({"อปท.": [LAO_HEADER]})))
    assert "no rows of data" in error.message


def test_text_in_an_unknown_encoding_is_refused(world):
    data = "\t".join(LAO_HEADER).encode("utf-16")
    error = only_error(run(data, filename="laos.csv"))
    assert "neither UTF-8 nor Thai Windows" in error.message


def test_the_error_list_is_cut_at_a_limit_but_counts_every_error(world):
    rows = [LAO_HEADER] + [
        ["", f"อปท. {n}", "ลำพูน", "ทต.", "", ""] for n in range(MAX_ERRORS + 100)
    ]
    result = run(csv_bytes(rows), filename="laos.csv")
    assert result.error_count == MAX_ERRORS + 100
    assert len(result.errors) == MAX_ERRORS
    assert result.errors[0].row == 2
    assert "refused: 600 errors" in result.summary_lines()[0]


# --- The management command ---------------------------------------------------------------------


def test_the_command_imports_a_good_file_and_prints_a_summary(world, tmp_path):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(good_workbook())
    out = io.StringIO()

    call_command("import_registry", str(path), "--user", "dla.admin", stdout=out)

    assert "Local authorities: 2 created, 0 updated, 1 unchanged." in out.getvalue()
    assert "Institutions: 3 created, 0 updated, 0 unchanged." in out.getvalue()
    assert LocalAuthority.objects.filter(code="6510407").exists()
    assert AuditEvent.objects.get(action="registry.imported").actor == world.dla_admin


def test_the_command_dry_run_saves_nothing(world, tmp_path):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(good_workbook())
    before = registry_state()
    out = io.StringIO()
    call_command("import_registry", str(path), "--dry-run", stdout=out)
    assert "Checked only: nothing was saved." in out.getvalue()
    assert registry_state() == before


def test_the_command_fails_on_a_bad_file_and_lists_the_errors(world, tmp_path):
    path = tmp_path / "laos.csv"
    path.write_bytes(csv_bytes([LAO_HEADER, ["", "เทศบาลตำบลไม่มีรหัส", "ลำพูน", "ทต.", "", ""]]))
    before = registry_state()
    err = io.StringIO()

    with pytest.raises(CommandError, match="refused: 1 error[.]"):
        call_command("import_registry", str(path), stderr=err)

    assert "Row 2, column “รหัส อปท.”: A value is required." in err.getvalue()
    assert registry_state() == before


def test_rows_of_a_good_sheet_are_checked_even_when_another_sheet_has_a_bad_header(world):
    data = xlsx(
        {
            "อปท.": [LAO_HEADER, ["6510407", "เทศบาลตำบลบ้านธิ", "ลำภูน", "ทต.", "", ""]],
            "สถานศึกษา": [["รหัสสถานศึกษา", "ชื่อสถานศึกษา"], ["3051000001", "โรงเรียนบ้านธิ"]],
        }
    )
    result = run(data)
    where = [(e.sheet, e.row, e.column) for e in result.errors]
    assert ("อปท.", 2, "จังหวัด") in where
    assert ("สถานศึกษา", 1, "") in where
    assert any("no column “ระดับที่เปิดสอน”" in e.message for e in result.errors)


def _many(n: int) -> bytes:
    laos = [[f"65100{i:02d}", f"เทศบาลตำบลที่ {i}", "51", "ทต.", "", ""] for i in range(n)]
    institutions = [
        [
            f"30510{i:05d}",
            f"5100{i:04d}",
            f"โรงเรียนที่ {i}",
            "โรงเรียน",
            f"65100{i:02d}",
            "ขั้นพื้นฐาน",
            "",
        ]
        for i in range(n)
    ]
    return xlsx({"อปท.": [LAO_HEADER, *laos], "สถานศึกษา": [INSTITUTION_HEADER, *institutions]})


def test_the_number_of_queries_does_not_grow_with_the_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert run(_many(5)).ok
    Institution.objects.filter(code__startswith="30510").delete()
    LocalAuthority.objects.filter(code__startswith="65100").delete()
    with CaptureQueriesContext(connection) as many:
        assert run(_many(90)).ok
    # Only SQLite's limit on parameters may split a bulk insert into a few batches.
    assert len(many) <= len(few) + 4
    # Re-importing compares and writes nothing but the summary.
    with CaptureQueriesContext(connection) as again:
        result = run(_many(90))
    assert result.institutions.unchanged == 90
    assert len(again) < len(many)
