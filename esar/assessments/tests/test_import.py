"""The import of external assessments: a good file creates or updates, a bad one changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from esar.assessments.importing import build_template, import_assessments
from esar.assessments.models import ExternalAssessment
from esar.core.models import AuditEvent
from esar.organizations.tests.test_import import csv_bytes, xlsx
from esar.testing.years import assess

HEADER = ["รหัสสถานศึกษา", "รหัส สมศ.", "รอบการประเมิน", "ปีงบประมาณ", "วันที่ประเมิน", "ผลการประเมิน"]
ROWS = [
    ["3050000001", "", "4", "2561", "20/1/2561", "ดีมาก"],
    ["3050000001", "", "SAR", "2564", "16/5/2564", "ดี"],
    ["", "40000001", "4", "2560", "2017-02-14", "ดี"],
    ["3050000002", "", "", "", "3/9/2567", ""],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def good_file() -> bytes:
    return xlsx({"สมศ.": [HEADER, *ROWS]})


def run(data: bytes, *, actor=None, filename: str = "onesqa.xlsx", dry_run: bool = False):
    return import_assessments(
        source=io.BytesIO(data), filename=filename, actor=actor, dry_run=dry_run
    )


def state() -> tuple:
    """Everything an import may touch, to prove that a refused file changed nothing."""
    return (
        list(ExternalAssessment.objects.order_by("pk").values_list()),
        AuditEvent.objects.count(),
    )


def only_error(result):
    assert not result.ok
    assert result.error_count == len(result.errors) == 1, [e.message for e in result.errors]
    return result.errors[0]


# --- Good files -------------------------------------------------------------------------------


def test_a_good_file_creates_the_assessments(world):
    result = run(good_file(), actor=world.dla_admin)

    assert result.ok, [e.message for e in result.errors]
    assert result.assessments.as_dict() == {"created": 4, "updated": 0, "unchanged": 0}
    assert result.institutions == 3
    school = list(world.cm_school.external_assessments.order_by("assessed_on"))
    assert [(a.assessed_on, a.round, a.fiscal_year, a.result) for a in school] == [
        (dt.date(2018, 1, 20), "4", 2561, "ดีมาก"),
        (dt.date(2021, 5, 16), "SAR", 2564, "ดี"),
    ]
    # Found by its ONESQA code, the date written in ISO.
    assert world.kk_school.external_assessments.get().assessed_on == dt.date(2017, 2, 14)
    centre = world.cm_centre.external_assessments.get()
    assert (centre.round, centre.fiscal_year, centre.result) == ("", None, "")
    assert AuditEvent.objects.filter(action="external_assessment.created").count() == 4
    summary = AuditEvent.objects.get(action="assessments.imported")
    assert summary.actor == world.dla_admin
    assert summary.data["assessments"] == {"created": 4, "updated": 0, "unchanged": 0}


def test_importing_the_same_file_again_changes_nothing(world):
    run(good_file())
    before = list(ExternalAssessment.objects.order_by("pk").values_list())

    result = run(good_file())

    assert result.assessments.as_dict() == {"created": 0, "updated": 0, "unchanged": 4}
    assert list(ExternalAssessment.objects.order_by("pk").values_list()) == before
    assert not AuditEvent.objects.filter(action="external_assessment.updated").exists()


def test_a_changed_result_or_round_updates_the_assessment_of_that_date(world):
    run(good_file())
    rows = [list(row) for row in ROWS]
    rows[0][5] = "ดีเยี่ยม"
    rows[0][2] = "รอบสี่"

    result = run(xlsx({"สมศ.": [HEADER, *rows]}), actor=world.onesqa_reviewer)

    assert result.assessments.as_dict() == {"created": 0, "updated": 1, "unchanged": 3}
    assessment = world.cm_school.external_assessments.get(assessed_on=dt.date(2018, 1, 20))
    assert (assessment.round, assessment.result) == ("รอบสี่", "ดีเยี่ยม")
    event = AuditEvent.objects.get(action="external_assessment.updated")
    assert event.actor == world.onesqa_reviewer
    assert event.data["changes"] == {"round": ["4", "รอบสี่"], "result": ["ดีมาก", "ดีเยี่ยม"]}


def test_a_column_left_out_keeps_the_stored_values(world):
    assess(world.cm_school, dt.date(2018, 1, 20), round="4", result="ดีมาก")

    result = run(
        csv_bytes([["code", "assessed_on"], ["3050000001", "20/1/2561"]]), filename="a.csv"
    )

    assert result.assessments.as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    assert world.cm_school.external_assessments.get().result == "ดีมาก"


def test_thai_text_with_odd_spacing_and_invisible_characters_is_cleaned(world):
    row = [
        "\u200b3050000001 ",
        "",
        " รอบ\u00a0\u00a0ที่  4 (น\u0e4d\u0e32ร่อง) ",  # a split SARA AM, as some fonts type it
        "๒๕๖๑",
        " ๒๐ / ๑ / ๒๕๖๑ ",
        "ดี\u00a0มาก  ",
    ]

    result = run(csv_bytes([HEADER, row]), filename="a.csv")

    assert result.ok, [e.message for e in result.errors]
    assessment = world.cm_school.external_assessments.get()
    assert assessment.assessed_on == dt.date(2018, 1, 20)
    assert assessment.round == "รอบ ที่ 4 (นำร่อง)"
    assert assessment.fiscal_year == 2561
    assert assessment.result == "ดี มาก"
    # The same row typed cleanly is the same assessment: nothing to update.
    clean = ["3050000001", "", "รอบ ที่ 4 (นำร่อง)", "2561", "20/1/2561", "ดี มาก"]
    assert run(csv_bytes([HEADER, clean]), filename="b.csv").assessments.unchanged == 1


def test_a_thai_windows_csv_and_an_excel_date_cell_are_read(world):
    data = csv_bytes([HEADER, ["3050000001", "", "4", "2561", "20/1/2561", "ดีมาก"]], "cp874")
    assert run(data, filename="a.csv").ok
    workbook = xlsx({"s": [HEADER, ["3050000002", "", "", "", dt.date(2564, 5, 17), ""]]})
    assert run(workbook).ok
    assert world.cm_centre.external_assessments.get().assessed_on == dt.date(2021, 5, 17)


def test_a_dry_run_counts_but_saves_nothing(world):
    before = state()
    result = run(good_file(), dry_run=True)
    assert result.ok
    assert result.assessments.created == 4
    assert state() == before


def test_the_template_is_an_xlsx_that_imports_as_it_is(world):
    workbook = openpyxl.load_workbook(io.BytesIO(build_template()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER)
    assert run(build_template()).ok


# --- Bad files: nothing changes, every error named by row and column --------------------------


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["3050009999", "", "4", "2561", "20/1/2561", ""],
            "รหัสสถานศึกษา",
            "No institution in the registry has the MOE code 3050009999.",
        ),
        (
            ["", "99999999", "4", "2561", "20/1/2561", ""],
            "รหัส สมศ.",
            "No institution in the registry has the ONESQA code 99999999.",
        ),
        (
            ["3050000001", "40000001", "4", "2561", "20/1/2561", ""],
            "รหัส สมศ.",
            "The MOE code 3050000001 and the ONESQA code 40000001 belong to two different",
        ),
        (["", "", "4", "2561", "20/1/2561", ""], "รหัสสถานศึกษา", "Give the institution's MOE code"),
        (["3050000001", "", "4", "2561", "", ""], "วันที่ประเมิน", "A value is required."),
        (
            ["3050000001", "", "4", "2561", "31/2/2561", ""],
            "วันที่ประเมิน",
            "“31/2/2561” is not a date.",
        ),
        (
            ["3050000001", "", "4", "2561", "1/1/2600", ""],
            "วันที่ประเมิน",
            "The assessment date 1/1/2600 has not come yet.",
        ),
        (
            ["3050000001", "", "4", "2018", "20/1/2561", ""],
            "ปีงบประมาณ",
            "“2018” is not a fiscal year.",
        ),
        (
            ["30500 00001", "", "4", "2561", "20/1/2561", ""],
            "รหัสสถานศึกษา",
            "has a space inside",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_its_row_and_column(world, row, column, message):
    before = state()

    result = run(xlsx({"สมศ.": [HEADER, ROWS[0], row]}))

    error = only_error(result)
    assert (error.sheet, error.row, error.column) == ("สมศ.", 3, column)
    assert message in error.message
    assert error.message.startswith("Sheet “สมศ.”, row 3, column")
    assert state() == before


def test_the_same_institution_and_date_twice_is_refused_even_by_two_codes(world):
    rows = [ROWS[0], ["", "50000001", "รอบ 4", "2561", "2018-01-20", "ดี"]]

    error = only_error(run(xlsx({"สมศ.": [HEADER, *rows]})))

    assert (error.row, error.column) == (3, "วันที่ประเมิน")
    assert error.reason == "The assessment of this institution on 20/1/2561 is also in row 2."
    assert not ExternalAssessment.objects.exists()


def test_one_bad_row_among_good_ones_changes_nothing_and_every_error_is_listed(world):
    before = state()
    rows = [*ROWS, ["3050009999", "", "", "", "1/1/2560", ""], ["3050000001", "", "", "", "x", ""]]

    result = run(xlsx({"สมศ.": [HEADER, *rows]}))

    assert [(e.row, e.column) for e in result.errors] == [
        (6, "รหัสสถานศึกษา"),
        (7, "วันที่ประเมิน"),
    ]
    assert state() == before


def test_a_row_with_several_problems_names_each_of_them(world):
    result = run(xlsx({"สมศ.": [HEADER, ["3050009999", "", "", "พ.ศ.", "x", ""]]}))

    assert sorted(e.column for e in result.errors) == sorted(
        ["รหัสสถานศึกษา", "ปีงบประมาณ", "วันที่ประเมิน"]
    )
    assert {e.row for e in result.errors} == {2}


def test_a_header_without_the_date_or_any_code_says_what_to_add(world):
    result = run(csv_bytes([["รหัสสถานศึกษา", "ผล"], ["3050000001", "ดี"]]), filename="a.csv")
    assert "has no column “วันที่ประเมิน”" in only_error(result).message

    result = run(csv_bytes([["วันที่ประเมิน", "ผล"], ["1/1/2561", "ดี"]]), filename="a.csv")
    assert "neither a column “รหัสสถานศึกษา” nor a column “รหัส สมศ.”" in only_error(result).message


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
OLD_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "This is a PDF file, not a table. Upload the external assessments as .xlsx or .csv."),
        (OLD_XLS, "This is an old Excel 97-2003 (.xls) file."),
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "This is an image, not a table. Upload the external"),
        (csv_bytes([["name", "province"], ["x", "y"]]), "is not that of an external-assessment"),
        (
            xlsx({"notes": [["hello"], ["world"]]}),
            "No sheet has the header of an external-assessment table",
        ),
        (csv_bytes([HEADER]), "The file has a header but no rows of data below it."),
    ],
)
def test_a_file_that_is_not_a_table_of_assessments_is_refused(world, data, expected):
    before = state()
    error = only_error(run(data, filename="assessments.xlsx"))
    assert error.row is None
    assert expected in error.message
    assert state() == before


def test_an_institution_outside_the_actors_scope_is_unknown(world):
    # Imports are for national roles; should anyone else run one, they reach only their part.
    result = run(good_file(), actor=world.cm_supervisor)
    error = only_error(result)
    assert error.message.endswith("No institution in the registry has the ONESQA code 40000001.")


# --- The command ------------------------------------------------------------------------------


def test_the_command_imports_and_prints_a_summary(world, tmp_path):
    path = tmp_path / "onesqa.xlsx"
    path.write_bytes(good_file())
    out = io.StringIO()

    call_command("import_assessments", str(path), "--user", "onesqa.reviewer", stdout=out)

    assert "External assessments: 4 created, 0 updated, 0 unchanged." in out.getvalue()
    assert ExternalAssessment.objects.count() == 4
    assert AuditEvent.objects.get(action="assessments.imported").actor == world.onesqa_reviewer


def test_the_command_dry_run_saves_nothing(world, tmp_path):
    path = tmp_path / "onesqa.csv"
    path.write_bytes(csv_bytes([HEADER, *ROWS]))
    out = io.StringIO()
    call_command("import_assessments", str(path), "--dry-run", stdout=out)
    assert "Checked only: nothing was saved." in out.getvalue()
    assert not ExternalAssessment.objects.exists()


def test_the_command_fails_on_a_bad_file_and_lists_the_errors(world, tmp_path):
    path = tmp_path / "onesqa.csv"
    path.write_bytes(csv_bytes([HEADER, ["3050009999", "", "", "", "1/1/2560", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="refused: 1 error"):
        call_command("import_assessments", str(path), stderr=err)
    assert "Row 2, column “รหัสสถานศึกษา”" in err.getvalue()
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_assessments", str(tmp_path / "missing.csv"))
