"""What changed between two versions of a report: pure functions, no database."""

from esar.sar.compare import (
    DIFF_LIMIT,
    Change,
    FileRef,
    Segment,
    compare,
    compare_files,
    text_diff,
)


def content(**parts):
    base = {
        "basic_data": {
            "as_of": "2026-06-10",
            "students": {"basic": 120},
            "staff": {"teachers": 12},
            "tests": [],
        },
        "items": {
            "7": {"level": 3, "target": 3, "how": "ทำตามแผน", "results": "ผ่าน", "evidence": ""},
            "8": {"level": 4, "target": 4, "how": "อบรมครู", "results": "ดี", "evidence": ""},
        },
        "summary": {"strengths": "ครูเข้มแข็ง", "improvements": "", "plan": "", "help_needed": ""},
    }
    for key, value in parts.items():
        base[key] = value
    return base


def test_the_same_content_and_files_is_no_change():
    files = [FileRef("document", "a" * 64, "sar.pdf")]
    result = compare(content(), content(), files, list(files))
    assert result.is_empty
    assert result.items == [] and result.files_added == [] and result.files_removed == []


def test_ratings_and_texts_of_an_item_are_compared_field_by_field():
    new = content()
    new["items"]["7"] = {**new["items"]["7"], "level": 4, "evidence": "ภาพกิจกรรม"}
    result = compare(content(), new)
    assert [change.item_id for change in result.items] == ["7"]
    change = result.item(7)
    assert change.level == Change("level", 3, 4)
    assert change.target is None
    assert change.texts == (Change("evidence", "", "ภาพกิจกรรม"),)
    assert result.item("8") is None


def test_an_item_filled_for_the_first_time_or_emptied_is_a_change():
    old = content()
    del old["items"]["8"]
    new = content()
    new["items"]["9"] = {"level": 2}
    result = compare(old, new)
    assert {change.item_id for change in result.items} == {"8", "9"}
    assert result.item("8").level == Change("level", None, 4)
    assert result.item("7") is None
    # "7" missing from the newer version entirely: every value it had is gone.
    newer = content()
    del newer["items"]["7"]
    gone = compare(content(), newer).item("7")
    assert gone.level == Change("level", 3, None)
    assert Change("how", "ทำตามแผน", "") in gone.texts


def test_a_missing_text_is_the_same_as_an_empty_one():
    old = content()
    old["items"]["7"].pop("evidence")
    assert compare(old, content()).is_empty


def test_basic_data_changes_are_named_by_path():
    new = content(
        basic_data={
            "as_of": "2027-06-10",
            "students": {"basic": 130, "early_childhood": 40},
            "staff": {"teachers": 12},
            "tests": [{"test": "O-NET", "score": 40}],
        }
    )
    fields = {
        change.field: (change.old, change.new) for change in compare(content(), new).basic_data
    }
    assert fields["as_of"] == ("2026-06-10", "2027-06-10")
    assert fields["students.basic"] == (120, 130)
    assert fields["students.early_childhood"] == (None, 40)
    assert "staff.teachers" not in fields
    assert fields["tests"][0] == []


def test_a_standard_as_a_whole_is_compared_by_level_and_texts():
    old = content(standards={"3": {"level": 3, "strengths": "ครูเข้มแข็ง", "improvements": ""}})
    new = content(standards={"3": {"level": 2, "strengths": "ครูเข้มแข็ง", "improvements": "อ่าน"}})
    result = compare(old, new)
    assert not result.is_empty
    change = result.standard(3)
    assert change.level == Change("level", 3, 2)
    assert change.texts == (Change("improvements", "", "อ่าน"),)
    assert result.items == []
    assert compare(new, new).standard(3) is None


def test_summary_changes():
    new = content()
    new["summary"]["plan"] = "แผนใหม่"
    result = compare(content(), new)
    assert result.summary == [Change("plan", "", "แผนใหม่")]


def test_files_are_the_same_when_their_hashes_are_whatever_their_names():
    old = [
        FileRef("document", "a" * 64, "sar.pdf"),
        FileRef("evidence", "b" * 64, "one.pdf"),
        FileRef("evidence", "c" * 64, "two.pdf"),
    ]
    new = [
        FileRef("document", "d" * 64, "sar.pdf"),  # same name, new content
        FileRef("evidence", "b" * 64, "renamed.pdf"),  # same content, new name
        FileRef("evidence", "e" * 64, "three.pdf"),
    ]
    added, removed = compare_files(old, new)
    assert [f.sha256[0] for f in added] == ["d", "e"]
    assert [f.sha256[0] for f in removed] == ["a", "c"]


def test_an_evidence_file_promoted_to_document_counts_as_moved():
    old = [FileRef("evidence", "a" * 64, "x.pdf")]
    new = [FileRef("document", "a" * 64, "x.pdf")]
    added, removed = compare_files(old, new)
    assert [f.kind for f in added] == ["document"]
    assert [f.kind for f in removed] == ["evidence"]


def test_empty_contents_compare():
    assert compare(None, {}).is_empty
    assert not compare({}, content()).is_empty


def test_text_diff_marks_what_was_kept_deleted_and_inserted():
    segments = text_diff("ครูจัดกิจกรรม การอ่าน ทุกวัน", "ครูจัดกิจกรรม การเขียน ทุกวัน")
    assert "".join(s.text for s in segments if s.op != "insert") == "ครูจัดกิจกรรม การอ่าน ทุกวัน"
    assert "".join(s.text for s in segments if s.op != "delete") == "ครูจัดกิจกรรม การเขียน ทุกวัน"
    assert Segment("delete", "การอ่าน") in segments
    assert Segment("insert", "การเขียน") in segments


def test_text_diff_of_equal_empty_and_new_texts():
    assert text_diff("", "") == []
    assert text_diff(None, "ใหม่") == [Segment("insert", "ใหม่")]
    assert text_diff("เก่า", "") == [Segment("delete", "เก่า")]
    assert text_diff("เหมือนเดิม", "เหมือนเดิม") == [Segment("equal", "เหมือนเดิม")]


def test_very_long_texts_are_compared_as_a_whole():
    old, new = "ก " * DIFF_LIMIT, "ข " * DIFF_LIMIT
    assert text_diff(old, new) == [Segment("delete", old), Segment("insert", new)]
