"""Adding a new version of a standard set: all or nothing, row-named errors, audited."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from esar.core.models import AuditEvent
from esar.standards.importing import read_standards_file
from esar.standards.models import QualityLevel, Standard, StandardItem, StandardSet
from esar.standards.services import create_standard_set
from esar.standards.tests.files import HEADER, ROWS, csv_bytes, xlsx

URL = "/standards/new/"


def login_en(client, user):
    client.force_login(user)
    client.cookies["esar_language"] = "en"


def form(data: bytes, name: str = "มาตรฐาน 2568.xlsx", **overrides) -> dict:
    fields = {
        "education_level": "basic",
        "version": "2568",
        "effective_from_year": "2569",
        "name_th": "มาตรฐานการศึกษา ระดับการศึกษาขั้นพื้นฐาน พ.ศ. 2568",
        "name_en": "Basic education standards 2568",
        "source_th": "ประกาศกระทรวงศึกษาธิการ พ.ศ. 2568",
        "level_1": "กำลังพัฒนา",
        "level_2": "ปานกลาง",
        "level_3": "ดี",
        "level_4": "ดีเลิศ",
        "level_5": "ยอดเยี่ยม",
        "file": SimpleUploadedFile(name, data),
    }
    fields.update(overrides)
    return fields


def snapshot() -> tuple[int, int, int, int, int]:
    return (
        StandardSet.objects.count(),
        Standard.objects.count(),
        StandardItem.objects.count(),
        QualityLevel.objects.count(),
        AuditEvent.objects.filter(action="standards.set_created").count(),
    )


def refused(client, data: bytes, name: str = "s.xlsx", **overrides) -> str:
    """Post a bad upload; check it changed nothing and return the page."""
    before = snapshot()
    response = client.post(URL, form(data, name, **overrides))
    assert response.status_code == 422
    assert snapshot() == before
    return response.content.decode()


def errors_table(body: str) -> str:
    return body.split('data-testid="file-errors"')[1].split("</table>")[0]


# --- The page ---------------------------------------------------------------------------------


def test_the_page_explains_the_file_and_offers_the_template(client, world):
    login_en(client, world.dla_admin)
    body = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert "มาตรฐานที่" in body and "ประเด็นพิจารณา" in body
    assert reverse("standards:template") in body
    # The five levels of 2561 are offered as they are.
    assert 'value="กำลังพัฒนา"' in body and 'value="ยอดเยี่ยม"' in body


def test_the_template_holds_the_basic_set_as_example(client, world):
    client.force_login(world.dla_admin)
    response = client.get(reverse("standards:template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert list(rows[0]) == HEADER
    assert len(rows) == 1 + 21
    assert rows[1][:6] == (
        "1",
        "คุณภาพของผู้เรียน",
        "Quality of learners",
        "1.1 ผลสัมฤทธิ์ทางวิชาการของผู้เรียน",
        "1.1 Academic achievement of learners",
        "1.1.1",
    )


def test_the_template_of_another_set_on_request(client, world):
    client.force_login(world.dla_admin)
    response = client.get(reverse("standards:template") + "?from=vocational-2561")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 1 + 9


def test_a_non_dla_user_cannot_post_a_new_version(client, world):
    client.force_login(world.cm_school_officer)
    before = snapshot()
    assert client.post(URL, form(xlsx(ROWS))).status_code == 403
    assert snapshot() == before


# --- A good file ------------------------------------------------------------------------------


def test_a_good_workbook_creates_the_set(client, world):
    login_en(client, world.dla_admin)
    response = client.post(URL, form(xlsx(ROWS)))
    assert response.status_code == 302
    assert response["Location"] == "/standards/basic-2568/"
    new = StandardSet.objects.get(code="basic-2568")
    assert (new.education_level, new.version, new.effective_from_year) == ("basic", 2568, 2569)
    assert new.is_active
    assert new.source_th == "ประกาศกระทรวงศึกษาธิการ พ.ศ. 2568"
    assert [(s.number, s.name_th, s.name_en) for s in new.standards.order_by("order")] == [
        ("1", "คุณภาพของผู้เรียน", "Quality of learners"),
        ("2", "การบริหารจัดการ", "Management"),
    ]
    items = list(
        StandardItem.objects.filter(standard__standard_set=new).order_by("standard__order", "order")
    )
    assert [(i.number, i.group_th, i.name_th) for i in items] == [
        ("1.1.1", "1.1 ผลสัมฤทธิ์", "อ่านออกเขียนได้"),
        ("1.1.2", "1.1 ผลสัมฤทธิ์", "คิดคำนวณได้"),
        ("2.1", "", "มีแผนพัฒนาคุณภาพ"),
    ]
    assert [(q.rank, q.name_th, q.name_en) for q in new.quality_levels.order_by("rank")] == [
        (1, "กำลังพัฒนา", "Developing"),
        (2, "ปานกลาง", "Fair"),
        (3, "ดี", "Good"),
        (4, "ดีเลิศ", "Very good"),
        (5, "ยอดเยี่ยม", "Excellent"),
    ]
    event = AuditEvent.objects.get(action="standards.set_created")
    assert event.actor == world.dla_admin
    assert event.object_id == str(new.pk)
    assert event.data["items"] == 3 and event.data["file"] == "มาตรฐาน 2568.xlsx"
    body = client.get(response["Location"]).content.decode()
    assert "was created with 2 standards and 3 items" in body
    # The 2561 set still applies to the years before 2569.
    assert StandardSet.objects.in_force("basic", 2568).code == "basic-2561"
    assert StandardSet.objects.in_force("basic", 2569) == new


def test_a_csv_in_thai_windows_encoding_creates_the_set(client, world):
    login_en(client, world.dla_admin)
    data = csv_bytes(ROWS, encoding="cp874")
    response = client.post(URL, form(data, "standards.csv", education_level="vocational"))
    assert response.status_code == 302
    new = StandardSet.objects.get(code="vocational-2568")
    assert StandardItem.objects.filter(standard__standard_set=new).count() == 3


def test_the_downloaded_template_uploads_as_a_new_version(client, world):
    login_en(client, world.dla_admin)
    template = client.get(reverse("standards:template")).content
    response = client.post(URL, form(template, "template.xlsx"))
    assert response.status_code == 302
    new = StandardSet.objects.get(code="basic-2568")
    assert new.standards.count() == 3
    assert StandardItem.objects.filter(standard__standard_set=new).count() == 21
    assert (
        StandardItem.objects.filter(standard__standard_set=new, group_th__startswith="1.2").count()
        == 4
    )


def test_thai_text_with_odd_spacing_is_cleaned(client, world):
    login_en(client, world.dla_admin)
    rows = [
        [
            "1",
            "  คุณภาพ\u00a0ของ  ผู้เรียน ",
            "",
            "\u200b1.1  ผลสัมฤทธิ์ ",
            "",
            " 1.1.1 ",
            "การคิดค\u0e4d\u0e32นวณ\u200b",
            "",
        ],
        ["๒", "การบริหาร\tจัดการ", "", "", "", "๒.๑", "มี แผน", ""],
    ]
    response = client.post(
        URL,
        form(
            xlsx(rows),
            name_th="  มาตรฐาน\u00a0ใหม่  ",
            level_3=" ดี\u200b ",
        ),
    )
    assert response.status_code == 302
    new = StandardSet.objects.get(code="basic-2568")
    assert new.name_th == "มาตรฐาน ใหม่"
    first = StandardItem.objects.get(standard__standard_set=new, number="1.1.1")
    assert first.standard.name_th == "คุณภาพ ของ ผู้เรียน"
    assert first.group_th == "1.1 ผลสัมฤทธิ์"
    assert first.name_th == "การคิดคำนวณ"
    second = StandardItem.objects.get(standard__standard_set=new, number="2.1")
    assert second.standard.number == "2"
    assert second.standard.name_th == "การบริหาร จัดการ"
    assert new.quality_levels.get(rank=3).name_th == "ดี"
    assert new.quality_levels.get(rank=3).name_en == "Good"


def test_renamed_quality_levels_are_kept(client, world):
    login_en(client, world.dla_admin)
    response = client.post(URL, form(xlsx(ROWS), level_5="ดีเยี่ยม"))
    assert response.status_code == 302
    levels = StandardSet.objects.get(code="basic-2568").quality_levels.order_by("rank")
    assert [q.name_th for q in levels][-1] == "ดีเยี่ยม"
    assert levels.get(rank=5).name_en == ""  # no English name is guessed for a new name
    assert levels.get(rank=1).name_en == "Developing"


# --- Bad files and forms: nothing is created ----------------------------------------------------


def test_a_missing_item_name_is_refused_naming_the_row(client, world):
    login_en(client, world.dla_admin)
    rows = [list(row) for row in ROWS]
    rows[1][6] = "   "
    table = errors_table(refused(client, xlsx(rows)))
    assert "<td>3</td><td>ประเด็นพิจารณา</td><td>A value is required.</td>" in table


def test_a_duplicate_item_number_is_refused_naming_both_rows(client, world):
    login_en(client, world.dla_admin)
    rows = [*ROWS, ["2", "", "", "", "", "2.1", "ซ้ำ", ""]]
    table = errors_table(refused(client, csv_bytes(rows), "s.csv"))
    assert "<td>5</td><td>ประเด็นที่</td>" in table
    assert "The item 2.1 is also in row 4." in table


def test_a_text_file_named_xlsx_is_refused(client, world):
    login_en(client, world.dla_admin)
    body = refused(client, csv_bytes(ROWS), "standards.xlsx")
    assert "is named .xlsx but is not an Excel workbook" in errors_table(body)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n...", "This file is not a table"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97-2003"),
        (b"PK\x03\x04broken", "cannot be read"),
        (csv_bytes([]), "no rows of data"),
        (csv_bytes(ROWS, header=["a", "b"]), "Row 1 is not the header"),
        ("มาตรฐาน".encode("utf-16"), "neither UTF-8 nor Thai Windows"),
    ],
)
def test_files_that_are_not_tables_of_standards_are_refused(client, world, data, message):
    login_en(client, world.dla_admin)
    assert message in errors_table(refused(client, data, "s.csv"))


def test_a_missing_required_column_is_named(client, world):
    login_en(client, world.dla_admin)
    header = HEADER[:6] + ["หมายเหตุ", "ประเด็นพิจารณา (อังกฤษ)"]
    table = errors_table(refused(client, xlsx(ROWS, header=header)))
    assert "no column “ประเด็นพิจารณา”" in table


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["3", "ใหม่", "", "", "", "2.2", "ประเด็น", ""], "ประเด็นที่", "does not belong to standard 3"),
        (["3", "ใหม่", "", "", "", "3.ก", "ประเด็น", ""], "ประเด็นที่", "is not a number"),
        (["", "ใหม่", "", "", "", "3.1", "ประเด็น", ""], "มาตรฐานที่", "A value is required."),
        (["3", "", "", "", "", "3.1", "ประเด็น", ""], "ชื่อมาตรฐาน", "must give its name in Thai"),
        (["3", "ใหม่", "", "", "", "3.1", "ก" * 501, ""], "ประเด็นพิจารณา", "too long"),
    ],
)
def test_a_bad_row_is_refused_naming_its_column(client, world, row, column, message):
    login_en(client, world.dla_admin)
    body = refused(client, xlsx([*ROWS, row]))
    assert "1 error." in body
    table = errors_table(body)
    assert f"<td>5</td><td>{column}</td>" in table
    assert message in table


def test_a_standard_named_differently_on_a_later_row_is_refused(client, world):
    login_en(client, world.dla_admin)
    rows = [*ROWS, ["2", "การบริหาร", "", "", "", "2.2", "ประเด็น", ""]]
    table = errors_table(refused(client, xlsx(rows)))
    assert "<td>5</td><td>ชื่อมาตรฐาน</td>" in table
    assert "in row 4" in table


def test_every_bad_row_is_listed_at_once(client, world):
    login_en(client, world.dla_admin)
    rows = [list(row) for row in ROWS]
    rows[0][5] = ""
    rows[2][6] = ""
    body = refused(client, xlsx(rows))
    assert "2 errors" in body
    table = errors_table(body)
    assert table.index("<td>2</td>") < table.index("<td>4</td>")


def test_a_duplicate_version_is_refused_with_a_clear_message(client, world):
    login_en(client, world.dla_admin)
    body = refused(client, xlsx(ROWS), version="2561")
    assert "A standard set of Basic education, version 2561, already exists" in body
    assert StandardSet.objects.get(code="basic-2561").standards.count() == 3


def test_a_bad_form_and_a_bad_file_are_reported_together(client, world):
    login_en(client, world.dla_admin)
    rows = [list(row) for row in ROWS]
    rows[1][6] = ""
    body = refused(client, xlsx(rows), version="2561")
    assert "already exists" in body
    assert "<td>3</td><td>ประเด็นพิจารณา</td>" in errors_table(body)


def test_the_same_version_of_another_level_is_a_different_set(client, world):
    login_en(client, world.dla_admin)
    assert client.post(URL, form(xlsx(ROWS))).status_code == 302
    response = client.post(URL, form(xlsx(ROWS), education_level="early_childhood"))
    assert response.status_code == 302
    assert StandardSet.objects.filter(version=2568).count() == 2
    assert response["Location"] == "/standards/early-childhood-2568/"


@pytest.mark.parametrize(
    "overrides",
    [
        {"version": "1999"},
        {"effective_from_year": "25690"},
        {"education_level": "university"},
        {"name_th": "   "},
        {"level_2": "\u200b"},
    ],
)
def test_a_bad_form_creates_nothing(client, world, overrides):
    login_en(client, world.dla_admin)
    body = refused(client, xlsx(ROWS), **overrides)
    assert "is-invalid" in body


# --- The service --------------------------------------------------------------------------------


def parsed_rows():
    parsed = read_standards_file(io.BytesIO(xlsx(ROWS)), "s.xlsx")
    assert not parsed.errors
    return parsed.standards


def test_the_service_is_for_dla_administrators_only(world):
    with pytest.raises(PermissionDenied):
        create_standard_set(
            actor=world.dla_analyst,
            education_level="basic",
            version=2568,
            effective_from_year=2568,
            name_th="ชุดใหม่",
            standards=parsed_rows(),
        )
    assert not StandardSet.objects.filter(code="basic-2568").exists()


def test_the_service_refuses_a_duplicate_version_and_levels_without_names(world):
    with pytest.raises(ValidationError, match="already exists"):
        create_standard_set(
            actor=world.dla_admin,
            education_level="early_childhood",
            version=2561,
            effective_from_year=2568,
            name_th="ชุดซ้ำ",
            standards=parsed_rows(),
        )
    with pytest.raises(ValidationError):
        create_standard_set(
            actor=world.dla_admin,
            education_level="basic",
            version=2568,
            effective_from_year=2568,
            name_th="ชุดใหม่",
            standards=parsed_rows(),
            quality_levels=[("ดี", ""), ("ดี", "")],
        )
    assert StandardSet.objects.count() == 3
    assert not AuditEvent.objects.filter(action="standards.set_created").exists()
